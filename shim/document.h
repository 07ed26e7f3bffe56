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

} // namespace shim

#endif
