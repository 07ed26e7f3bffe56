// Spelling suggestions that leave a correct query alone.
//
// Xapian's own correction (QueryParser's FLAG_SPELLING_CORRECTION) looks
// up every word that is not an exact term, so a capitalised word, a plural
// or a past tense got "corrected" to a more frequent neighbour ("wheat
// exports" -> "what export"). Here a word is corrected only when no form
// of it is in the index: not as typed, not lower-cased, not stemmed. The
// query's structure stays as it was typed: quotes, operators, field names
// and their values, wildcards and the user's capitals.
#include "spelling.h"

#include <cstring>
#include <map>
#include <vector>

#include "parser.h"

namespace shim {

namespace {

// Words shorter than this (in bytes) are never corrected: too many
// neighbours within two edits, and most are abbreviations.
constexpr size_t MIN_CORRECTED_BYTES = 3;

// Edits between a word and its correction: Xapian's default.
constexpr unsigned MAX_EDITS = 2;

// Two letters typed in the wrong order are the commonest slip, and Xapian
// counts the swap as two edits ("Canadain" gave "Canadair", not
// "Canadian"). A word one swap away is preferred to Xapian's suggestion
// unless that is this many times more frequent.
constexpr Xapian::doccount SWAP_ODDS = 20;
// A word in fewer documents than this is as likely a slip as the query's
// ("fertlizer": once in Reuters): never preferred for being one swap away.
constexpr Xapian::doccount SWAP_MIN_DOCS = 3;

bool has_digit(const std::string &w) {
    for (char c : w)
        if (isdigit(static_cast<unsigned char>(c))) return true;
    return false;
}

// Term frequencies in h->db for the words of one query. Over remote shards
// each lookup is a round trip to every shard in turn (a misspelt word of
// eight letters made 44 on 4 shards: its forms, its swaps, the fix), so
// fetch() asks for a set of terms at once, as the statistics of one match
// of all of them (a round trip pair per shard, the shards in parallel),
// and later lookups of those terms are answered from them. That match
// costs each shard more than a lookup (bench/RESULTS.md), so it is kept
// for a misspelt word's many candidates; whether a word is known is
// asked word by word (known), mostly one lookup that the first shard
// answers. Locally a lookup is cheaper than the match, and is made as
// asked. A word too long to be a term is looked up alone.
class term_freqs {
  public:
    explicit term_freqs(const shim_db_t *h) : h_(h) {}
    void fetch(const std::vector<std::string> &terms) {
        std::vector<std::string> ask;
        for (const auto &t : terms)
            if (!t.empty() && t.size() <= MAX_TERM_BYTES && !cache_.count(t)) ask.push_back(t);
        if (!h_->remote || ask.empty()) return;
        Xapian::Enquire enq(h_->db);
        enq.set_query(Xapian::Query(Xapian::Query::OP_OR, ask.begin(), ask.end()));
        Xapian::MSet m = enq.get_mset(0, 0);
        for (const auto &t : ask) cache_[t] = m.get_termfreq(t);
    }
    Xapian::doccount freq(const std::string &t) const {
        auto it = cache_.find(t);
        return it != cache_.end() ? it->second : h_->db.get_termfreq(t);
    }

