// Spelling suggestions for a read handle; see spelling.cc.
#ifndef LEDE_SHIM_SPELLING_H
#define LEDE_SHIM_SPELLING_H

#include "internal.h"

namespace shim {

// The query text with each word that has no form in the index (as typed,
// lower-cased or stemmed) replaced by the closest word of the spelling
// data, in the case it was typed in; quotes, operators, field names with
// their values and wildcards are kept as they are. "" when no word was
// replaced.
std::string suggest_spelling(shim_db_t *h, const std::string &text);

} // namespace shim

#endif
