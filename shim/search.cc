// Searching: queries, more-like-this, results, snippets, facets, completion.
#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "document.h"
#include "facet_key.h"
#include "internal.h"
#include "list_facets.h"
#include "parser.h"
#include "snippet.h"
#include "value_spy.h"

namespace {

struct facet_t {
    std::string name;
    std::vector<std::pair<std::string, uint32_t>> values;
};

// Stops a match at a deadline: Xapian cannot be told to, but it calls its
// match spies for the documents that match, and an exception from one
// ends get_mset. The clock is read every DEADLINE_CHECK_DOCS documents.
class deadline_spy : public Xapian::MatchSpy {
    static constexpr unsigned DEADLINE_CHECK_DOCS = 16;
    double deadline_;
    unsigned seen_ = 0;

  public:
    explicit deadline_spy(double deadline) : deadline_(deadline) {}
    void operator()(const Xapian::Document &, double) override {
        if (++seen_ % DEADLINE_CHECK_DOCS == 0) shim::check_deadline(deadline_);
    }
    std::string name() const override {
        return "lede.deadline_spy";
    }
};

// SHIM_MATCH_RELAXED with relevance order puts the documents that match
// every word first. A KeyMaker would sort them so, but Xapian 1.4 cannot
// send one to a remote shard; FixedWeightPostingSource it can. So each
// document that matches every word gets FIRST_BOOST added to its weight,
// more than any query gives (64 words of BM25 stay under a few thousand),
// and shim_results_hit takes it off again: the order of one index, on one
// index or many, with no extra match.
constexpr double FIRST_BOOST = 1e5;

Xapian::Query boost_first(const Xapian::Query &query, const Xapian::Query &every_word) {
    Xapian::Query boost((new Xapian::FixedWeightPostingSource(FIRST_BOOST))->release());
    return Xapian::Query(Xapian::Query::OP_OR, query,
                         Xapian::Query(Xapian::Query::OP_FILTER, boost, every_word));
}

struct facet_request {
    std::string name;
    Xapian::valueno slot;
    std::unique_ptr<Xapian::ValueCountMatchSpy> single;
    std::unique_ptr<shim::list_counter> list;
    bool timeline = false; // counts of SLOT_DAY, summed per period
    int key_part = -1;     // counted by facet_spies::keys (facet_key.h)
};

struct facet_spies {
    std::vector<facet_request> reqs;
    std::unique_ptr<Xapian::ValueCountMatchSpy> keys; // the facet keys, when used
};

} // namespace

struct shim_results {
    shim_db *h; // borrowed: where a snippet's failure is explained
    Xapian::Enquire enquire;
    Xapian::MSet mset;
    Xapian::Stem stem;
    std::vector<std::string> data;
    std::vector<facet_t> facets;
    std::unique_ptr<shim::snippet_maker> snippets; // made at the first snippet
    std::string suggestion;
    bool boosted = false;   // SHIM_MATCH_RELAXED's order: see boost_first
    bool keyed = false;     // the hits' summaries ride in their sort keys: see summary_keys
    bool fell_back = false; // the query's plain words were searched
    explicit shim_results(shim_db *handle) : h(handle), enquire(handle->db) {}
};

