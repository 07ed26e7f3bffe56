// Unit tests of the writer's stem cache (shim/stem_cache.h): the same
// stems as the plain stemmer, hit or miss, in bounded memory.
#include <string>
#include <vector>

#include "stem_cache.h"

extern "C" {
#include "check.h"
}

namespace {

// CHECK_STR keeps only the pointers, so the strings must outlive it.
void check_same(const std::string &got, const std::string &want) {
    CHECK_STR(got.c_str(), want.c_str());
}

const char *const WORDS[] = {
    "running", "runs",  "ran",        "generously",  "generalization", "nationalities", "bank",
    "banking", "banks", "deposits",   "seasonally",  "statistical",    "zealand",       "zealand's",
    "a",       "",      "connection", "connections", "crise",          "été",           "naïveté",
    "12",      "x",     "sky",
};

// Distinct made-up words, many more than the cache holds.
std::string made_up(unsigned i) {
    static const char *const SUFFIX[] = {"ing", "ed", "s", "ness", "ly", "ation", "ful", ""};
    std::string w;
    for (unsigned k = i; k; k /= 26) w += static_cast<char>('a' + k % 26);
    return w + "o" + SUFFIX[i % 8];
}

void test_same_stems() {
    Xapian::Stem plain("english"), cached = shim::make_cached_stemmer("english");
    for (int round = 0; round < 2; round++) // misses, then hits
        for (const char *w : WORDS) check_same(cached(w), plain(w));
}

void test_bounded() {
    Xapian::Stem plain("english");
    auto *impl = new shim::stem_cache(plain);
    Xapian::Stem cached(impl); // owns impl
    size_t most = 0;
    bool same = true;
    for (unsigned i = 0; i < 3 * shim::STEM_CACHE_SLOTS; i++) {
        std::string w = made_up(i);
        same = same && cached(w) == plain(w);
        if (impl->size() > most) most = impl->size();
    }
    CHECK(same);
    CHECK(most <= shim::STEM_CACHE_SLOTS);
    CHECK(most > shim::STEM_CACHE_SLOTS / 2);
    // Starting again forgets nothing it should not: the first words still stem right.
    for (unsigned i = 0; i < 100; i++) check_same(cached(made_up(i)), plain(made_up(i)));
}

void test_none_and_unknown() {
    CHECK(shim::make_cached_stemmer("none").is_none());
    CHECK(!shim::make_cached_stemmer("french").is_none());
    bool threw = false;
    try {
        shim::make_cached_stemmer("klingon");
    } catch (const Xapian::InvalidArgumentError &) {
        threw = true;
    }
    CHECK(threw);
}

// What the writer indexes: the same terms, wdf and positions with either stemmer.
std::string terms_of(const Xapian::Stem &stem, const char *text) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(stem);
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    Xapian::Document doc;
    tg.set_document(doc);
    for (int i = 0; i < 3; i++) tg.index_text(text, 1, i == 1 ? "S" : "");
    std::string out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        out += *t + ":" + std::to_string(t.get_wdf());
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            out += "," + std::to_string(*p);
        out += " ";
    }
    return out;
}

void test_same_terms() {
    const char *text = "New Zealand's trading bank seasonally adjusted deposit growth rose "
                       "2.6 pct in January; deposits rose, rising banks' deposits. C++ AT&T U.S.";
    check_same(terms_of(shim::make_cached_stemmer("english"), text),
               terms_of(Xapian::Stem("english"), text));
}

} // namespace

int main() {
    RUN(test_same_stems);
    RUN(test_bounded);
    RUN(test_none_and_unknown);
    RUN(test_same_terms);
    return check_summary();
}
