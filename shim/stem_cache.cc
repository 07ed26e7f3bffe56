// The writer's stemmer: Snowball behind a bounded memo.
#include "stem_cache.h"

#include "internal.h"

namespace shim {

std::string stem_cache::operator()(const std::string &word) {
    auto hit = memo_.find(word);
    if (hit != memo_.end()) return hit->second;
    std::string stem = inner_(word);
    // Starting again is crude but cheap, and the frequent words, which are
    // what the cache is for, are back after a few articles.
    if (memo_.size() >= STEM_CACHE_MAX_WORDS) memo_.clear();
    memo_.emplace(word, stem);
    return stem;
}

std::string stem_cache::get_description() const {
    return "cached " + inner_.get_description();
}

Xapian::Stem make_cached_stemmer(const char *language) {
    Xapian::Stem plain = make_stemmer(language);
    if (plain.is_none()) return plain;
    // The Stem takes ownership (Xapian's intrusive reference count).
    return Xapian::Stem(new stem_cache(plain));
}

} // namespace shim
