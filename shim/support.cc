// Helpers shared by every part of the shim: the exception mapping, term
// construction, the field table and string copies.
#include "internal.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <time.h>

namespace shim {

namespace {

struct field_storage {
    const char *prefix; // the exact-value terms; nullptr: none
    Xapian::valueno slot;
};

// Where each field of include/lede/fields.h lives in the index. "year"
// has a slot but no terms: years are filtered with a date range.
// In lede_field_id_t order (C++17 has no array designators).
const field_storage STORAGE[] = {
    {P_SOURCE, SLOT_SOURCE}, {P_CATEGORY, SLOT_CATEGORY},    {P_TAG, SLOT_TAGS},
    {P_PLACE, SLOT_PLACES},  {P_AUTHOR_EXACT, SLOT_AUTHORS}, {nullptr, SLOT_YEAR},
};
static_assert(sizeof STORAGE / sizeof STORAGE[0] == LEDE_FIELD_COUNT && LEDE_FIELD_YEAR == 5,
              "one storage entry per field of include/lede/fields.h, in its order");

// FNV-1a, 64 bits: enough to tell apart the rare values too long for a term.
uint64_t fnv1a(const std::string &s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

// Cuts s to at most n bytes without splitting a UTF-8 sequence.
size_t utf8_cut(const std::string &s, size_t n) {
    if (s.size() <= n) return s.size();
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) n--;
    return n;
}

} // namespace

bool word_byte(unsigned char c) {
    return c >= 0x80 || isalnum(c) || c == '_';
}

bool is_operator(const std::string &w) {
    static const char *const OPS[] = {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    for (const char *op : OPS)
        if (w == op) return true;
    return false;
}

double now_s() noexcept {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void check_deadline(double deadline) {
    if (deadline > 0 && now_s() > deadline) throw deadline_passed();
}

bool field_lookup(const std::string &name, const char **prefix, Xapian::valueno *slot) {
    int id = lede_field_find(name.c_str(), 0);
    if (id < 0) return false;
    if (prefix) *prefix = STORAGE[id].prefix;
    if (slot) *slot = STORAGE[id].slot;
    return true;
}

std::string make_term(const char *prefix, const std::string &value, bool fold) {
    std::string v = fold ? Xapian::Unicode::tolower(value) : value;
    std::string term(prefix);
    if (term.size() + v.size() <= MAX_TERM_BYTES) return term + v;
    char hash[20];
    snprintf(hash, sizeof hash, "#%016llx", static_cast<unsigned long long>(fnv1a(v)));
    size_t keep = utf8_cut(v, MAX_TERM_BYTES - term.size() - strlen(hash));
    return term + v.substr(0, keep) + hash;
}

lede_status_t status_from_exception(std::string &msg) noexcept {
    lede_status_t st = LEDE_E_INTERNAL;
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseModifiedError &e) {
            st = LEDE_E_MODIFIED, msg = e.get_description();
        } catch (const Xapian::DatabaseLockError &e) {
            st = LEDE_E_LOCKED, msg = e.get_description();
        } catch (const Xapian::DatabaseCorruptError &e) {
            st = LEDE_E_CORRUPT, msg = e.get_description();
        } catch (const Xapian::DatabaseNotFoundError &e) {
            st = LEDE_E_OPEN, msg = e.get_description();
        } catch (const Xapian::DatabaseOpeningError &e) {
            st = LEDE_E_OPEN, msg = e.get_description();
        } catch (const Xapian::DatabaseError &e) {
            st = LEDE_E_IO, msg = e.get_description();
        } catch (const Xapian::QueryParserError &e) {
            st = LEDE_E_BAD_QUERY, msg = e.get_msg();
        } catch (const Xapian::DocNotFoundError &e) {
            st = LEDE_E_NOT_FOUND, msg = e.get_msg();
        } catch (const Xapian::NetworkError &e) {
            st = LEDE_E_NETWORK, msg = e.get_description();
        } catch (const Xapian::InvalidArgumentError &e) {
            st = LEDE_E_INVALID, msg = e.get_msg();
        } catch (const Xapian::UnimplementedError &e) {
            st = LEDE_E_UNSUPPORTED, msg = e.get_msg();
        } catch (const Xapian::InvalidOperationError &e) {
            st = LEDE_E_UNSUPPORTED, msg = e.get_msg();
        } catch (const Xapian::Error &e) {
            st = LEDE_E_INTERNAL, msg = e.get_description();
        } catch (const deadline_passed &) {
            st = LEDE_E_TIMEOUT, msg = "the search ran past its time budget and was stopped";
        } catch (const std::bad_alloc &) {
            st = LEDE_E_NOMEM, msg = "out of memory";
        } catch (const std::exception &e) {
            st = LEDE_E_INTERNAL, msg = e.what();
        } catch (...) {
            st = LEDE_E_INTERNAL, msg = "unknown C++ exception";
        }
    } catch (...) {
        // Building the message itself failed (out of memory): keep the status.
        try {
            msg.clear();
        } catch (...) {
        }
    }
    return st;
}

char *dup_string(const std::string &s) noexcept {
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (p) memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

lede_status_t report(char **errmsg, lede_status_t st, const std::string &msg) noexcept {
    if (errmsg) *errmsg = st == LEDE_OK ? nullptr : dup_string(msg);
    return st;
}

Xapian::Stem make_stemmer(const char *language) {
    return Xapian::Stem(language && *language ? language : "english");
}

} // namespace shim

SHIM_API const char *shim_xapian_version(void) {
    return Xapian::version_string();
}

SHIM_API void shim_strings_free(char **v, size_t n) {
    if (!v) return;
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}
