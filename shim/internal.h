// Private to shim/: the index schema, the handle structs and the one
// exception-to-status mapping. Nothing here is visible to C.
#ifndef LEDE_SHIM_INTERNAL_H
#define LEDE_SHIM_INTERNAL_H

#include <xapian.h>

#include <string>
#include <sys/stat.h>
#include <utility>
#include <vector>

#include "lede/shim.h"

#define SHIM_API extern "C" __attribute__((visibility("default")))

namespace shim {

// Term prefixes (Omega's conventions where one exists).
constexpr const char *P_ID = "Q";      // unique id: the upsert key
constexpr const char *P_TITLE = "S";   // title words (free text)
constexpr const char *P_AUTHOR = "A";  // author words (free text)
constexpr const char *P_SOURCE = "XS"; // exact, lowercased
constexpr const char *P_CATEGORY = "XC";
constexpr const char *P_TAG = "K";
constexpr const char *P_PLACE = "XP";
constexpr const char *P_AUTHOR_EXACT = "XA";
// Tier terms of the lists (document.h): "XLT3" is on each document with
// more than 4 tags, which search.cc counts beyond the first four.
constexpr const char *P_TAG_TIER = "XLT";
constexpr const char *P_PLACE_TIER = "XLP";
constexpr const char *P_AUTHOR_TIER = "XLA";

// Value slots.
enum slot : Xapian::valueno {
    SLOT_DAY = 0,    // "YYYYMMDD": date ranges
    SLOT_DATE = 1,   // "YYYYMMDDhhmmss": date sort
    SLOT_YEAR = 2,   // "YYYY": year facet
    SLOT_SOURCE = 3, // display strings for facets
    SLOT_CATEGORY = 4,
    SLOT_TAGS = 5, // lists, items separated by LIST_SEP
    SLOT_PLACES = 6,
    SLOT_AUTHORS = 7,
    SLOT_STAMP = 8,   // 8 bytes big-endian: which duplicate wins a merge
    SLOT_SUMMARY = 9, // the hit's fields as JSON, read instead of the data
    // A list's item count (sortable_serialise), on each document whose
    // list is not empty: its value statistics say whether every such
    // document has the item slots below, and the longest list.
    SLOT_TAG_COUNT = 10,
    SLOT_PLACE_COUNT = 11,
    SLOT_AUTHOR_COUNT = 12,
    SLOT_FACET_KEY = 13, // year, source and category in one (facet_key.h)
    // Item k of a list, for k < LIST_ITEM_SLOTS: what Xapian's own
    // (remote-capable) ValueCountMatchSpy counts for the list facets.
    SLOT_TAG_ITEMS = 16,
    SLOT_PLACE_ITEMS = 48,
    SLOT_AUTHOR_ITEMS = 80,
};

// Items of one list with a slot of their own; longer lists are counted
// from the list slot instead (search.cc). No news corpus we hold has a
// list of more than 19 items.
constexpr Xapian::valueno LIST_ITEM_SLOTS = 32;

constexpr char LIST_SEP = '\x1f';

// The title's words are indexed a second time, unprefixed, with this wdf
// so that a match in the title outweighs one in the body.
constexpr Xapian::termcount TITLE_WDF = 3;

// Positions between fields, so that a phrase cannot span two fields.
constexpr Xapian::termpos FIELD_GAP = 100;

// Glass rejects terms over 245 bytes; longer values are cut and hashed.
constexpr size_t MAX_TERM_BYTES = 240;

// Metadata keys.
constexpr const char *META_LANGUAGE = "lede.language";

// A field name of the C API ("source", "tag", ...) to its filter prefix and
// facet slot. Returns false for an unknown name.
bool field_lookup(const std::string &name, const char **prefix, Xapian::valueno *slot);

// prefix + value, lowercased when fold is set, cut to fit a term.
std::string make_term(const char *prefix, const std::string &value, bool fold);

// A byte of a word of the query language: letters, digits, '_' and every
// byte of a multi-byte UTF-8 character.
bool word_byte(unsigned char c);

// AND, OR, NOT, XOR, NEAR, ADJ: the query language's operators (upper case).
bool is_operator(const std::string &w);

// Thrown when a query's deadline has passed; LEDE_E_TIMEOUT.
struct deadline_passed {};

// Seconds on CLOCK_MONOTONIC, the clock of shim_query_t.deadline.
double now_s() noexcept;

// Throws deadline_passed when deadline (0: none) has passed.
void check_deadline(double deadline);

// Maps the exception being handled to a status and a message. Call only
// from inside a catch block. Never throws.
lede_status_t status_from_exception(std::string &msg) noexcept;

// Copies a std::string into malloc'd memory; NULL when out of memory.
char *dup_string(const std::string &s) noexcept;

// Stores msg in *errmsg (when errmsg is not NULL) and returns st.
lede_status_t report(char **errmsg, lede_status_t st, const std::string &msg) noexcept;

// Parses a stemmer name; throws InvalidArgumentError for an unknown one.
Xapian::Stem make_stemmer(const char *language);

} // namespace shim

namespace shim {

// Runs fn() against h, and when a writer has discarded the revision being
// read, reopens h and runs it once more. Every read entry point goes
// through here, so none of them hands LEDE_E_MODIFIED to its caller unless
// the retry fails too.
template <typename Fn> lede_status_t guarded_read(shim_db *h, Fn fn) noexcept;

} // namespace shim

