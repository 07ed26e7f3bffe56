// Wildcards over shards; see wildcards.cc.
#ifndef LEDE_SHIM_WILDCARDS_H
#define LEDE_SHIM_WILDCARDS_H

#include "internal.h"

namespace shim {

// The field name of the placeholders expand_wildcards writes; setup_parser
// gives it wildcard_field() as its field processor.
constexpr const char *WILDCARD_FIELD = "ledewildcard";

// The processor of WILDCARD_FIELD: "N" is the query h->wildcards[N].
Xapian::FieldProcessor *wildcard_field(shim_db_t *h);

// With several shards, the text with each word* (outside quotes, bare or
// after title: or author:) replaced by a placeholder for the OR-as-one
// (OP_SYNONYM) of its max most frequent terms of the whole index, kept in
// h->wildcards: Xapian would expand it in each shard on its own, with
// each shard's own frequencies, and rank differently from one index.
// With one index, text as it is.
std::string expand_wildcards(shim_db_t *h, const std::string &text, Xapian::termcount max);

} // namespace shim

#endif
