// Snippets (snippet.cc): the window of a text that best shows why a
// document matched, with the query's words highlighted. Private to shim/.
#ifndef LEDE_SHIM_SNIPPET_H
#define LEDE_SHIM_SNIPPET_H

#include <xapian.h>

#include <memory>
#include <string>

namespace shim {

// What a snippet puts around a match and in place of omitted text.
struct snippet_marks {
    std::string hi_start, hi_end, omit;
};

// The snippets of one search's hits: about max_bytes of a text, chosen for
// the query that gave mset, its matched words wrapped in the marks; the
// text is copied as it is, never escaped. Reads no database: it uses only
// the query, the term frequencies the match left in mset (docs: the
// documents of the whole index), the stemmer and the text. The query's words are read once, and
// each word of the texts is looked up (and stemmed) once for all the hits. mset and stem must
// outlive it. Throws only std::bad_alloc.
class snippet_maker {
  public:
    snippet_maker(const Xapian::Query &query, const Xapian::MSet &mset, Xapian::doccount docs,
                  const Xapian::Stem &stem);
    ~snippet_maker();
    std::string make(const std::string &text, size_t max_bytes, const snippet_marks &marks);

  private:
    struct state;
    std::unique_ptr<state> s_;
};

} // namespace shim

#endif
