// A stemmer that remembers the words it stemmed, for the writer's
// TermGenerator; see stem_cache.cc.
#ifndef LEDE_SHIM_STEM_CACHE_H
#define LEDE_SHIM_STEM_CACHE_H

#include <xapian.h>

#include <memory>
#include <string>

namespace shim {

// Slots of the cache, each one 64-byte cache line holding one word and
// its stem: 256 kB per writer, whatever the text. News words are Zipfian,
// so the few thousand most frequent words are most of the words.
constexpr size_t STEM_CACHE_SLOTS = 4096;
// Longer words (or stems) are stemmed every time.
constexpr size_t STEM_CACHE_MAX_BYTES = 31;

// Xapian::Stem's implementation with a direct-mapped memo in front of
// another stemmer. A slot is found by a hash of the word and holds the last
// word that hashed there: one memory access per look-up, because the
// writer's own maps fill the CPU caches and a hash table with pointers
// (std::unordered_map) missed them more often than Snowball costs. Not
// thread-safe, like the TermGenerator that owns it (one per writer).
class stem_cache : public Xapian::StemImplementation {
  public:
    explicit stem_cache(const Xapian::Stem &inner);
    std::string operator()(const std::string &word) override;
    std::string get_description() const override;
    // Words held now (for tests).
    size_t size() const;

  private:
    struct slot {
        unsigned char word_len, stem_len; // word_len 0: empty
        char word[STEM_CACHE_MAX_BYTES], stem[STEM_CACHE_MAX_BYTES];
    };
    Xapian::Stem inner_;
    std::unique_ptr<slot[]> slots_;
};

// The stemmer of language with a cache in front; "none" stays none (a
// TermGenerator only skips stemming for a stemmer without implementation).
// Throws InvalidArgumentError for an unknown language.
Xapian::Stem make_cached_stemmer(const char *language);

} // namespace shim

#endif
