// Why lede's facet spy skips remote documents.
//
// Over remote shards each server counts its own matches with the spy it
// was sent, and Xapian merges the counts into lede's spy. But when the
// order is not by relevance alone (by date, or by relevance then a value),
// Xapian 1.4's matcher also hands lede's spy each hit of a server's reply
// that sorts below the lowest hit kept so far (MultiMatch::get_mset, the
// path for a candidate that "sorts lower than min_item", which unlike the
// main path does not ask whether the document is remote). Those hits were
// counted by their server already: facets over remote shards sorted by
// date came out a few too high (found comparing them with one index).
// Documents of local sub-databases are counted here as usual: their
// matches run in this process.

#include "value_spy.h"

void shim::value_spy::operator()(const Xapian::Document &doc, double wt) {
    size_t n = remote_subs_.size();
    // Xapian interleaves the sub-databases' document ids: sub-database k
    // holds the ids k + 1, k + 1 + n, ...
    if (n > 0 && remote_subs_[(doc.get_docid() - 1) % n]) return;
    Xapian::ValueCountMatchSpy::operator()(doc, wt);
}
