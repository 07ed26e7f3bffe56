// Wildcards expanded once over all shards, so that a sharded index ranks
// word* exactly as one index does (see wildcards.h).
#include "wildcards.h"

#include <algorithm>
#include <cstdlib>

namespace shim {

namespace {

class wildcard_processor : public Xapian::FieldProcessor {
    shim_db_t *h_;

  public:
    explicit wildcard_processor(shim_db_t *h) : h_(h) {}
    Xapian::Query operator()(const std::string &n) override {
        size_t k = static_cast<size_t>(strtoul(n.c_str(), nullptr, 10));
        return k < h_->wildcards.size() ? h_->wildcards[k] : Xapian::Query::MatchNothing;
    }
};

// The term prefix of the free-text field a wildcard is in ("" for none);
// false for any other field (boolean fields take "word*" as a value).
bool free_text_prefix(const std::string &field, std::string *prefix) {
    if (field.empty()) return *prefix = "", true;
    if (field == "title") return *prefix = P_TITLE, true;
    if (field == "author") return *prefix = P_AUTHOR, true;
    return false;
}

// OP_SYNONYM of the max terms starting with stem that most documents of
// the whole index have, as Xapian's WILDCARD_LIMIT_MOST_FREQUENT picks.
Xapian::Query expansion(const Xapian::Database &db, const std::string &stem,
                        Xapian::termcount max) {
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    for (auto t = db.allterms_begin(stem); t != db.allterms_end(stem); ++t)
        terms.emplace_back(t.get_termfreq(), *t);
    auto most = [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    if (terms.size() > max) {
        std::partial_sort(terms.begin(), terms.begin() + max, terms.end(), most);
        terms.resize(max);
    }
    if (terms.empty()) return Xapian::Query::MatchNothing;
    std::vector<std::string> names;
    for (auto &t : terms) names.push_back(t.second);
    return Xapian::Query(Xapian::Query::OP_SYNONYM, names.begin(), names.end());
}

// The field name just before text[i] ("title" in "title:word"), or "".
std::string field_before(const std::string &text, size_t i) {
    if (i == 0 || text[i - 1] != ':') return "";
    size_t start = i - 1;
    while (start > 0 && word_byte(static_cast<unsigned char>(text[start - 1]))) start--;
    return text.substr(start, i - 1 - start);
}

} // namespace

Xapian::FieldProcessor *wildcard_field(shim_db_t *h) {
    return new wildcard_processor(h);
}

std::string expand_wildcards(shim_db_t *h, const std::string &text, Xapian::termcount max) {
    h->wildcards.clear();
    if (h->shards.size() < 2 || text.find('*') == std::string::npos) return text;
    std::string out;
    bool quoted = false;
    for (size_t i = 0; i < text.size();) {
        unsigned char c = text[i];
        if (!word_byte(c)) {
            quoted = c == '"' ? !quoted : quoted;
            out += text[i++];
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end]))) end++;
        std::string field = field_before(text, i), prefix;
        bool wild = end < text.size() && text[end] == '*' && !quoted;
        if (!wild || !free_text_prefix(field, &prefix)) {
            out.append(text, i, end - i);
            i = end;
            continue;
        }
        out.erase(out.size() - (field.empty() ? 0 : field.size() + 1)); // the field name goes too
        h->wildcards.push_back(expansion(h->db, prefix + text.substr(i, end - i), max));
        out += std::string(WILDCARD_FIELD) + ":" + std::to_string(h->wildcards.size() - 1);
        i = end + 1; // past the '*'
    }
    return out;
}

} // namespace shim