namespace {

constexpr uint32_t DEFAULT_FACET_VALUES = 10;

constexpr const char *TIMELINE = "timeline";

facet_request make_facet_request(const char *name) {
    facet_request r;
    r.name = name ? name : "";
    r.timeline = r.name == TIMELINE;
    if (r.timeline)
        r.slot = shim::SLOT_DAY;
    else if (!shim::field_lookup(r.name, nullptr, &r.slot))
        throw Xapian::InvalidArgumentError("unknown facet '" + r.name + "'");
    return r;
}

// Two or more of the facets the facet key holds are counted from it in
// one pass (facet_key.h), on an index whose documents all have one.
bool use_facet_keys(const std::vector<facet_request> &reqs, const shim_db_t *h) {
    int in_key = 0;
    for (const auto &r : reqs) in_key += !r.timeline && shim::facet_key_part(r.slot) >= 0;
    return in_key >= 2 && h->facet_keys;
}

facet_spies add_facet_spies(Xapian::Enquire &enq, const shim_db_t *h, const shim_query_t *q) {
    facet_spies f;
    for (size_t i = 0; i < q->n_facets; i++) f.reqs.push_back(make_facet_request(q->facets[i]));
    if (use_facet_keys(f.reqs, h)) {
        f.keys.reset(new shim::value_spy(shim::SLOT_FACET_KEY, h->remote_subs));
        enq.add_matchspy(f.keys.get());
    }
    for (auto &r : f.reqs) {
        shim::list_slots s;
        if (f.keys && !r.timeline && (r.key_part = shim::facet_key_part(r.slot)) >= 0) continue;
        if (shim::list_slots_of(r.slot, &s)) {
            r.list.reset(new shim::list_counter(h->db, r.slot, enq, h->remote, h->remote_subs));
        } else {
            r.single.reset(new shim::value_spy(r.slot, h->remote_subs));
            enq.add_matchspy(r.single.get());
        }
    }
    return f;
}

// "YYYYMMDD" cut to the period of the bucket and written with dashes.
std::string period_key(const std::string &day, shim_timeline_t bucket) {
    if (bucket == SHIM_TIMELINE_YEAR) return day.substr(0, 4);
    std::string key = day.substr(0, 4) + "-" + day.substr(4, 2);
    return bucket == SHIM_TIMELINE_DAY ? key + "-" + day.substr(6, 2) : key;
}

// Every period with a match, oldest first: the day counts summed. A date
// key always has its eight digits (document.cc), and a "YYYY-MM-DD" key
// sorts as its date does.
facet_t collect_timeline(const facet_request &r, shim_timeline_t bucket) {
    std::map<std::string, uint32_t> periods;
    for (auto v = r.single->values_begin(); v != r.single->values_end(); ++v)
        if ((*v).size() == 8) periods[period_key(*v, bucket)] += v.get_termfreq();
    facet_t f;
    f.name = r.name;
    f.values.assign(periods.begin(), periods.end());
    return f;
}

// The list facets' items past the first (list_facets.h).
void count_list_tails(const Xapian::Database &db, const Xapian::Query &query,
                      std::vector<facet_request> &reqs, Xapian::MatchSpy *stopper) {
    std::vector<shim::list_counter *> lists;
    for (auto &r : reqs)
        if (r.list) lists.push_back(r.list.get());
    if (!lists.empty()) shim::count_list_tails(db, query, lists, stopper);
}

// Top values by count, ties by value, so output is stable.
facet_t collect_facet(const facet_request &r, const facet_spies &spies, const shim_query_t *q) {
    if (r.timeline) return collect_timeline(r, q->timeline);
    uint32_t limit = q->facet_limit ? q->facet_limit : DEFAULT_FACET_VALUES;
    facet_t f;
    f.name = r.name;
    if (r.single) {
        for (auto v = r.single->values_begin(); v != r.single->values_end(); ++v)
            f.values.emplace_back(*v, v.get_termfreq());
    } else {
        auto counts = r.list ? r.list->counts() : shim::facet_key_counts(*spies.keys, r.key_part);
        f.values.assign(counts.begin(), counts.end());
    }
    std::sort(f.values.begin(), f.values.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (f.values.size() > limit) f.values.resize(limit);
    return f;
}

void set_sort(Xapian::Enquire &enq, shim_sort_t sort) {
    if (sort == SHIM_SORT_DATE_DESC) enq.set_sort_by_value_then_relevance(shim::SLOT_DATE, true);
    if (sort == SHIM_SORT_DATE_ASC) enq.set_sort_by_value_then_relevance(shim::SLOT_DATE, false);
}

/* Hits that need only their summaries, from remote shards, in relevance
 * order: the summary is made the sort key of equal scores. A remote shard
 * sends each hit's sort key with its MSet, so the summaries come in the
 * match's own reply; fetching a document instead costs a message for its
 * data and one for each of its values (Xapian 1.4's MSG_DOCUMENT), which
 * was most of what a remote ids request cost xapian-tcpsrv. Ties then
 * fall in summary order, which starts with the id, rather than docid
 * order, which over shards says nothing anyway. */
bool summary_keys(const shim_db_t *h, const shim_query_t *q) {
    return h->remote && q->summary_only && q->sort == SHIM_SORT_RELEVANCE;
}

// The hits' summaries from their sort keys (summary_keys); false, with
// nothing kept, when a hit has none (a document indexed before summaries).
bool summaries_from_keys(shim_results *r) {
    for (auto it = r->mset.begin(); it != r->mset.end(); ++it) {
        std::string key = it.get_sort_key();
        if (key.empty()) {
            r->data.clear();
            return false;
        }
        r->data.push_back(std::move(key));
    }
    return true;
}

// A summary is a value: reading it leaves the document's data (the whole
// article, often compressed) untouched. Documents indexed before summaries
// existed have none and give their data.
void fetch_hits(shim_results *r, bool summary_only) {
    r->data.reserve(r->mset.size());
    if (r->keyed && summaries_from_keys(r)) return;
    // MSet::fetch() lets a local index read ahead the page's documents.
    // (A remote shard in Xapian 1.4 ignores it: each document is a round
    // trip of its own, which summary_keys spares ids pages.) It indexes its
    // items by rank, so it reads out of bounds when the page does not
    // start at the first result.
    if (r->mset.get_firstitem() == 0) r->mset.fetch();
    if (summary_only) {
        for (auto it = r->mset.begin(); it != r->mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            std::string s = doc.get_value(shim::SLOT_SUMMARY);
            r->data.push_back(s.empty() ? doc.get_data() : std::move(s));
        }
        return;
    }
    for (auto it = r->mset.begin(); it != r->mset.end(); ++it)
        r->data.push_back(it.get_document().get_data());
}

Xapian::doccount check_count(const Xapian::Database &db, const shim_query_t *q) {
    // Facet counts and totals are exact only when every match is examined.
    if (q->n_facets || q->exact_total)
        return std::max<Xapian::doccount>(q->check_at_least, db.get_doccount());
    return q->check_at_least;
}

// lede's BM25 parameters (docs/ranking.md): Robertson's values for the TREC
// news collections, also Lucene's defaults. Xapian's own are k1 = 1, b = 0.5.
constexpr double BM25_K1 = 1.2; // how fast repeated words stop adding weight
constexpr double BM25_B = 0.75; // how much long documents are discounted
// Xapian's defaults for the rest: no extra document-length term, a word
// repeated in the query counts more but not linearly, and lengths under half
// the average count as half the average.
constexpr double BM25_K2 = 0, BM25_K3 = 1, BM25_MIN_NORMLEN = 0.5;

void set_ranking(Xapian::Enquire &enq, shim_ranking_t ranking) {
    if (ranking == SHIM_RANKING_XAPIAN_BM25)
        enq.set_weighting_scheme(Xapian::BM25Weight());
    else
        enq.set_weighting_scheme(
            Xapian::BM25Weight(BM25_K1, BM25_K2, BM25_K3, BM25_B, BM25_MIN_NORMLEN));
}

// The query text with q's filters.
Xapian::Query full_query(shim_db_t *h, const shim_query_t *q, std::string *suggestion,
                         bool *fell_back) {
    Xapian::Query query = shim::parse_text(h, q, suggestion, fell_back); // spelling too
    shim::check_deadline(q->deadline);
    Xapian::Query filter = shim::build_filter(q);
    if (!filter.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    return query;
}

// The query of q with every word required, to be ranked first.
Xapian::Query every_word(shim_db_t *h, const shim_query_t *q) {
    shim_query_t all = *q;
    all.match = SHIM_MATCH_ALL;
    all.suggest = false;
    return full_query(h, &all, nullptr, nullptr);
}

// Each step is a separate Xapian call; the deadline is checked between
// them, and in the match for each document that matches (deadline_spy).
// A match can still run past it on documents that are examined but do
// not match (a long phrase of common words): the query size limits bound
// those.
void run_search(shim_db_t *h, const shim_query_t *q, shim_results *r) {
    shim::check_deadline(q->deadline);
    Xapian::Query query = full_query(h, q, &r->suggestion, &r->fell_back);
    r->boosted = q->match == SHIM_MATCH_RELAXED && q->sort == SHIM_SORT_RELEVANCE;
    r->enquire.set_query(r->boosted ? boost_first(query, every_word(h, q)) : query);
    set_ranking(r->enquire, q->ranking);
    set_sort(r->enquire, q->sort);
    r->keyed = summary_keys(h, q);
    if (r->keyed) r->enquire.set_sort_by_relevance_then_value(shim::SLOT_SUMMARY, true);
    /* No Enquire::set_time_limit: Xapian 1.4 times the match with a POSIX
     * timer whose expiry sets a flag in get_mset's stack frame from a
     * thread glibc starts (SIGEV_THREAD), and timer_delete does not wait
     * for a notification already on its way. A timer that expires as the
     * match ends writes into the stack after get_mset has returned; it
     * corrupted the unwinding of the deadline exception thrown next
     * (std::terminate, seen in test_timeout) and crashes ThreadSanitizer.
     * The deadline is kept by deadline_spy and the checks between steps. */
    facet_spies spies = add_facet_spies(r->enquire, h, q);
    deadline_spy stopper(q->deadline);
    // A remote server cannot run lede's own spies; its request timeout
    // (shim_shard_opts_t) bounds the match instead.
    if (q->deadline > 0 && !h->remote) r->enquire.add_matchspy(&stopper);
    r->mset = r->enquire.get_mset(q->offset, q->limit, check_count(h->db, q));
    r->enquire.clear_matchspies();
    shim::check_deadline(q->deadline);
    bool stop = q->deadline > 0 && !h->remote;
    count_list_tails(h->db, r->enquire.get_query(), spies.reqs, stop ? &stopper : nullptr);
    shim::check_deadline(q->deadline);
    for (const auto &s : spies.reqs) r->facets.push_back(collect_facet(s, spies, q));
    fetch_hits(r, q->summary_only);
}

// Runs fn(results) with fresh results each attempt (see guarded_read).
template <typename Fn> lede_status_t with_results(shim_db_t *h, shim_results_t **out, Fn fn) {
    *out = nullptr;
    return shim::guarded_read(h, [&] {
        std::unique_ptr<shim_results> r(new shim_results(h));
        r->stem = h->stem;
        fn(r.get());
        *out = r.release();
        return LEDE_OK;
    });
}

// Accepts plain words that say what a document is about.
class topic_terms : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override {
        unsigned char c = static_cast<unsigned char>(term[0]);
        if (term.size() < 3 || (c < 0x80 && !islower(c))) return false;
        if (std::all_of(term.begin(), term.end(),
                        [](char ch) { return isdigit((unsigned char)ch); }))
            return false;
        return !shim::is_stopword(term);
    }
};

// Terms of the seed document that best describe it.
constexpr Xapian::termcount SIMILAR_TERMS = 25;

void run_similar(shim_db_t *h, const char *id, uint32_t offset, uint32_t limit, shim_results *r) {
    std::string idterm = shim::id_term(id);
    Xapian::PostingIterator p = h->db.postlist_begin(idterm);
    if (p == h->db.postlist_end(idterm))
        throw Xapian::DocNotFoundError(std::string("no document with id '") + id + "'");
    Xapian::RSet rset;
    rset.add_document(*p);
    topic_terms decider;
    // Over several shards Xapian would estimate each term's frequency from
    // the seed's shard alone: ask for the global one, as one index has it
    // (a round trip per candidate term to each remote shard).
    int flags = h->shards.size() > 1 ? Xapian::Enquire::USE_EXACT_TERMFREQ : 0;
    Xapian::ESet eset = r->enquire.get_eset(SIMILAR_TERMS, rset, flags, &decider);
    Xapian::Query like(Xapian::Query::OP_OR, eset.begin(), eset.end());
    r->enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(idterm)));
    // Every match is counted: an estimate depends on how the documents
    // fall into shards, and the total would differ from one index's.
    r->mset = r->enquire.get_mset(offset, limit, h->db.get_doccount());
    fetch_hits(r, false);
}

} // namespace

