// Merging built shards: compaction, and resolving duplicate ids after it.
#include <cctype>
#include <vector>

#include "document.h"
#include "internal.h"

using shim::report;
using shim::status_from_exception;

namespace {

// Databases merged at once before Xapian needs more passes.
constexpr size_t SINGLE_PASS_MAX = 3;

void compact(const char *const *srcs, size_t n, const char *dst) {
    Xapian::Database all;
    for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
    unsigned flags = 0;
    if (n > SINGLE_PASS_MAX) flags |= Xapian::DBCOMPACT_MULTIPASS;
    all.compact(dst, flags | Xapian::Compactor::FULL);
}

// Among the documents indexed by one id term, deletes all but the one with
// the largest stamp (big-endian bytes compare like the integers).
uint64_t keep_newest(Xapian::WritableDatabase &db, const std::string &term) {
    Xapian::docid best = 0;
    std::string best_stamp;
    std::vector<Xapian::docid> all;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        std::string stamp = db.get_document(*p).get_value(shim::SLOT_STAMP);
        all.push_back(*p);
        // >= so that among equal stamps the later document wins.
        if (best == 0 || stamp >= best_stamp) best = *p, best_stamp = stamp;
    }
    for (Xapian::docid d : all)
        if (d != best) db.delete_document(d);
    return all.size() - 1;
}

uint64_t dedupe(const char *path) {
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
    uint64_t removed = 0;
    std::vector<std::string> dups;
    for (auto t = db.allterms_begin(shim::P_ID); t != db.allterms_end(shim::P_ID); ++t)
        if (t.get_termfreq() > 1) dups.push_back(*t);
    for (const auto &term : dups) removed += keep_newest(db, term);
    if (removed) db.commit();
    return removed;
}

// Words worth suggesting: plain (unprefixed) terms of letters only, as
// TermGenerator's own spelling mode would record them.
bool spelling_word(const std::string &t) {
    if (t.size() < 2 || t.size() > 40) return false;
    unsigned char c = static_cast<unsigned char>(t[0]);
    if (c < 0x80 && !islower(c)) return false;
    for (unsigned char ch : t)
        if (ch < 0x80 && !islower(ch) && ch != '\'') return false;
    return true;
}

// Words added to the spelling table between commits. Xapian holds every
// addition (the word and its fragments) in memory until a commit, about
// 0.5 to 0.8 kB a word, so this bounds the pass at 10 to 16 MB whatever the
// size of the vocabulary.
constexpr uint64_t SPELLING_BATCH_WORDS = 20000;

// Adds each word of src's vocabulary to db's spelling table, weighted by
// the number of documents of src it occurs in. One pass over a vocabulary
// is far cheaper than recording every occurrence while indexing.
// *added counts the words added so far, over every call.
void add_vocabulary(Xapian::WritableDatabase &db, const Xapian::Database &src, uint64_t *added) {
    for (auto t = src.allterms_begin(); t != src.allterms_end(); ++t) {
        if (!spelling_word(*t)) continue;
        db.add_spelling(*t, t.get_termfreq());
        if (++*added % SPELLING_BATCH_WORDS == 0) db.commit();
    }
}

// The sources are read as one database, in groups: each group's vocabulary
// is merged, so a word is added once per group with its summed frequency,
// while the number of databases open at once (each costs memory) stays
// bounded.
constexpr size_t SPELLING_SOURCES_AT_ONCE = 64;

uint64_t build_spelling(const char *path, const char *const *srcs, size_t n) {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_NO_SYNC |
                                          Xapian::DB_BACKEND_GLASS);
    uint64_t added = 0;
    for (size_t from = 0; from < n; from += SPELLING_SOURCES_AT_ONCE) {
        Xapian::Database group;
        for (size_t i = from; i < n && i < from + SPELLING_SOURCES_AT_ONCE; i++)
            group.add_database(Xapian::Database(srcs[i]));
        add_vocabulary(db, group, &added);
    }
    db.commit();
    return added;
}

} // namespace

SHIM_API lede_status_t shim_build_spelling(const char *path, const char *const *srcs, size_t n,
                                           uint64_t *words, char **errmsg) {
    std::string msg;
    try {
        uint64_t added = build_spelling(path, srcs, n);
        if (words) *words = added;
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        return report(errmsg, st, msg);
    }
}

SHIM_API lede_status_t shim_compact(const char *const *srcs, size_t n, const char *dst,
                                    char **errmsg) {
    if (!srcs || n == 0 || !dst) return report(errmsg, LEDE_E_INVALID, "nothing to compact");
    std::string msg;
    try {
        compact(srcs, n, dst);
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        return report(errmsg, st, msg);
    }
}

SHIM_API lede_status_t shim_dedupe(const char *path, uint64_t *removed, char **errmsg) {
    std::string msg;
    try {
        uint64_t n = dedupe(path);
        if (removed) *removed = n;
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        return report(errmsg, st, msg);
    }
}