  private:
    const shim_db_t *h_;
    std::map<std::string, Xapian::doccount> cache_;
};

std::string lower(const std::string &w) {
    return Xapian::Unicode::tolower(w);
}

// The case of the word as typed, carried over to its correction: all
// capitals ("OPEC"), a capital first letter ("Petrolium"), or as is.
std::string with_case_of(const std::string &typed, const std::string &word) {
    bool first_upper = false, all_upper = true, any_letter = false, first = true;
    for (Xapian::Utf8Iterator it(typed); it != Xapian::Utf8Iterator(); ++it, first = false) {
        bool up = Xapian::Unicode::tolower(*it) != *it, low = Xapian::Unicode::toupper(*it) != *it;
        any_letter = any_letter || up || low;
        if (low) all_upper = false;
        if (first && up) first_upper = true;
    }
    if (!any_letter || (!first_upper && !all_upper)) return word;
    std::string out;
    first = true;
    for (Xapian::Utf8Iterator it(word); it != Xapian::Utf8Iterator(); ++it, first = false)
        Xapian::Unicode::append_utf8(out, all_upper || first ? Xapian::Unicode::toupper(*it) : *it);
    return out;
}

// Whether some form of the word is a term of the index (stop words count:
// they are indexed, and never worth correcting).
bool known(const shim_db_t *h, const std::string &typed) {
    std::string w = lower(typed);
    if (is_stopword(w) || h->db.term_exists(w) || h->db.term_exists(typed)) return true;
    return h->db.term_exists("Z" + h->stem(w));
}

// w with each pair of adjacent, different ASCII letters swapped.
std::vector<std::string> swaps(const std::string &w) {
    std::vector<std::string> out;
    for (size_t i = 0; i + 1 < w.size(); i++) {
        unsigned char a = w[i], b = w[i + 1];
        if (a == b || !isalpha(a) || !isalpha(b)) continue;
        std::string t = w;
        std::swap(t[i], t[i + 1]);
        out.push_back(std::move(t));
    }
    return out;
}

// The most frequent term that is w with two adjacent ASCII letters
// swapped, or "".
std::string best_swap(const term_freqs &tf, const std::string &w, Xapian::doccount *freq) {
    std::string best;
    *freq = 0;
    for (const auto &t : swaps(w)) {
        Xapian::doccount f = tf.freq(t);
        if (f > *freq) best = t, *freq = f;
    }
    return best;
}

// Xapian's suggestion for w, or "" when it cannot read the spelling
// entries w needs: Xapian 1.4.22 cannot read back some entries it wrote
// (see shim_writer_spelling_skips), and a suggestion is not worth failing
// a search for.
std::string xapian_suggestion(const Xapian::Database &spell, const std::string &w) {
    try {
        return spell.get_spelling_suggestion(w, MAX_EDITS);
    } catch (const Xapian::DatabaseCorruptError &) {
        return "";
    }
}

// The better spelling of the lower-cased word w, or "", given Xapian's
// suggestion fix (from the spelling data: a shard set's shared spelling
// database, or the index itself); the frequencies are the index's.
std::string correction(const term_freqs &tf, const std::string &w, const std::string &fix) {
    Xapian::doccount swap_freq;
    std::string swap = best_swap(tf, w, &swap_freq);
    if (swap_freq >= SWAP_MIN_DOCS && (fix.empty() || swap_freq * SWAP_ODDS >= tf.freq(fix)))
        return swap;
    return fix;
}

// The end of a field's value that starts at i: a "quoted phrase", a
// (bracketed group), or a run of non-spaces.
size_t value_end(const std::string &s, size_t i) {
    if (i < s.size() && s[i] == '"') {
        size_t close = s.find('"', i + 1);
        return close == std::string::npos ? s.size() : close + 1;
    }
    if (i < s.size() && s[i] == '(') {
        size_t close = s.find(')', i + 1);
        return close == std::string::npos ? s.size() : close + 1;
    }
    while (i < s.size() && !isspace(static_cast<unsigned char>(s[i]))) i++;
    return i;
}

// What to do with the word s[start, end): keep it, or look it up.
bool correctable(const std::string &s, size_t start, size_t end) {
    std::string w = s.substr(start, end - start);
    if (w.size() < MIN_CORRECTED_BYTES || has_digit(w) || is_operator(w)) return false;
    if (end < s.size() && s[end] == '*') return false;                            // a wildcard
    if (start > 0 && (s[start - 1] == '.' || s[start - 1] == '\'')) return false; // a.b, it's
    return !(end < s.size() && (s[end] == '.' && end + 1 < s.size() && s[end + 1] == '.'));
}

// A piece of the query text: a word to check, or text kept as it is.
struct piece {
    size_t start, end;
    bool check;      // a correctable word
    std::string fix; // its correction, once known to need one
};

// The text cut into pieces: field names with their values, and words that
// cannot be corrected, are kept.
std::vector<piece> pieces_of(const std::string &text) {
    std::vector<piece> out;
    size_t i = 0;
    while (i < text.size()) {
        size_t end = i;
        if (!word_byte(static_cast<unsigned char>(text[i]))) {
            out.push_back({i, i + 1, false, {}});
            i++;
            continue;
        }
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end]))) end++;
        if (end < text.size() && text[end] == ':') { // a field name and its value
            end = value_end(text, end + 1);
            out.push_back({i, end, false, {}});
        } else {
            out.push_back({i, end, correctable(text, i, end), {}});
        }
        i = end;
    }
    return out;
}

} // namespace

// In steps: which words are known; what the unknown ones' candidates are
// (Xapian's suggestion from the local spelling data, and the swaps), whose
// frequencies over remote shards are asked for at once; which one wins.
std::string suggest_spelling(shim_db_t *h, const std::string &text) {
    std::vector<piece> pieces = pieces_of(text);
    term_freqs tf(h);
    std::vector<std::string> terms;
    std::vector<piece *> unknown;
    for (auto &p : pieces) {
        if (!p.check || known(h, text.substr(p.start, p.end - p.start))) continue;
        std::string w = lower(text.substr(p.start, p.end - p.start));
        p.fix = xapian_suggestion(h->spell, w); // Xapian's, for now
        for (auto &t : swaps(w)) terms.push_back(std::move(t));
        terms.push_back(p.fix);
        unknown.push_back(&p);
    }
    tf.fetch(terms);
    bool changed = false;
    for (piece *p : unknown) {
        std::string w = lower(text.substr(p->start, p->end - p->start));
        p->fix = correction(tf, w, p->fix);
        if (p->fix == w) p->fix.clear();
        changed = changed || !p->fix.empty();
    }
    if (!changed) return std::string();
    std::string out;
    for (const auto &p : pieces) {
        std::string typed = text.substr(p.start, p.end - p.start);
        out += p.fix.empty() ? typed : with_case_of(typed, p.fix);
    }
    return out;
}

} // namespace shim
