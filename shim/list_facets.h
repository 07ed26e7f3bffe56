// Counting the list facets (tags, places, authors); see list_facets.cc.
#ifndef LEDE_SHIM_LIST_FACETS_H
#define LEDE_SHIM_LIST_FACETS_H

#include <map>
#include <memory>
#include <vector>

#include "document.h"

namespace shim {

class list_spy;

// The counts of one list facet over one search. Owned by the caller; the
// spies it adds to an Enquire live as long as it does.
class list_counter {
  public:
    // Counts the list whose joined slot is list_slot in db, adding the
    // spies for every match to enq. remote: db has a remote shard, which
    // only the item slots can count; remote_subs: which of db's
    // sub-databases are remote (value_spy.h), kept by reference.
    list_counter(const Xapian::Database &db, Xapian::valueno list_slot, Xapian::Enquire &enq,
                 bool remote, const std::vector<bool> &remote_subs);
    ~list_counter();
    // Each item with the number of its occurrences in the matches.
    std::map<std::string, uint32_t> counts() const;

    list_slots slots;
    int items = 0; // item slots counted; -1: counted by list_spy instead
    std::unique_ptr<list_spy> fallback;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies; // by position
    const std::vector<bool> &remote_subs;
};

// Counts the items past the first of each list with the item slots, in
// one more match of query per tier (list_facets.cc). stopper, when not
// NULL, is added to each match.
void count_list_tails(const Xapian::Database &db, const Xapian::Query &query,
                      const std::vector<list_counter *> &lists, Xapian::MatchSpy *stopper);

} // namespace shim

#endif
