// Wildcards and the partial last word expanded by lede, so that a
// sharded index ranks them exactly as one index does (see wildcards.h).
#include "wildcards.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace shim {

namespace {

// What a word* that no word of the index begins with stands for: a term
// no index has (lede's terms are UTF-8, and 0xff never starts a UTF-8
// character). Not Query::MatchNothing, which Xapian's QueryParser takes
// for a word it dropped.
Xapian::Query no_match() {
    return Xapian::Query(std::string("\xff")); // not shared: Query's count is not atomic
}

class wildcard_processor : public Xapian::FieldProcessor {
    shim_db_t *h_;

  public:
    explicit wildcard_processor(shim_db_t *h) : h_(h) {}
    Xapian::Query operator()(const std::string &n) override {
        size_t k = static_cast<size_t>(strtoul(n.c_str(), nullptr, 10));
        return k < h_->wildcards.size() ? h_->wildcards[k] : no_match(); // typed by a user
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

// Xapian 1.4 estimates how many documents an OR of terms matches two by
// two, each step rounded to a whole document, in a tree it shapes by each
// database's own term frequencies: so one OP_SYNONYM of rare words weighs
// differently in each shard and differently from one index (2 of 60
// sample articles scored 1.52 over two shards, 1.66 on one index). Inner
// synonyms of two (unweighted ORs inside the weighted one) fix the tree's
// shape, so every database takes the same steps in the same order.
Xapian::Query fixed_tree(const std::vector<std::string> &terms, size_t lo, size_t hi) {
    if (hi - lo == 1) return Xapian::Query(terms[lo]);
    size_t mid = lo + (hi - lo) / 2;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, fixed_tree(terms, lo, mid),
                         fixed_tree(terms, mid, hi));
}

// The OR-as-one (OP_SYNONYM) of the max terms starting with stem that
// most documents of the whole index have, as Xapian's
// WILDCARD_LIMIT_MOST_FREQUENT picks them, most frequent first. The
// candidates are kept in a heap of max, whatever the vocabulary's size.
Xapian::Query expansion(const Xapian::Database &db, const std::string &stem,
                        Xapian::termcount max) {
    using candidate = std::pair<Xapian::doccount, std::string>;
    auto most = [](const candidate &a, const candidate &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::vector<candidate> best; // a heap whose front is the least frequent kept
    for (auto t = db.allterms_begin(stem); max > 0 && t != db.allterms_end(stem); ++t) {
        best.emplace_back(t.get_termfreq(), *t);
        std::push_heap(best.begin(), best.end(), most);
        if (best.size() > max) {
            std::pop_heap(best.begin(), best.end(), most);
            best.pop_back();
        }
    }
    if (best.empty()) return Xapian::Query::MatchNothing;
    std::sort_heap(best.begin(), best.end(), most);
    std::vector<std::string> names;
    for (auto &c : best) names.push_back(std::move(c.second));
    return fixed_tree(names, 0, names.size());
}

// The last word of a query still being typed (FLAG_PARTIAL's meaning):
// the word as Xapian's parser would take it (stemmed, as STEM_SOME does a
// lower-case word) or any word it begins, the whole index's most
// frequent first.
Xapian::Query partial_word(shim_db_t *h, const std::string &prefix, const std::string &word,
                           Xapian::termcount max) {
    Xapian::Query full("Z" + prefix + h->stem(word));
    return Xapian::Query(Xapian::Query::OP_OR, expansion(h->db, prefix + word, max), full);
}

// The field name just before text[i] ("title" in "title:word"), or "".
std::string field_before(const std::string &text, size_t i) {
    if (i == 0 || text[i - 1] != ':') return "";
    size_t start = i - 1;
    while (start > 0 && word_byte(static_cast<unsigned char>(text[start - 1]))) start--;
    return text.substr(start, i - 1 - start);
}

// Whether a placeholder can stand where text[i] begins a word: after
// nothing, a space, a bracket, a + or - or a field name's colon (in
// "o'rei" the word "rei" is part of a longer one for Xapian's parser, and
// stays as it is).
bool word_start(const std::string &text, size_t i) {
    return i == 0 || std::string(" \t(+-:").find(text[i - 1]) != std::string::npos;
}

} // namespace

Xapian::FieldProcessor *wildcard_field(shim_db_t *h) {
    return new wildcard_processor(h);
}

std::string expand_wildcards(shim_db_t *h, const std::string &text, Xapian::termcount max,
                             bool partial) {
    h->wildcards.clear();
    if (!partial && text.find('*') == std::string::npos &&
        text.find(WILDCARD_FIELD) == std::string::npos)
        return text;
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
        if (end < text.size() && text[end] == ':' &&
            text.compare(i, end - i, WILDCARD_FIELD) == 0) { // typed: a word, not the field
            out.append(text, i, end - i).append(" ");
            i = end + 1;
            continue;
        }
        std::string field = field_before(text, i), prefix;
        bool wild = end < text.size() && text[end] == '*' && !quoted;
        bool last = partial && end == text.size() && !quoted;
        if (!(wild || last) || !word_start(text, i) || !free_text_prefix(field, &prefix)) {
            out.append(text, i, end - i);
            i = end;
            continue;
        }
        out.erase(out.size() - (field.empty() ? 0 : field.size() + 1)); // the field name goes too
        std::string word = text.substr(i, end - i);
        Xapian::Query q =
            wild ? expansion(h->db, prefix + word, max) : partial_word(h, prefix, word, max);
        h->wildcards.push_back(q.empty() ? no_match() : q);
        out += std::string(WILDCARD_FIELD) + ":" + std::to_string(h->wildcards.size() - 1);
        i = end + (wild ? 1 : 0); // past the '*'
        // The placeholder's value ends here: Xapian 1.4.22's parser would
        // read on ("+ledewildcard:0.c", from "+pl*.c") and, with AND as the
        // default operator, crash on it (fuzz_query).
        if (i < text.size() && !isspace(static_cast<unsigned char>(text[i]))) out += ' ';
    }
    return out;
}

} // namespace shim
