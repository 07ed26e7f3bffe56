// A stemmer that remembers the words it stemmed, for the writer's
// TermGenerator; see stem_cache.cc.
#ifndef LEDE_SHIM_STEM_CACHE_H
#define LEDE_SHIM_STEM_CACHE_H

#include <xapian.h>

#include <string>
#include <unordered_map>

namespace shim {

// Words remembered at most: when one more would not fit, the cache starts
// again empty. Words are at most TermGenerator's 64 bytes, so the cache
// holds a few MB at most; news text needs about 20,000 distinct words per
// 2,000 articles, so a build shard's words mostly fit.
constexpr size_t STEM_CACHE_MAX_WORDS = 32768;

// Xapian::Stem's implementation with a memo in front of another stemmer.
// Word frequencies are Zipfian: most words of an article were stemmed
// before, and a look-up costs a tenth of Snowball's work. Not thread-safe,
// like the TermGenerator that owns it (one per writer).
class stem_cache : public Xapian::StemImplementation {
  public:
    explicit stem_cache(const Xapian::Stem &inner) : inner_(inner) {}
    std::string operator()(const std::string &word) override;
    std::string get_description() const override;
    size_t size() const {
        return memo_.size();
    }

  private:
    Xapian::Stem inner_;
    std::unordered_map<std::string, std::string> memo_;
};

// The stemmer of language with a cache in front; "none" stays none (a
// TermGenerator only skips stemming for a stemmer without implementation).
// Throws InvalidArgumentError for an unknown language.
Xapian::Stem make_cached_stemmer(const char *language);

} // namespace shim

#endif
