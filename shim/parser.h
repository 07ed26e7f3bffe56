// Query parsing for a read handle; see parser.cc.
#ifndef LEDE_SHIM_PARSER_H
#define LEDE_SHIM_PARSER_H

#include "internal.h"

namespace shim {

// Configures h->qp for h->db and h->stem: field prefixes, date ranges,
// stop words, wildcard limits. Call again after h->db changes.
void setup_parser(shim_db_t *h);

// Parses the user's query text (empty matches everything). Throws
// QueryParserError on bad syntax unless q->fallback is set, in which case
// the words are searched plainly, without operators and field names, and
// *fell_back (when not NULL) is set. *corrected receives a spelling
// suggestion when q->suggest is set and one exists.
Xapian::Query parse_text(shim_db_t *h, const shim_query_t *q, std::string *corrected,
                         bool *fell_back);

// The filter part of a query: exact fields and the date range. Returns an
// empty Query when there is none. Throws InvalidArgumentError for an
// unknown field or a malformed date.
Xapian::Query build_filter(const shim_query_t *q);

// True for common words of the index's language that carry no topic.
bool is_stopword(const std::string &word);

} // namespace shim

#endif
