// When Xapian ends the process: a last word instead of a bare abort.
//
// Xapian 1.4 cannot always recover from a failed write. The value chunks it
// merges at commit are written by a destructor (ValueUpdater's, in
// glass_values.cc); when such a write fails (a full disk), the exception
// leaves a noexcept function and std::terminate ends the process, with
// nothing but "terminate called after throwing an instance of
// 'Xapian::DatabaseError'" on stderr. The handler installed here describes
// the exception and hands the description to the program.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "internal.h"

namespace {

void (*fatal_fn)(const char *why) = nullptr;

[[noreturn]] void on_terminate() {
    int e = errno;
    std::string why = "unknown error";
    if (std::exception_ptr x = std::current_exception()) {
        try {
            std::rethrow_exception(x);
        } catch (...) {
            shim::status_from_exception(why);
        }
    } else if (e == ENOSPC || e == EFBIG || e == EDQUOT || e == EIO) {
        // The exception is gone when the compiler's own noexcept guard calls
        // std::terminate; the failed write's errno is all that is left.
        why = std::string("DatabaseError: a write failed (") + strerror(e) + ")";
    }
    if (fatal_fn) fatal_fn(why.c_str());
    std::abort();
}

} // namespace

SHIM_API void shim_set_fatal_handler(void (*fn)(const char *why)) {
    fatal_fn = fn;
    std::set_terminate(on_terminate);
}
