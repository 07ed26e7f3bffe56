// Building documents for the index; see document.cc.
#ifndef LEDE_SHIM_DOCUMENT_H
#define LEDE_SHIM_DOCUMENT_H

#include "internal.h"

namespace shim {

// Indexes d with tg (which must be set up with the index's stemmer).
// Throws InvalidArgumentError when d has no id.
Xapian::Document build_document(Xapian::TermGenerator &tg, const shim_doc_t *d);

// The unique term of a document id.
std::string id_term(const char *id);

// The slots of a list field (tags, places, authors): the items joined by
// LIST_SEP, the item count, the first of the item slots, and the prefix of
// its tier terms.
struct list_slots {
    Xapian::valueno list, count, items;
    const char *tier_prefix;
};

// The slots of the list whose joined slot is list_slot; false when
// list_slot is not a list's.
bool list_slots_of(Xapian::valueno list_slot, list_slots *out);

// Item positions come in tiers: tier 0 is the first item, tier t > 0 the
// items from 2^(t-1) to 2^t - 1. A document has the tier term of each
// tier > 0 it has an item in, so that the few documents with long lists
// can be counted apart, and each document's slots are read about once.
Xapian::valueno tier_begin(unsigned tier);
Xapian::valueno tier_end(unsigned tier); // at most LIST_ITEM_SLOTS
std::string tier_term(const list_slots &s, unsigned tier);

} // namespace shim

#endif
