// The read-only side: open, reopen (following stub switches), stats, get.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "document.h"
#include "internal.h"
#include "parser.h"

using shim::report;
using shim::status_from_exception;

namespace {

lede_status_t fail(shim_db_t *h) noexcept {
    return status_from_exception(h->err);
}

// The stub file whose replacement means "a new database was swapped in":
// path itself when it is a file, path/XAPIANDB for lede's index layout.
std::string find_stub(const std::string &path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return "";
    if (S_ISREG(st.st_mode)) return path;
    std::string stub = path + "/XAPIANDB";
    return stat(stub.c_str(), &st) == 0 ? stub : "";
}

bool same_file(const struct stat &a, const struct stat &b) {
    return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

void open_fresh(shim_db_t *h) {
    struct stat st = {};
    if (!h->stub_path.empty()) stat(h->stub_path.c_str(), &st);
    Xapian::Database db(h->path);
    std::string lang = db.get_metadata(shim::META_LANGUAGE);
    h->stem = shim::make_stemmer(lang.c_str());
    h->db = db;
    h->stub_stat = st;
    shim::setup_parser(h);
}

// True when the stub now names another database than the one open.
bool stub_switched(const shim_db_t *h) {
    if (h->stub_path.empty()) return false;
    struct stat st;
    if (stat(h->stub_path.c_str(), &st) != 0) return false;
    return !same_file(st, h->stub_stat);
}

} // namespace

void shim::reopen_handle(shim_db_t *h) {
    if (stub_switched(h))
        open_fresh(h);
    else
        h->db.reopen();
}

SHIM_API lede_status_t shim_db_open(const char *path, shim_db_t **out, char **errmsg) {
    *out = nullptr;
    if (!path || !*path) return report(errmsg, LEDE_E_INVALID, "no index path");
    shim_db_t *h = nullptr;
    std::string msg;
    try {
        struct stat st;
        if (stat(path, &st) != 0)
            return report(errmsg, LEDE_E_OPEN, std::string(path) + ": " + strerror(errno));
        h = new shim_db_t();
        h->path = path;
        h->stub_path = find_stub(path);
        open_fresh(h);
        *out = h;
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        delete h;
        return report(errmsg, st, msg);
    }
}

SHIM_API lede_status_t shim_db_reopen(shim_db_t *h, bool *changed) {
    try {
        bool moved = stub_switched(h);
        if (moved)
            open_fresh(h);
        else
            moved = h->db.reopen();
        if (changed) *changed = moved;
        return LEDE_OK;
    } catch (...) {
        return fail(h);
    }
}

namespace {

// Whether a file can be read; a process out of descriptors cannot tell,
// and that is no fault of the index.
bool readable(const std::string &path, std::string &why) {
    if (access(path.c_str(), R_OK) == 0 || errno == EMFILE || errno == ENFILE) return true;
    why = path + ": " + strerror(errno);
    return false;
}

// The database directory a lede index stub names ("auto gen-000007"), or
// "" when path has no such stub (a glass directory, or a remote stub).
std::string stub_target(const std::string &path) {
    FILE *f = fopen((path + "/XAPIANDB").c_str(), "r");
    if (!f) return "";
    char line[512] = "";
    bool ok = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    if (!ok || strncmp(line, "auto ", 5) != 0) return "";
    std::string name(line + 5);
    name.erase(name.find_last_not_of("\r\n") + 1);
    return name.empty() ? "" : name[0] == '/' ? name : path + "/" + name;
}

} // namespace

// Looks at the files a fresh open would need, without opening the
// database: an open costs several descriptors, which a daemon answering
// /health at its descriptor limit does not have.
SHIM_API lede_status_t shim_db_check(shim_db_t *h) {
    try {
        struct stat st;
        if (stat(h->path.c_str(), &st) != 0) {
            h->err = h->path + ": " + strerror(errno);
            return LEDE_E_OPEN;
        }
        if (!S_ISDIR(st.st_mode)) return LEDE_OK; /* a stub file: remote shards and the like */
        std::string target = stub_target(h->path);
        if (target.empty() && access((h->path + "/XAPIANDB").c_str(), F_OK) == 0) return LEDE_OK;
        std::string version = (target.empty() ? h->path : target) + "/iamglass";
        if (readable(version, h->err)) return LEDE_OK;
        h->err = "not a readable index: " + h->err;
        return LEDE_E_OPEN;
    } catch (...) {
        return fail(h);
    }
}

SHIM_API const char *shim_db_errmsg(const shim_db_t *h) {
    return h ? h->err.c_str() : "no database";
}

SHIM_API void shim_db_close(shim_db_t *h) {
    delete h;
}

namespace {

void copy_field(char *dst, size_t size, const std::string &src) {
    size_t n = src.size() < size - 1 ? src.size() : size - 1;
    memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

uint64_t revision_or_zero(const Xapian::Database &db) {
    try {
        return db.get_revision();
    } catch (const Xapian::InvalidOperationError &) {
        return 0; // several shards have no single revision
    }
}

void fill_stats(shim_db_t *h, shim_stats_t *s) {
    memset(s, 0, sizeof *s);
    const Xapian::Database &db = h->db;
    s->doccount = db.get_doccount();
    s->lastdocid = db.get_lastdocid();
    s->avg_length = db.get_avlength();
    s->revision = revision_or_zero(db);
    s->has_positions = db.has_positions();
    if (s->doccount) {
        copy_field(s->date_min, sizeof s->date_min, db.get_value_lower_bound(shim::SLOT_DATE));
        copy_field(s->date_max, sizeof s->date_max, db.get_value_upper_bound(shim::SLOT_DATE));
    }
    std::string lang = db.get_metadata(shim::META_LANGUAGE);
    copy_field(s->language, sizeof s->language, lang.empty() ? "english" : lang);
}

} // namespace

SHIM_API lede_status_t shim_db_stats(shim_db_t *h, shim_stats_t *out) {
    return shim::guarded_read(h, [&] {
        fill_stats(h, out);
        return LEDE_OK;
    });
}

SHIM_API lede_status_t shim_db_metadata(shim_db_t *h, const char *key, char **value) {
    *value = nullptr;
    return shim::guarded_read(h, [&] {
        *value = shim::dup_string(h->db.get_metadata(key));
        return *value ? LEDE_OK : LEDE_E_NOMEM;
    });
}

namespace {

lede_status_t get_document(shim_db_t *h, const char *id, char **data, size_t *len) {
    std::string term = shim::id_term(id);
    Xapian::PostingIterator p = h->db.postlist_begin(term);
    if (p == h->db.postlist_end(term)) {
        h->err = std::string("no document with id '") + id + "'";
        return LEDE_E_NOT_FOUND;
    }
    std::string d = h->db.get_document(*p).get_data();
    *data = shim::dup_string(d);
    if (!*data) return LEDE_E_NOMEM;
    if (len) *len = d.size();
    return LEDE_OK;
}

} // namespace

SHIM_API lede_status_t shim_db_get(shim_db_t *h, const char *id, char **data, size_t *len) {
    *data = nullptr;
    return shim::guarded_read(h, [&] { return get_document(h, id, data, len); });
}
