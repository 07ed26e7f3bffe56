// The writable side of the shim: open, add, upsert, delete, commit, close.
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "document.h"
#include "internal.h"
#include "stem_cache.h"

using shim::report;
using shim::status_from_exception;

namespace {

int xapian_flags(unsigned flags) {
    int f = (flags & SHIM_WRITER_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
    // A fresh build directory is private until it is complete, so it can
    // skip fsync and update blocks in place.
    if (flags & SHIM_WRITER_FRESH)
        f = Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS;
    return f | Xapian::DB_BACKEND_GLASS;
}

// Errors of a write that the disk refused.
bool disk_errno(int e) {
    return e == ENOSPC || e == EFBIG || e == EDQUOT || e == EIO;
}

lede_status_t fail(shim_writer_t *w) noexcept {
    int e = errno;
    lede_status_t st = status_from_exception(w->err);
    // After a failed write Xapian rolls back, which DB_DANGEROUS cannot do:
    // the write's own error is then replaced by "cancel() not supported
    // under Xapian::DB_DANGEROUS". Nothing has run since the write but the
    // throwing, so errno still says why it failed.
    if (w->fresh && st == LEDE_E_UNSUPPORTED && disk_errno(e)) {
        try {
            w->err = "DatabaseError: writing " + w->path + " failed (" + strerror(e) + ")";
            st = LEDE_E_IO;
        } catch (...) {
        }
    }
    return st;
}

// The most changes a batch keeps for writing it again (commit_changes):
// a live batch is small (lede-indexer --watch commits every 1,000
// documents by default); a bigger one is not kept, to bound memory.
constexpr size_t BATCH_REPLAY_OPS = 10000;

// Keeps a change of a live writer with spelling for commit_changes.
void keep(shim_writer_t *w, shim::batch_op::kind_t kind, const std::string &key,
          const std::string &value, const Xapian::Document &doc) {
    if (!w->spelling || w->fresh || !w->batch_whole) return;
    if (w->batch.size() >= BATCH_REPLAY_OPS) {
        w->batch.clear();
        w->batch_whole = false;
        return;
    }
    w->batch.push_back(shim::batch_op{kind, key, value, doc});
}

// Writes the kept batch again after a commit that failed and was rolled
// back, through the documents already made: the TermGenerator is not run
// again, so no word reaches the spelling table.
void replay(shim_writer_t *w, const std::vector<shim::batch_op> &batch) {
    w->db.begin_transaction(false);
    for (const auto &op : batch) {
        if (op.kind == shim::batch_op::ADD)
            w->db.add_document(op.doc);
        else if (op.kind == shim::batch_op::REPLACE)
            w->db.replace_document(op.key, op.doc);
        else if (op.kind == shim::batch_op::DELETE)
            w->db.delete_document(op.key);
        else
            w->db.set_metadata(op.key, op.value);
    }
    w->db.commit_transaction();
    w->db.commit();
}

void close_without_commit(shim_writer_t *w);

// Ends the transaction and commits it. Xapian 1.4.22 cannot read back
// some spelling entries it wrote (see shim_writer_spelling_skips), and a
// commit that must add a word to one fails with DatabaseCorruptError after
// rolling everything back; then the batch, when kept whole, is written
// again without spelling data. Through a new handle: the one whose commit
// failed is not used again, because after that rollback glass can write a
// bad free list ("Ran off end of freelist" a few commits later, seen).
// The kept batch ends with the commit, whatever its outcome: a commit that
// fails has lost the batch in Xapian too.
void commit_changes(shim_writer_t *w) {
    std::vector<shim::batch_op> batch;
    batch.swap(w->batch);
    bool whole = w->batch_whole;
    w->batch_whole = true;
    try {
        w->db.commit_transaction();
        w->db.commit();
    } catch (const Xapian::DatabaseCorruptError &e) {
        if (!w->spelling || w->fresh || !whole || batch.empty()) throw;
        w->spelling_why = e.get_description();
        close_without_commit(w); // and the space the failed commit took, back
        w->db = Xapian::WritableDatabase(w->path, xapian_flags(0));
        w->tg.set_database(w->db);
        shim::undo_begin(w);
        replay(w, batch);
        w->spelling_skips++;
    }
}

// Creating the handle can fail before there is a handle to keep the message.
lede_status_t open_writer(const shim_writer_opts_t *o, shim_writer_t *w) {
    if (o->flush_threshold) {
        // Xapian reads the threshold from the environment when the database
        // is opened, and only then.
        std::string n = std::to_string(o->flush_threshold);
        setenv("XAPIAN_FLUSH_THRESHOLD", n.c_str(), 1);
    }
    w->path = o->path;
    w->fresh = o->flags & SHIM_WRITER_FRESH;
    w->db = Xapian::WritableDatabase(o->path, xapian_flags(o->flags));
    if (!w->fresh) shim::undo_recover(w->path);
    std::string lang = w->db.get_metadata(shim::META_LANGUAGE);
    const char *want = o->language && *o->language ? o->language : "english";
    if (lang.empty()) {
        // Refuse an unknown language before recording it: the failed open
        // would otherwise commit it and break every later open.
        shim::make_stemmer(want);
        w->db.set_metadata(shim::META_LANGUAGE, want);
        lang = want;
    } else if (o->language && lang != o->language) {
        throw Xapian::InvalidArgumentError("index was built with language '" + lang + "', not '" +
                                           o->language + "'");
    }
    w->tg.set_stemmer(shim::make_cached_stemmer(lang.c_str()));
    w->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    w->spelling = o->spelling;
    if (o->spelling) {
        w->tg.set_database(w->db);
        w->tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    }
    // Every change happens inside a transaction, so that a run which fails
    // half-way (bad disk, killed) leaves the last commit untouched and
    // Xapian's automatic flushes never publish a partial batch.
    w->db.commit();
    if (!w->fresh) shim::undo_begin(w);
    w->db.begin_transaction(false);
    return LEDE_OK;
}

// After a discarded or failed transaction: the space it took, back, and
// w closed without writing anything more. Xapian commits whatever is
// pending when a database is closed (or destroyed) outside a transaction,
// and after a failed commit (or a cancel_transaction() that failed
// half-way) something may be; so a transaction is opened first, if none
// is, and closing then drops it. The cut is made while w still holds the
// write lock. Errors of the close are those of the caller's catch.
void close_without_commit(shim_writer_t *w) {
    try {
        w->db.begin_transaction(false);
    } catch (...) {
        // Already in one, or the database is closed: nothing will commit.
    }
    if (w->has_undo) {
        w->has_undo = false;
        try {
            shim::undo_give_back(w->path, w->undo);
        } catch (...) {
            // The note stays, and the next writer tries again.
        }
    }
    w->db.close();
}

} // namespace

SHIM_API lede_status_t shim_writer_open(const shim_writer_opts_t *opts, shim_writer_t **out,
                                        char **errmsg) {
    *out = nullptr;
    if (!opts || !opts->path || !*opts->path) return report(errmsg, LEDE_E_INVALID, "no path");
    shim_writer_t *w = nullptr;
    std::string msg;
    try {
        w = new shim_writer_t();
        open_writer(opts, w);
        *out = w;
        return report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = status_from_exception(msg);
        delete w;
        return report(errmsg, st, msg);
    }
}

SHIM_API lede_status_t shim_writer_add(shim_writer_t *w, const shim_doc_t *doc) {
    try {
        Xapian::Document d = shim::build_document(w->tg, doc);
        w->db.add_document(d);
        keep(w, shim::batch_op::ADD, "", "", d);
        return LEDE_OK;
    } catch (...) {
        return fail(w);
    }
}

SHIM_API lede_status_t shim_writer_upsert(shim_writer_t *w, const shim_doc_t *doc) {
    try {
        Xapian::Document d = shim::build_document(w->tg, doc);
        std::string term = shim::id_term(doc->id);
        w->db.replace_document(term, d);
        keep(w, shim::batch_op::REPLACE, term, "", d);
        return LEDE_OK;
    } catch (...) {
        return fail(w);
    }
}

SHIM_API lede_status_t shim_writer_delete(shim_writer_t *w, const char *id, bool *found) {
    try {
        std::string term = shim::id_term(id);
        bool exists = w->db.term_exists(term);
        if (exists) w->db.delete_document(term);
        if (exists) keep(w, shim::batch_op::DELETE, term, "", Xapian::Document());
        if (found) *found = exists;
        return LEDE_OK;
    } catch (...) {
        return fail(w);
    }
}

SHIM_API lede_status_t shim_writer_set_metadata(shim_writer_t *w, const char *key,
                                                const char *value) {
    try {
        w->db.set_metadata(key, value ? value : "");
        keep(w, shim::batch_op::METADATA, key, value ? value : "", Xapian::Document());
        return LEDE_OK;
    } catch (...) {
        return fail(w);
    }
}

SHIM_API lede_status_t shim_writer_commit(shim_writer_t *w) {
    try {
        // An unflushed transaction only applies its changes; commit() is
        // what makes them durable and visible to readers.
        commit_changes(w);
        if (!w->fresh) shim::undo_begin(w);
        w->db.begin_transaction(false);
        return LEDE_OK;
    } catch (...) {
        return fail(w);
    }
}

SHIM_API uint32_t shim_writer_doccount(const shim_writer_t *w) {
    try {
        return w->db.get_doccount();
    } catch (...) {
        return 0;
    }
}

SHIM_API uint64_t shim_writer_spelling_skips(const shim_writer_t *w, const char **why) {
    if (why) *why = w ? w->spelling_why.c_str() : "";
    return w ? w->spelling_skips : 0;
}

SHIM_API const char *shim_writer_errmsg(const shim_writer_t *w) {
    return w ? w->err.c_str() : "no writer";
}

SHIM_API lede_status_t shim_writer_close(shim_writer_t *w, bool discard, char **errmsg) {
    if (!w) return report(errmsg, LEDE_OK, "");
    lede_status_t st = LEDE_OK;
    std::string msg;
    try {
        if (discard) {
            close_without_commit(w);
        } else {
            commit_changes(w);
            shim::undo_forget(w);
            w->db.close();
        }
    } catch (...) {
        st = status_from_exception(msg);
        try {
            close_without_commit(w);
        } catch (...) {
            // Closed already; the first error is the one to report.
        }
    }
    delete w;
    return report(errmsg, st, msg);
}
