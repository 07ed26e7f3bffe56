// English function words, used to ignore noise in queries that match any
// word and in more-like-this term selection. Indexing keeps them, so
// phrases such as "the who" still work.
#include <algorithm>
#include <cstring>
#include <iterator>

#include "parser.h"

namespace shim {

namespace {

// Sorted, for binary search.
const char *const STOPWORDS[] = {
    "a",     "about", "after", "all",    "also",   "am",     "an",      "and",   "any",     "are",
    "as",    "at",    "be",    "been",   "before", "being",  "between", "both",  "but",     "by",
    "can",   "could", "did",   "do",     "does",   "during", "each",    "for",   "from",    "had",
    "has",   "have",  "he",    "her",    "hers",   "him",    "his",     "how",   "i",       "if",
    "in",    "into",  "is",    "it",     "its",    "me",     "more",    "most",  "my",      "no",
    "nor",   "not",   "of",    "on",     "or",     "other",  "our",     "out",   "over",    "own",
    "said",  "same",  "she",   "should", "so",     "some",   "such",    "than",  "that",    "the",
    "their", "them",  "then",  "there",  "these",  "they",   "this",    "those", "through", "to",
    "too",   "under", "until", "up",     "upon",   "very",   "was",     "we",    "were",    "what",
    "when",  "where", "which", "while",  "who",    "whom",   "why",     "will",  "with",    "would",
    "you",   "your",
};

} // namespace

bool is_stopword(const std::string &word) {
    return std::binary_search(std::begin(STOPWORDS), std::end(STOPWORDS), word.c_str(),
                              [](const char *a, const char *b) { return strcmp(a, b) < 0; });
}

} // namespace shim
