// The facet key (facet_key.h).
//
// A page of results asks for the source, category and year facets. Counted
// by a ValueCountMatchSpy each, every document that matches is looked up
// in three value streams, and those lookups were a quarter of a page's CPU
// (bench/RESULTS.md). One slot holding all three values is one lookup; its
// distinct combinations are few (a source writes in some dozens of
// categories over some years), and each facet's counts are the sums of the
// combinations' counts. It stays a ValueCountMatchSpy, which Xapian can
// run on a remote shard too.
//
// The key is the year, the source and the category, each followed by a
// NUL (no value holds one: they come from C strings); an absent value is
// empty.
#include "facet_key.h"

#include <string>

namespace shim {

namespace {

constexpr Xapian::valueno KEY_PARTS[] = {SLOT_YEAR, SLOT_SOURCE, SLOT_CATEGORY};
constexpr int N_PARTS = sizeof KEY_PARTS / sizeof KEY_PARTS[0];

} // namespace

void add_facet_key(Xapian::Document &doc) {
    std::string key;
    for (Xapian::valueno slot : KEY_PARTS) {
        key += doc.get_value(slot);
        key += '\0';
    }
    doc.add_value(SLOT_FACET_KEY, key);
}

int facet_key_part(Xapian::valueno slot) {
    for (int i = 0; i < N_PARTS; i++)
        if (KEY_PARTS[i] == slot) return i;
    return -1;
}

bool has_facet_keys(const Xapian::Database &db) {
    Xapian::doccount n = db.get_doccount();
    return n > 0 && db.get_value_freq(SLOT_FACET_KEY) == n;
}

std::map<std::string, uint32_t> facet_key_counts(const Xapian::ValueCountMatchSpy &spy, int part) {
    std::map<std::string, uint32_t> counts;
    for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
        const std::string &key = *v;
        size_t start = 0;
        for (int i = 0; i < part && start != std::string::npos; i++) {
            size_t nul = key.find('\0', start);
            start = nul == std::string::npos ? nul : nul + 1;
        }
        if (start == std::string::npos || start >= key.size()) continue;
        size_t end = key.find('\0', start);
        if (end == std::string::npos) end = key.size();
        if (end > start) counts[key.substr(start, end - start)] += v.get_termfreq();
    }
    return counts;
}

} // namespace shim
