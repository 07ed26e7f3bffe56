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
bool known(shim_db_t *h, const std::string &typed) {
    std::string w = lower(typed);
    if (is_stopword(w) || h->db.term_exists(w) || h->db.term_exists(typed)) return true;
    return h->db.term_exists("Z" + h->stem(w));
}

// The most frequent term that is w with two adjacent ASCII letters
// swapped, or "".
std::string best_swap(const Xapian::Database &db, const std::string &w, Xapian::doccount *freq) {
    std::string best;
    *freq = 0;
    for (size_t i = 0; i + 1 < w.size(); i++) {
        unsigned char a = w[i], b = w[i + 1];
        if (a == b || !isalpha(a) || !isalpha(b)) continue;
        std::string t = w;
        std::swap(t[i], t[i + 1]);
        Xapian::doccount f = db.get_termfreq(t);
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

// The better spelling of the lower-cased word w, or "": the spelling data
// is spell's (a shard set's shared spelling database, or db itself), the
// frequencies db's.
std::string correction(const Xapian::Database &spell, const Xapian::Database &db,
                       const std::string &w) {
    std::string fix = xapian_suggestion(spell, w);
    Xapian::doccount swap_freq;
    std::string swap = best_swap(db, w, &swap_freq);
    if (swap_freq >= SWAP_MIN_DOCS &&
        (fix.empty() || swap_freq * SWAP_ODDS >= db.get_termfreq(fix)))
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

} // namespace

std::string suggest_spelling(shim_db_t *h, const std::string &text) {
    std::string out;
    bool changed = false;
    size_t i = 0;
    while (i < text.size()) {
        if (!word_byte(static_cast<unsigned char>(text[i]))) {
            out += text[i++];
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end]))) end++;
        if (end < text.size() && text[end] == ':') { // a field name and its value
            size_t stop = value_end(text, end + 1);
            out.append(text, i, stop - i);
            i = stop;
            continue;
        }
        std::string w = text.substr(i, end - i);
        std::string fix;
        if (correctable(text, i, end) && !known(h, w)) fix = correction(h->spell, h->db, lower(w));
        if (!fix.empty() && fix != lower(w)) {
            out += with_case_of(w, fix);
            changed = true;
        } else {
            out += w;
        }
        i = end;
    }
    return changed ? out : std::string();
}

} // namespace shim