SHIM_API lede_status_t shim_search(shim_db_t *h, const shim_query_t *q, shim_results_t **out) {
    return with_results(h, out, [&](shim_results *r) { run_search(h, q, r); });
}

SHIM_API lede_status_t shim_similar(shim_db_t *h, const char *id, uint32_t offset, uint32_t limit,
                                    shim_results_t **out) {
    return with_results(h, out, [&](shim_results *r) { run_similar(h, id, offset, limit, r); });
}

SHIM_API size_t shim_results_size(const shim_results_t *r) {
    return r->data.size();
}

SHIM_API uint32_t shim_results_total(const shim_results_t *r) {
    return r->mset.get_matches_estimated();
}

SHIM_API uint32_t shim_results_total_lower(const shim_results_t *r) {
    return r->mset.get_matches_lower_bound();
}

SHIM_API uint32_t shim_results_total_upper(const shim_results_t *r) {
    return r->mset.get_matches_upper_bound();
}

SHIM_API void shim_results_hit(const shim_results_t *r, size_t i, shim_hit_t *hit) {
    Xapian::MSetIterator it = r->mset[static_cast<Xapian::doccount>(i)];
    hit->docid = *it;
    hit->rank = it.get_rank() + 1;
    hit->score = it.get_weight();
    if (r->boosted && hit->score >= FIRST_BOOST) hit->score -= FIRST_BOOST;
    hit->percent = it.get_percent();
    hit->data = r->data[i].data();
    hit->data_len = r->data[i].size();
}

