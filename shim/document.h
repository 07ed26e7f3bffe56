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
// LIST_SEP, the item count, and the first of the item slots.
struct list_slots {
    Xapian::valueno list, count, items;
};

// The slots of the list whose joined slot is list_slot; false when
// list_slot is not a list's.
bool list_slots_of(Xapian::valueno list_slot, list_slots *out);

} // namespace shim

#endif
