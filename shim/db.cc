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

// The stemmer of the first shard up (each shard records the language it
// was built with), and the parser that goes with it.
void setup_language(shim_db_t *h) {
    std::string lang;
    for (const auto &sh : h->shards)
        if (sh.up) {
            lang = sh.db.get_metadata(shim::META_LANGUAGE);
            break;
        }
    h->stem = shim::make_stemmer(lang.c_str());
    shim::setup_parser(h);
}

// The shards and what goes with them, from the options already set.
void finish_open(shim_db_t *h) {
    if (!h->opts.spelling.empty()) h->spell = Xapian::Database(h->opts.spelling);
    shim::shards_combine(h);
    setup_language(h);
}

// Whether a stub lists shards (several databases, or a remote one) rather
// than naming one index's live generation.
bool lists_shards(const std::string &stub) {
    FILE *f = fopen(stub.c_str(), "r");
    if (!f) return false;
    char line[4096];
    int n = 0;
    bool remote = false;
    while (fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p) continue;
        n++;
        remote = remote || strncmp(p, "remote", 6) == 0;
    }
    fclose(f);
    return n > 1 || remote;
}

// (Re)opens everything behind h->path: one index, or the shards its stub
// lists (whose own generation switches each shard follows).
void open_path(shim_db_t *h) {
    h->shards.clear();
    h->remote = false;
    h->stub_path.clear();
    std::string stub = shim::find_stub(h->path);
    if (!stub.empty() && lists_shards(stub)) {
        stat(stub.c_str(), &h->stub_stat);
        h->stub_path = stub;
        shim::shards_from_stub(h, stub);
    } else {
        shim::shards_from_spec(h, h->path);
    }
    finish_open(h);
}

// True when the stub listing the shards was replaced.
bool listing_switched(const shim_db_t *h) {
    struct stat st;
    if (h->stub_path.empty() || stat(h->stub_path.c_str(), &st) != 0) return false;
    return st.st_ino != h->stub_stat.st_ino || st.st_mtim.tv_nsec != h->stub_stat.st_mtim.tv_nsec ||
           st.st_mtim.tv_sec != h->stub_stat.st_mtim.tv_sec || st.st_size != h->stub_stat.st_size;
}

bool reopen_all(shim_db_t *h) {
    if (!listing_switched(h)) return shim::shards_reopen(h);
    open_path(h);
    return true;
}

} // namespace

void shim::reopen_handle(shim_db_t *h) {
    reopen_all(h);
}

namespace {

// A new handle filled by fill(h), in *out; an exception is a status and
// a message in *errmsg, and no handle.
template <typename Fn> lede_status_t new_handle(shim_db_t **out, char **errmsg, Fn fill) {
    shim_db_t *h = nullptr;
    std::string msg;
    try {
        h = new shim_db_t();
        fill(h);
        *out = h;
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        delete h;
        return report(errmsg, st, msg);
    }
}

} // namespace

SHIM_API lede_status_t shim_db_open(const char *path, shim_db_t **out, char **errmsg) {
    *out = nullptr;
    if (!path || !*path) return report(errmsg, LEDE_E_INVALID, "no index path");
    struct stat st;
    if (stat(path, &st) != 0)
        return report(errmsg, LEDE_E_OPEN, std::string(path) + ": " + strerror(errno));
    return new_handle(out, errmsg, [&](shim_db_t *h) {
        h->path = path;
        open_path(h);
    });
}

SHIM_API lede_status_t shim_db_open_shards(const char *const *specs, size_t n,
                                           const shim_shard_opts_t *o, shim_db_t **out,
                                           char **errmsg) {
    *out = nullptr;
    if (!n) return report(errmsg, LEDE_E_INVALID, "no shards");
    return new_handle(out, errmsg, [&](shim_db_t *h) {
        if (o && o->connect_timeout_ms) h->opts.connect_timeout_ms = o->connect_timeout_ms;
        if (o && o->timeout_ms) h->opts.timeout_ms = o->timeout_ms;
        h->opts.partial = o && o->partial;
        if (o && o->spelling) h->opts.spelling = o->spelling;
        for (size_t i = 0; i < n; i++) {
            h->path += (i ? "," : "") + std::string(specs[i]);
            shim::shards_from_spec(h, specs[i]);
        }
        finish_open(h);
    });
}

SHIM_API lede_status_t shim_db_reopen(shim_db_t *h, bool *changed) {
    try {
        bool moved = reopen_all(h);
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
namespace {

// The check of one local index directory (or stub file) at path.
lede_status_t check_local(const std::string &path, std::string &err) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        err = path + ": " + strerror(errno);
        return LEDE_E_OPEN;
    }
    if (!S_ISDIR(st.st_mode)) return LEDE_OK; /* a stub file: remote shards and the like */
    std::string target = stub_target(path);
    if (target.empty() && access((path + "/XAPIANDB").c_str(), F_OK) == 0) return LEDE_OK;
    std::string version = (target.empty() ? path : target) + "/iamglass";
    if (readable(version, err)) return LEDE_OK;
    err = "not a readable index: " + err;
    return LEDE_E_OPEN;
}

} // namespace

SHIM_API lede_status_t shim_db_check(shim_db_t *h) {
    try {
        if (!h->stub_path.empty() && check_local(h->stub_path, h->err) != LEDE_OK)
            return LEDE_E_OPEN;
        for (const auto &s : h->shards)
            if (!s.remote() && check_local(s.spec, h->err) != LEDE_OK) return LEDE_E_OPEN;
        return LEDE_OK;
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
    } catch (const Xapian::UnimplementedError &) {
        return 0; // nor has a remote one
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
