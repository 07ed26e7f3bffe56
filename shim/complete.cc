// Completing the last word of a partial query from the index vocabulary.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "internal.h"

namespace {

// How many vocabulary entries one completion may scan: a short prefix
// such as "s" must not walk the whole lexicon.
constexpr size_t SCAN_MAX_TERMS = 20000;

// Plain (unprefixed) terms begin with a lower-case letter, a digit or a
// non-ASCII character; prefixed ones with an upper-case ASCII letter.
bool is_plain_term(const std::string &t) {
    unsigned char c = static_cast<unsigned char>(t[0]);
    return c >= 0x80 || !(c >= 'A' && c <= 'Z');
}

std::vector<std::string> complete(const Xapian::Database &db, const std::string &text,
                                  size_t limit) {
    size_t cut = text.find_last_of(" \t\n");
    std::string head = cut == std::string::npos ? "" : text.substr(0, cut + 1);
    std::string word =
        Xapian::Unicode::tolower(cut == std::string::npos ? text : text.substr(cut + 1));
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    if (word.empty() || !is_plain_term(word)) return {};
    size_t scanned = 0;
    for (auto t = db.allterms_begin(word); t != db.allterms_end(word); ++t) {
        if (++scanned > SCAN_MAX_TERMS) break;
        found.emplace_back(t.get_termfreq(), *t);
    }
    std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> out;
    for (size_t i = 0; i < found.size() && out.size() < limit; i++)
        out.push_back(head + found[i].second);
    return out;
}

} // namespace

SHIM_API lede_status_t shim_complete(shim_db_t *h, const char *prefix, size_t limit, char ***out,
                                     size_t *n) {
    *out = nullptr;
    *n = 0;
    return shim::guarded_read(h, [&] {
        std::vector<std::string> words = complete(h->db, prefix ? prefix : "", limit);
        if (words.empty()) return LEDE_OK;
        char **v = static_cast<char **>(calloc(words.size(), sizeof *v));
        if (!v) return LEDE_E_NOMEM;
        for (size_t i = 0; i < words.size(); i++) {
            v[i] = shim::dup_string(words[i]);
            if (!v[i]) {
                shim_strings_free(v, i);
                return LEDE_E_NOMEM;
            }
        }
        *out = v;
        *n = words.size();
        return LEDE_OK;
    });
}