namespace shim {

// What a live writer's transaction may be cut back to (undo.cc): the
// revision it started from and the size of each table file then.
struct undo_note {
    Xapian::rev revision = 0;
    std::vector<std::pair<std::string, off_t>> files;
};

// One change of a live writer's batch, kept so that the batch can be
// written again without its spelling data (writer.cc, commit_changes).
struct batch_op {
    enum kind_t { ADD, REPLACE, DELETE, METADATA } kind;
    std::string key; // the id term (REPLACE, DELETE) or the metadata key
    std::string value;
    Xapian::Document doc; // ADD, REPLACE
};

} // namespace shim

struct shim_writer {
    Xapian::WritableDatabase db;
    Xapian::TermGenerator tg;
    std::string path;
    bool fresh = false; // opened with SHIM_WRITER_FRESH (Xapian's DB_DANGEROUS)
    bool spelling = false;
    shim::undo_note undo;
    bool has_undo = false; // undo holds the state of the last commit
    // The batch since the last commit (live writers with spelling only);
    // batch_whole is false once it outgrew BATCH_REPLAY_OPS and was dropped.
    std::vector<shim::batch_op> batch;
    bool batch_whole = true;
    uint64_t spelling_skips = 0; // batches committed without their spelling data
    std::string spelling_why;    // why the last one was
    std::string err;
};

namespace shim {

// undo.cc: the space of a transaction that did not commit. undo_begin
// records the committed state (in w->undo and in a note beside the tables)
// before the first change; undo_forget drops it after a commit.
// undo_give_back cuts the tables of dir back to n when n's revision is
// still the committed one, and undo_recover does so for a note a dead
// writer left; both remove the note and return the bytes given back. Call
// them only while holding the write lock.
void undo_begin(shim_writer_t *w);
void undo_forget(shim_writer_t *w);
uint64_t undo_give_back(const std::string &dir, const undo_note &n);
uint64_t undo_recover(const std::string &dir);
bool undo_pending(const std::string &dir);

} // namespace shim

namespace shim {

// One database of a reading handle: a local index (a glass directory, or
// lede's index directory whose stub names the live generation) or a remote
// one served by xapian-tcpsrv.
struct shard {
    std::string spec; // as given: a path, or tcp://HOST:PORT with
                      // replicas after '|'
    std::vector<std::pair<std::string, unsigned>> replicas; // remote: each server
    std::string host;           // remote: the server in use (one of replicas)
    unsigned port = 0;          // remote when not 0
    std::string stub_path;      // local: the stub whose switch means a new generation
    struct stat stub_stat = {}; // its identity when last opened
    std::string uuid;           // remote: the database the server has open
    Xapian::Database db;        // this shard alone
    bool up = false;
    double retry_at = 0;   // when a shard that is down is tried again
    unsigned failures = 0; // attempts failed in a row: the wait doubles
    std::string err;       // why it is down
    bool remote() const {
        return port != 0;
    }
};

// How a handle reaches its shards (shim_shard_opts_t).
struct shard_opts {
    unsigned connect_timeout_ms = 10000;
    unsigned timeout_ms = 10000;
    bool partial = false;
    std::string spelling;
};

} // namespace shim

struct shim_db {
    std::string path;           // what was opened: for messages and checks
    std::string stub_path;      // a stub listing the shards, or ""
    struct stat stub_stat = {}; // its identity when last read
    std::vector<shim::shard> shards;
    shim::shard_opts opts;
    bool remote = false;           // some shard is remote: no custom spies
    std::vector<bool> remote_subs; // for each sub-database of db: remote? (value_spy.h)
    bool facet_keys = false;       // every document of db has a facet key (facet_key.h)
    Xapian::Database db;           // the shards that are up, as one
    Xapian::Database spell;        // "did you mean": opts.spelling, or db
    Xapian::QueryParser qp;
    Xapian::Stem stem;
    std::vector<Xapian::Query> wildcards; // the query being parsed: wildcards.h
    std::string err;
};

namespace shim {

void reopen_handle(shim_db_t *h); // db.cc: reopen(), following stub switches

// shards.cc: the shard set behind a handle.
std::string find_stub(const std::string &path);               // path, path/XAPIANDB, or ""
void shards_from_spec(shim_db_t *h, const std::string &spec); // one shard, opened
void shards_from_stub(shim_db_t *h, const std::string &stub); // every line of a stub
bool shards_reopen(shim_db_t *h);                             // true when anything changed
void shards_combine(shim_db_t *h);                            // h->db from the shards up
// Before a read: reconnects the shards that are down and due; with the
// "fail" policy, LEDE_E_NETWORK naming a shard still down (else LEDE_OK).
lede_status_t shards_ready(shim_db_t *h) noexcept;
// After a network error: checks every remote shard, reconnecting or
// marking down; false when nothing could be repaired.
bool shards_repair(shim_db_t *h) noexcept;

template <typename Fn> lede_status_t guarded_read(shim_db *h, Fn fn) noexcept {
    lede_status_t ready = shards_ready(h);
    if (ready != LEDE_OK) return ready;
    for (int attempt = 0;; attempt++) {
        try {
            return fn();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt > 0) return status_from_exception(h->err);
            try {
                reopen_handle(h);
            } catch (...) {
                return status_from_exception(h->err);
            }
        } catch (const Xapian::NetworkError &) {
            // A broken or idle connection: reconnect, and try once more.
            lede_status_t st = status_from_exception(h->err);
            if (attempt > 0 || !h->remote || !shards_repair(h)) return st;
            if ((ready = shards_ready(h)) != LEDE_OK) return ready;
        } catch (...) {
            return status_from_exception(h->err);
        }
    }
}

} // namespace shim

#endif
