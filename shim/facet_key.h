// One value per document holding its year, source and category, so that a
// search asking for two or three of those facets counts them in one pass;
// see facet_key.cc.
#ifndef LEDE_SHIM_FACET_KEY_H
#define LEDE_SHIM_FACET_KEY_H

#include <cstdint>
#include <map>

#include "internal.h"

namespace shim {

// Sets SLOT_FACET_KEY of doc from the values its facet slots already hold.
void add_facet_key(Xapian::Document &doc);

// Which part of the key holds the values of slot: 0 to 2, or -1 when the
// key does not hold that facet.
int facet_key_part(Xapian::valueno slot);

// True when every document of db has a facet key (an index built before
// the keys existed has none, or only its newer documents have one).
bool has_facet_keys(const Xapian::Database &db);

// The counts of part's values among the keys spy counted; documents
// without a value for that facet are not counted, as with a spy of the
// facet's own slot.
std::map<std::string, uint32_t> facet_key_counts(const Xapian::ValueCountMatchSpy &spy, int part);

} // namespace shim

#endif
