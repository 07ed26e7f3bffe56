// The list facets (tags, places, authors). Over remote shards a
// document's list is counted from its item slots (document.h) by Xapian's
// ValueCountMatchSpy, the one match spy a remote shard (xapian-tcpsrv) can
// run. A local database is counted from the joined list slot by list_spy,
// which reads one value per match and takes 0.5x to 0.75x the time of the
// item slots (bench/RESULTS.md, "List facets over remote shards"); so is
// an index without item slots, which cannot be counted over remote.
//
// Reading a slot costs the same for every match whether the document has
// a value there or not, so one spy per item position over every match
// would cost a read per position per match (on Reuters, 16 tags and 19
// places: 7x the time of list_spy). Instead the first item of every match
// is counted with the match itself, and the items of each later tier in
// one more match of the query restricted to the documents with that tier's
// term: the few with long lists.
#include "list_facets.h"
#include "value_spy.h"

namespace shim {

// Counts each item of a list slot: one document adds one to each of its
// items.
class list_spy : public Xapian::MatchSpy {
    Xapian::valueno slot_;
    std::map<std::string, uint32_t> counts_;

  public:
    explicit list_spy(Xapian::valueno slot) : slot_(slot) {}
    void operator()(const Xapian::Document &doc, double) override {
        std::string v = doc.get_value(slot_);
        size_t start = 0;
        while (start < v.size()) {
            size_t end = v.find(LIST_SEP, start);
            if (end == std::string::npos) end = v.size();
            if (end > start) counts_[v.substr(start, end - start)]++;
            start = end + 1;
        }
    }
    std::string name() const override {
        return "lede.list_spy";
    }
    const std::map<std::string, uint32_t> &counts() const {
        return counts_;
    }
};

namespace {

// How many item slots to count for the list s, or -1 when they cannot
// count it and list_spy must. Value statistics are summed (and bounds
// taken) over every shard, local or remote, so this holds for the whole
// database: every document with a list has a count slot (none indexed
// before the item slots existed does) and no list is longer than
// LIST_ITEM_SLOTS. The bound may stay high after deletions, which costs
// spies that find nothing, never a count.
int item_slots_to_count(const Xapian::Database &db, const list_slots &s) {
    Xapian::doccount lists = db.get_value_freq(s.list);
    if (lists == 0) return 0;
    if (db.get_value_freq(s.count) != lists) return -1;
    double longest = Xapian::sortable_unserialise(db.get_value_upper_bound(s.count));
    return longest <= LIST_ITEM_SLOTS ? static_cast<int>(longest) : -1;
}

// Adds to enq a spy for each item slot of c's tier.
void add_tier_spies(list_counter &c, unsigned tier, Xapian::Enquire &enq) {
    Xapian::valueno end = std::min<Xapian::valueno>(tier_end(tier), c.items);
    for (Xapian::valueno k = tier_begin(tier); k < end; k++) {
        c.spies[k].reset(new value_spy(c.slots.items + k, c.remote_subs));
        enq.add_matchspy(c.spies[k].get());
    }
}

// The tier terms of tier for the lists that have items in it, ORed.
Xapian::Query tier_filter(const std::vector<list_counter *> &lists, unsigned tier) {
    std::vector<Xapian::Query> terms;
    for (const list_counter *c : lists)
        if (c->items > 0 && tier_begin(tier) < static_cast<Xapian::valueno>(c->items))
            terms.emplace_back(tier_term(c->slots, tier));
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

} // namespace

list_counter::list_counter(const Xapian::Database &db, Xapian::valueno list_slot,
                           Xapian::Enquire &enq, bool remote, const std::vector<bool> &subs)
    : remote_subs(subs) {
    list_slots_of(list_slot, &slots);
    items = remote ? item_slots_to_count(db, slots) : -1;
    if (items < 0) {
        fallback.reset(new list_spy(slots.list));
        enq.add_matchspy(fallback.get());
        return;
    }
    spies.resize(items);
    add_tier_spies(*this, 0, enq);
}

list_counter::~list_counter() = default;

// A document holds an item in one item slot per occurrence, so the sum
// over the slots is what list_spy counts.
std::map<std::string, uint32_t> list_counter::counts() const {
    if (fallback) return fallback->counts();
    std::map<std::string, uint32_t> out;
    for (const auto &spy : spies) {
        if (!spy) continue; // a tier that was not counted (an exception)
        for (auto v = spy->values_begin(); v != spy->values_end(); ++v) out[*v] += v.get_termfreq();
    }
    return out;
}

void count_list_tails(const Xapian::Database &db, const Xapian::Query &query,
                      const std::vector<list_counter *> &lists, Xapian::MatchSpy *stopper) {
    for (unsigned tier = 1; tier_begin(tier) < LIST_ITEM_SLOTS; tier++) {
        Xapian::Query filter = tier_filter(lists, tier);
        if (filter.empty()) return;
        Xapian::Enquire enq(db);
        enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, filter));
        enq.set_weighting_scheme(Xapian::BoolWeight());
        for (list_counter *c : lists)
            if (c->items > 0) add_tier_spies(*c, tier, enq);
        if (stopper) enq.add_matchspy(stopper);
        enq.get_mset(0, 0, db.get_doccount());
    }
}

} // namespace shim
