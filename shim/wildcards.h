// Wildcards and partial words, ranked alike over shards; see wildcards.cc.
#ifndef LEDE_SHIM_WILDCARDS_H
#define LEDE_SHIM_WILDCARDS_H

#include "internal.h"

namespace shim {

// The field name of the placeholders expand_wildcards writes; setup_parser
// gives it wildcard_field() as its field processor.
constexpr const char *WILDCARD_FIELD = "ledewildcard";

// The processor of WILDCARD_FIELD: "N" is the query h->wildcards[N].
Xapian::FieldProcessor *wildcard_field(shim_db_t *h);

// The text with each word* (outside quotes, bare or after title: or
// author:), and with partial its last word too, replaced by a placeholder
// for the query kept in h->wildcards: the OR-as-one (OP_SYNONYM) of the
// word's max most frequent completions in the whole index, with the word
// itself for the partial one (FLAG_PARTIAL's meaning). Xapian would
// expand them in each shard on its own, with each shard's frequencies,
// and its estimate of a synonym's frequency depends on each database's
// term frequencies too; these queries weigh alike in one index and in
// any number of shards.
std::string expand_wildcards(shim_db_t *h, const std::string &text, Xapian::termcount max,
                             bool partial);

} // namespace shim

#endif
