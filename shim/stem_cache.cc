// The writer's stemmer: Snowball behind a fixed-size memo.
#include "stem_cache.h"

#include <cstring>

#include "internal.h"

namespace shim {

namespace {

static_assert((STEM_CACHE_SLOTS & (STEM_CACHE_SLOTS - 1)) == 0, "a power of two");

// FNV-1a: cheap for words of a few bytes.
size_t slot_of(const std::string &word) {
    uint32_t h = 2166136261u;
    for (unsigned char c : word) h = (h ^ c) * 16777619u;
    return (h ^ (h >> 15)) & (STEM_CACHE_SLOTS - 1);
}

} // namespace

stem_cache::stem_cache(const Xapian::Stem &inner)
    : inner_(inner), slots_(new slot[STEM_CACHE_SLOTS]()) {}

std::string stem_cache::operator()(const std::string &word) {
    if (word.empty() || word.size() > STEM_CACHE_MAX_BYTES) return inner_(word);
    slot &s = slots_[slot_of(word)];
    if (s.word_len == word.size() && memcmp(s.word, word.data(), word.size()) == 0)
        return std::string(s.stem, s.stem_len);
    std::string stem = inner_(word);
    if (stem.size() <= STEM_CACHE_MAX_BYTES) {
        s.word_len = static_cast<unsigned char>(word.size());
        memcpy(s.word, word.data(), word.size());
        s.stem_len = static_cast<unsigned char>(stem.size());
        memcpy(s.stem, stem.data(), stem.size());
    }
    return stem;
}

std::string stem_cache::get_description() const {
    return "cached " + inner_.get_description();
}

size_t stem_cache::size() const {
    size_t n = 0;
    for (size_t i = 0; i < STEM_CACHE_SLOTS; i++) n += slots_[i].word_len > 0;
    return n;
}

Xapian::Stem make_cached_stemmer(const char *language) {
    Xapian::Stem plain = make_stemmer(language);
    if (plain.is_none()) return plain;
    // The Stem takes ownership (Xapian's intrusive reference count).
    return Xapian::Stem(new stem_cache(plain));
}

} // namespace shim