// The query's words found in the text without reading the index
// (snippet.cc): only the query and the weights its match left in the MSet.
SHIM_API lede_status_t shim_results_snippet(shim_results_t *r, const char *text, size_t max_bytes,
                                            const char *hi_start, const char *hi_end, char **out) {
    *out = nullptr;
    try {
        shim::snippet_marks marks{hi_start ? hi_start : "", hi_end ? hi_end : "", "…"};
        if (!r->snippets)
            r->snippets.reset(new shim::snippet_maker(r->enquire.get_query(), r->mset,
                                                      r->h->db.get_doccount(), r->stem));
        std::string s = r->snippets->make(text ? text : "", max_bytes, marks);
        *out = shim::dup_string(s);
        return *out ? LEDE_OK : LEDE_E_NOMEM;
    } catch (...) {
        return shim::status_from_exception(r->h->err);
    }
}

SHIM_API double shim_clock(void) {
    return shim::now_s();
}

SHIM_API size_t shim_results_facet_count(const shim_results_t *r) {
    return r->facets.size();
}

SHIM_API const char *shim_results_facet_name(const shim_results_t *r, size_t k) {
    return r->facets[k].name.c_str();
}

SHIM_API size_t shim_results_facet_size(const shim_results_t *r, size_t k) {
    return r->facets[k].values.size();
}

SHIM_API void shim_results_facet_value(const shim_results_t *r, size_t k, size_t j,
                                       const char **value, uint32_t *count) {
    const auto &v = r->facets[k].values[j];
    *value = v.first.c_str();
    *count = v.second;
}

SHIM_API const char *shim_results_suggestion(const shim_results_t *r) {
    return r->suggestion.empty() ? nullptr : r->suggestion.c_str();
}

SHIM_API bool shim_results_fell_back(const shim_results_t *r) {
    return r->fell_back;
}

SHIM_API void shim_results_free(shim_results_t *r) {
    delete r;
}
