// Snippets without the index. Xapian's MSet::snippet weighs every word of
// the text by its frequency in the database (its "background model"): one
// network round trip per word over a remote shard (issue 14), and two
// thirds of a results page's time locally (issue 16). Here the query's words
// are found in the text by reading it as the TermGenerator does (words,
// case-folded, stemmed as STEM_SOME stems them), and the window shown is
// the one with the most of them, best begun and least broken.
#include "snippet.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <strings.h>
#include <unordered_map>
#include <vector>

#include "internal.h"

namespace shim {

namespace {

namespace U = Xapian::Unicode;

const Xapian::Utf8Iterator END;

// Only the first bytes of a longer text are searched for matches, so that
// a snippet's time is bounded whatever was stored (the deadline is checked
// only between snippets). News articles are far shorter.
constexpr size_t SCAN_LIMIT_BYTES = 256 * 1024;

// The TermGenerator's default: longer words are not indexed.
constexpr size_t MAX_WORD_BYTES = 64;

// ---------------------------------------------------------------------------
// The query's words

// Each repeat of a word in a window is worth this much of the one before.
constexpr double REPEAT_DECAY = 0.4;

// A query's words grouped into concepts: a word and its stem ("nissan",
// "Znissan") are one concept, so that a repeat of either is a repeat.
struct query_words {
    std::unordered_map<std::string, int> concepts;      // word or "Z" + stem
    std::vector<std::pair<std::string, int>> wildcards; // pattern, concept
    std::vector<std::vector<std::string>> phrases;      // each tight phrase's words
    std::vector<int> phrase_concepts;
    std::vector<double> weights; // per concept; in (0, 1] once normalised
    size_t longest_phrase = 0;
    std::bitset<256> initials; // the first bytes a matching word can have
};

// A wildcard's weight is unknown until normalise() gives it the most.
constexpr double UNKNOWN_WEIGHT = -1;

// The free-text fields a query can name (title:, author:) hold the same
// words as a text; other prefixes are filters (source, tag, id...), whose
// terms match no word: false for those.
bool strip_prefix(std::string &term) {
    size_t z = term.compare(0, 1, "Z") == 0 ? 1 : 0;
    char c = z < term.size() ? term[z] : '\0';
    if (c == P_TITLE[0] || c == P_AUTHOR[0])
        term.erase(z, 1);
    else if (c >= 'A' && c <= 'Z')
        return false;
    return term.size() > z;
}

// The TermGenerator's STEM_SOME stems words that begin with a letter.
bool should_stem(const std::string &word) {
    switch (U::get_category(*Xapian::Utf8Iterator(word))) {
    case U::LOWERCASE_LETTER:
    case U::TITLECASE_LETTER:
    case U::MODIFIER_LETTER:
    case U::OTHER_LETTER:
        return true;
    default:
        return false;
    }
}

// A term's weight: how rare it is in the whole index (its inverse
// document frequency), from the statistics the match left in the MSet
// (no database access); 0 when the match has none for it. Not the MSet's
// termweight: Xapian 1.4 adds up each shard's bound for that, so over
// shards a word found in all of them would weigh more than on one index.
struct term_weights {
    const Xapian::MSet &mset;
    double docs; // in the whole index

    double operator()(const std::string &term) const {
        try {
            mset.get_termweight(term); // throws for a term the match has no statistics for
            double freq = mset.get_termfreq(term);
            return std::log((docs + 1) / (freq + 0.5));
        } catch (const Xapian::Error &) {
            return 0;
        }
    }
};

int concept_of(query_words &q, const std::string &key) {
    auto it = q.concepts.emplace(key, static_cast<int>(q.weights.size()));
    if (it.second) q.weights.push_back(0);
    return it.first->second;
}

void add_term(query_words &q, const Xapian::Stem &stem, const std::string &term, double weight) {
    std::string word = term;
    if (!strip_prefix(word)) return;
    bool stemmed = word[0] == 'Z';
    std::string key = stemmed || !should_stem(word) ? word : "Z" + stem(word);
    int c = concept_of(q, key);
    if (!stemmed) q.concepts.emplace(word, c);
    q.weights[c] = std::max(q.weights[c], weight);
}

// The pattern of a wildcard is not in the public API, but its
// description is "Query(WILDCARD SYNONYM pattern)".
void add_wildcard(query_words &q, const Xapian::Query &query) {
    std::string d = query.get_description();
    size_t at = d.find("WILDCARD ");
    if (at == std::string::npos || (at = d.find(' ', at + 9)) == std::string::npos) return;
    std::string pattern = d.substr(at + 1, d.find_first_of(" )", at + 1) - at - 1);
    if (!strip_prefix(pattern) || pattern[0] == 'Z') return;
    q.wildcards.emplace_back(pattern, static_cast<int>(q.weights.size()));
    q.weights.push_back(UNKNOWN_WEIGHT);
}

// A phrase is looked for as a whole when it is tight (quoted words; not
// ADJ/n or NEAR) and made of unstemmed terms. Its window is not in the
// public API but in its description: "(a@1 PHRASE 2 b@2)".
bool add_phrase(query_words &q, const Xapian::Query &query, const term_weights &weight_of) {
    size_t n = query.get_num_subqueries();
    std::vector<std::string> words;
    double weight = 0;
    for (size_t i = 0; i < n; i++) {
        Xapian::Query sub = query.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM) return false;
        std::string w = *sub.get_terms_begin();
        weight += weight_of(w);
        if (!strip_prefix(w) || w[0] == 'Z') return false;
        words.push_back(w);
    }
    if (query.get_description().find(" PHRASE " + std::to_string(n) + " ") == std::string::npos)
        return false;
    q.longest_phrase = std::max(q.longest_phrase, n);
    q.phrases.push_back(std::move(words));
    q.phrase_concepts.push_back(static_cast<int>(q.weights.size()));
    q.weights.push_back(weight);
    return true;
}

void collect(query_words &q, const Xapian::Query &query, const term_weights &weight_of,
             const Xapian::Stem &stem) {
    size_t n = query.get_num_subqueries();
    switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        std::string term = *query.get_terms_begin();
        add_term(q, stem, term, weight_of(term));
        return;
    }
    case Xapian::Query::OP_WILDCARD:
        add_wildcard(q, query);
        return;
    case Xapian::Query::OP_PHRASE:
        if (add_phrase(q, query, weight_of)) return;
        break;
    case Xapian::Query::OP_AND_NOT: // what follows the first part excludes
    case Xapian::Query::OP_FILTER:  // or filters
        n = std::min<size_t>(n, 1);
        break;
    default:
        break;
    }
    for (size_t i = 0; i < n; i++) collect(q, query.get_subquery(i), weight_of, stem);
}

// Every matched word counts, the rarer ones more: from LIGHTEST_WEIGHT
// (weight 0, a word in almost every document) to 1 (the heaviest of the
// query). Even the lightest word counts more than all the repeats of the
// heaviest (REPEAT_DECAY / (1 - REPEAT_DECAY)), so windows with more
// distinct words win.
constexpr double LIGHTEST_WEIGHT = 0.7;

void normalise(std::vector<double> &weights) {
    double top = 0;
    for (double w : weights) top = std::max(top, w);
    for (double &w : weights)
        w = w < 0 || top <= 0 ? 1 : LIGHTEST_WEIGHT + (1 - LIGHTEST_WEIGHT) * w / top;
}

// English stemmers keep a word's first letter ("running": "run"), so a
// word can match a word, stem or wildcard of the query only if it begins
// with the same byte: the others need not be looked up or stemmed, which
// was most of a snippet's time. Other languages' stemmers may change it
// (German "äpfel": "apfel"), and then every word is looked up.
bool keeps_initial(const Xapian::Stem &stem) {
    std::string d = stem.get_description();
    return d == "Xapian::Stem(english)" || d == "Xapian::Stem(porter)";
}

void set_initials(query_words &q, const Xapian::Stem &stem) {
    if (!keeps_initial(stem)) {
        q.initials.set();
        return;
    }
    for (const auto &c : q.concepts)
        q.initials.set(static_cast<unsigned char>(c.first[c.first[0] == 'Z' ? 1 : 0]));
    for (const auto &w : q.wildcards) q.initials.set(static_cast<unsigned char>(w.first[0]));
}

query_words words_of_query(const Xapian::Query &query, const Xapian::MSet &mset,
                           Xapian::doccount docs, const Xapian::Stem &stem) {
    query_words q;
    collect(q, query, term_weights{mset, static_cast<double>(docs)}, stem);
    normalise(q.weights);
    set_initials(q, stem);
    return q;
}

// ---------------------------------------------------------------------------
// The text's words

struct word_t {
    size_t start, end; // its bytes in the text; end is past a suffix ("C++")
    int concept;       // the query concept it begins, or -1
    unsigned span;     // words highlighted as one from here (a phrase); 0: none
    unsigned flags;    // where it stands: *_START
};

constexpr unsigned TEXT_START = 1, PARA_START = 2, SENTENCE_START = 4, CLAUSE_START = 8;

bool ascii_upper(unsigned ch) {
    return ch >= 'A' && ch <= 'Z';
}

bool is_digit(unsigned ch) {
    return ch < 0x80 ? ch >= '0' && ch <= '9' : U::get_category(ch) == U::DECIMAL_DIGIT_NUMBER;
}

// Zero-width characters inside a word are skipped.
constexpr unsigned IGNORED = std::numeric_limits<unsigned>::max();

bool zero_width(unsigned ch) {
    return ch >= 0x200b && (ch <= 0x200d || ch == 0x2060 || ch == 0xfeff);
}

// What joins two runs of letters into one word ("AT&T", "don't").
unsigned infix_of(unsigned ch) {
    if (ch == '\'' || ch == '&' || ch == 0xb7 || ch == 0x5f4 || ch == 0x2027) return ch;
    if (ch == 0x2019 || ch == 0x201b) return '\''; // typographic apostrophes
    return zero_width(ch) ? IGNORED : 0;
}

// What joins two runs of digits into one number ("1,750.5").
unsigned digit_infix_of(unsigned ch) {
    static const unsigned JOINERS[] = {',',   '.',    ';',    0x37e,  0x589, 0x60d,
                                       0x7f8, 0x2044, 0xfe10, 0xfe13, 0xfe14};
    for (unsigned j : JOINERS)
        if (ch == j) return ch;
    return zero_width(ch) ? IGNORED : 0;
}

// The largest cut at or before at that does not split a UTF-8 sequence.
size_t char_boundary(const std::string &text, size_t at) {
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80) at--;
    return at;
}

size_t scan_end(const std::string &text, size_t limit) {
    return limit < text.size() ? char_boundary(text, limit) : text.size();
}

// One character of a text: its code point and its length in bytes. Most
// news text is ASCII, read here without a call into Xapian (the reading was
// much of a snippet's time); an invalid or cut sequence reads as one
// Latin-1 byte, as Xapian's Utf8Iterator reads it.
struct char_t {
    unsigned ch;
    size_t len;
};

char_t char_at(const char *p, const char *end) {
    const unsigned char *u = reinterpret_cast<const unsigned char *>(p);
    unsigned c = u[0];
    if (c < 0xc2 || c >= 0xf5) return {c, 1}; // ASCII, or not a lead byte
    size_t n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (static_cast<size_t>(end - p) < n) return {c, 1};
    for (size_t i = 1; i < n; i++)
        if ((u[i] & 0xc0) != 0x80) return {c, 1};
    if ((c == 0xe0 && u[1] < 0xa0) || (c == 0xf0 && u[1] < 0x90) || (c == 0xf4 && u[1] >= 0x90))
        return {c, 1}; // overlong, or past U+10FFFF
    unsigned ch = c & (0x7fu >> n);
    for (size_t i = 1; i < n; i++) ch = (ch << 6) | (u[i] & 0x3f);
    return {ch, n};
}

bool ascii_wordchar(unsigned ch) {
    return (ch >= 'a' && ch <= 'z') || ascii_upper(ch) || (ch >= '0' && ch <= '9') || ch == '_';
}

bool wordchar(unsigned ch) {
    return ch < 0x80 ? ascii_wordchar(ch) : U::is_wordchar(ch);
}

bool blank(unsigned ch) {
    return ch < 0x80 ? ch <= ' ' || ch == 0x7f : U::is_whitespace(ch);
}

unsigned lower(unsigned ch) {
    if (ch < 0x80) return ascii_upper(ch) ? ch + ('a' - 'A') : ch;
    return U::tolower(ch);
}

void append_char(std::string &s, unsigned ch) {
    if (ch < 0x80)
        s += static_cast<char>(ch);
    else
        U::append_utf8(s, ch);
}

// Reads words as Xapian's TermGenerator does, so that a word of the text
// and a term of the query compare: runs of word characters, lower-cased,
// joined by infixes, with up to three '+' or '#' ("C++"); initials
// ("U.S.") read as one word ("us").
class word_reader {
    const char *base_, *p_, *end_;

    char_t at(const char *p) const {
        return p < end_ ? char_at(p, end_) : char_t{0, 0};
    }
    bool read_initials(std::string &term);
    unsigned read_ascii(std::string &term);
    void read_plain(std::string &term);
    void read_suffix(std::string &term);

  public:
    // Reads text up to limit bytes, never splitting a character.
    word_reader(const std::string &text, size_t limit)
        : base_(text.data()), p_(base_), end_(base_ + scan_end(text, limit)) {}
    // The next word's form in term and its bytes in [start, end); false at
    // the end.
    bool next(std::string &term, size_t &start, size_t &end);
};

bool word_reader::read_initials(std::string &term) {
    if (!ascii_upper(static_cast<unsigned char>(*p_))) return false;
    const char *p = p_;
    std::string t;
    while (true) {
        t += static_cast<char>(lower(static_cast<unsigned char>(*p++)));
        if (p == end_ || *p != '.' || ++p == end_ || !ascii_upper(static_cast<unsigned char>(*p)))
            break;
    }
    if (t.size() < 2 || wordchar(at(p).ch)) return false;
    term = t;
    p_ = p;
    return true;
}

// A run of ASCII word characters appended to term, lower-cased, without
// decoding each (most of news text; the reading was a third of a
// snippet's time). Returns the last one, or 0 when there was none.
unsigned word_reader::read_ascii(std::string &term) {
    const char *run = p_;
    while (p_ < end_ && ascii_wordchar(static_cast<unsigned char>(*p_))) p_++;
    if (p_ == run) return 0;
    size_t from = term.size();
    term.append(run, static_cast<size_t>(p_ - run));
    for (size_t i = from; i < term.size(); i++)
        term[i] = static_cast<char>(lower(static_cast<unsigned char>(term[i])));
    return static_cast<unsigned char>(term.back());
}

void word_reader::read_plain(std::string &term) {
    while (true) {
        unsigned prev = read_ascii(term);
        char_t c = at(p_);
        for (; c.len && wordchar(c.ch); c = at(p_ += c.len)) append_char(term, prev = lower(c.ch));
        char_t next = c.len ? at(p_ + c.len) : char_t{0, 0};
        if (!next.len || !wordchar(next.ch)) return;
        unsigned infix =
            is_digit(prev) && is_digit(next.ch) ? digit_infix_of(c.ch) : infix_of(c.ch);
        if (!infix) return;
        if (infix != IGNORED) append_char(term, infix);
        p_ += c.len;
    }
}

void word_reader::read_suffix(std::string &term) {
    const char *p = p_;
    while (p < end_ && (*p == '+' || *p == '#')) p++;
    size_t n = static_cast<size_t>(p - p_);
    if (n == 0 || n > 3 || wordchar(at(p).ch)) return;
    term.append(p_, n);
    p_ = p;
}

bool word_reader::next(std::string &term, size_t &start, size_t &end) {
    while (p_ < end_ && static_cast<unsigned char>(*p_) < 0x80 &&
           !ascii_wordchar(static_cast<unsigned char>(*p_)))
        p_++;
    for (char_t c = at(p_); c.len && !wordchar(c.ch); c = at(p_)) p_ += c.len;
    if (p_ >= end_) return false;
    start = static_cast<size_t>(p_ - base_);
    term.clear();
    if (!read_initials(term)) {
        read_plain(term);
        read_suffix(term);
    }
    end = static_cast<size_t>(p_ - base_);
    return true;
}

// ---------------------------------------------------------------------------
// Where sentences and paragraphs begin

// Short words that a full stop follows without ending the sentence.
bool abbreviation(const std::string &text, const word_t &w) {
    static const char *const ABBREVIATIONS[] = {
        "mr",  "mrs", "ms",  "dr",  "st",  "jr",  "sr",  "gen", "col",  "lt",  "sgt",
        "gov", "sen", "rep", "rev", "mt",  "ft",  "no",  "vs",  "jan",  "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "prof", "sept"};
    size_t n = w.end - w.start;
    if (n == 1) return true; // an initial: "J. Smith"
    for (const char *a : ABBREVIATIONS)
        if (strlen(a) == n && strncasecmp(text.data() + w.start, a, n) == 0) return true;
    return false;
}

// A sentence begins with a capital or a digit (or any letter of a script
// without case).
bool sentence_initial(unsigned ch) {
    U::category c = U::get_category(ch);
    return c == U::UPPERCASE_LETTER || c == U::TITLECASE_LETTER || c == U::OTHER_LETTER ||
           c == U::DECIMAL_DIGIT_NUMBER;
}

// What may close a sentence after its full stop: 'said." The'.
bool closing_char(unsigned ch) {
    U::category c = U::get_category(ch);
    return ch == '"' || ch == '\'' || c == U::CLOSE_PUNCTUATION || c == U::FINAL_QUOTE_PUNCTUATION;
}

bool clause_mark(unsigned ch) {
    if (ch == ',' || ch == ';' || ch == ':' || ch == '"') return true;
    U::category c = U::get_category(ch);
    return c == U::OPEN_PUNCTUATION || c == U::INITIAL_QUOTE_PUNCTUATION ||
           c == U::DASH_PUNCTUATION;
}

// What the characters between two words say about the second. A
// paragraph starts after a blank line or an indented one (wire copy's
// "\n    "); a sentence after . ! or ? and a space, with a capital; a
// clause after a comma, colon, bracket, quote or dash and a space.
unsigned boundary_before(const std::string &text, const word_t *prev, const word_t &w) {
    if (!prev) return TEXT_START | PARA_START | SENTENCE_START;
    bool newline = false, para = false, stop = false, sentence = false, mark = false,
         spaced = false;
    unsigned blanks = 0;
    const char *end = text.data() + w.start;
    for (const char *p = text.data() + prev->end; p < end;) {
        char_t c = char_at(p, end);
        unsigned ch = c.ch;
        p += c.len;
        if (ch == '\n') {
            para = para || newline;
            sentence = sentence || stop;
            newline = spaced = true, blanks = 0;
        } else if (blank(ch)) {
            para = para || (newline && ++blanks >= 2);
            sentence = sentence || stop;
            spaced = true;
        } else {
            newline = false;
            stop = ch == '.' || ch == '!' || ch == '?' || (stop && closing_char(ch));
            mark = mark || clause_mark(ch);
        }
    }
    if (para) return PARA_START | SENTENCE_START;
    Xapian::Utf8Iterator initial(text.data() + w.start, text.size() - w.start);
    if (sentence && sentence_initial(*initial) && !abbreviation(text, *prev)) return SENTENCE_START;
    return (mark && spaced) || sentence ? CLAUSE_START : 0;
}

// ---------------------------------------------------------------------------
// Finding the query's words in the text

// Words looked up: their concept or -1. One cache serves every snippet
// of a search, so that a word is stemmed once for a page, not once per
// hit; past KNOWN_WORDS_MAX words it starts again, which bounds it.
using known_words = std::unordered_map<std::string, int>;
constexpr size_t KNOWN_WORDS_MAX = 1 << 16;

class word_matcher {
    const query_words &q_;
    const Xapian::Stem &stem_;
    std::vector<std::string> recent_; // the words before, for phrases (a ring)
    size_t seen_ = 0;                 // words read so far
    known_words &known_;

    int lookup(const std::string &term) const;
    int loose(const std::string &term);
    bool phrase_ends(const std::vector<std::string> &phrase, const std::string &term) const;
    void remember(const std::string &term);

  public:
    word_matcher(const query_words &q, const Xapian::Stem &stem, known_words &known)
        : q_(q), stem_(stem), recent_(q.longest_phrase ? q.longest_phrase - 1 : 0), known_(known) {}
    // Marks words.back(), whose form is term, and the phrase it may end.
    void match(std::vector<word_t> &words, const std::string &term);
};

int word_matcher::lookup(const std::string &term) const {
    auto it = q_.concepts.find(term);
    if (it != q_.concepts.end()) return it->second;
    if (should_stem(term) && (it = q_.concepts.find("Z" + stem_(term))) != q_.concepts.end())
        return it->second;
    for (const auto &w : q_.wildcards)
        if (term.compare(0, w.first.size(), w.first) == 0) return w.second;
    return -1;
}

// Words repeat, and stemming is dear: each is looked up once per text.
int word_matcher::loose(const std::string &term) {
    if (!q_.initials.test(static_cast<unsigned char>(term[0]))) return -1;
    auto it = known_.find(term);
    if (it != known_.end()) return it->second;
    if (known_.size() >= KNOWN_WORDS_MAX) known_.clear();
    return known_.emplace(term, lookup(term)).first->second;
}

bool word_matcher::phrase_ends(const std::vector<std::string> &phrase,
                               const std::string &term) const {
    size_t n = phrase.size();
    if (phrase.back() != term || seen_ < n - 1) return false;
    for (size_t j = 1; j < n; j++) // the j-th word before this one
        if (recent_[(seen_ - j) % recent_.size()] != phrase[n - 1 - j]) return false;
    return true;
}

void word_matcher::remember(const std::string &term) {
    if (!recent_.empty()) recent_[seen_ % recent_.size()] = term;
    seen_++;
}

void word_matcher::match(std::vector<word_t> &words, const std::string &term) {
    word_t &w = words.back();
    if (term.size() <= MAX_WORD_BYTES && (w.concept = loose(term)) >= 0) w.span = 1;
    for (size_t p = 0; p < q_.phrases.size(); p++) {
        size_t n = q_.phrases[p].size();
        if (!phrase_ends(q_.phrases[p], term)) continue;
        word_t *first = &words[words.size() - n];
        for (size_t j = 1; j < n; j++) first[j].concept = -1, first[j].span = 0;
        first->concept = q_.phrase_concepts[p];
        first->span = static_cast<unsigned>(n);
        break;
    }
    remember(term);
}

std::vector<word_t> read_words(const std::string &text, const query_words &q,
                               const Xapian::Stem &stem, known_words &known) {
    std::vector<word_t> words;
    word_reader reader(text, SCAN_LIMIT_BYTES);
    word_matcher matcher(q, stem, known);
    std::string term;
    word_t w = {0, 0, -1, 0, 0};
    while (reader.next(term, w.start, w.end)) {
        w.flags = boundary_before(text, words.empty() ? nullptr : &words.back(), w);
        words.push_back(w);
        matcher.match(words, term);
    }
    return words;
}

// ---------------------------------------------------------------------------
// Choosing the window

// Words [first, last) of the text.
struct window_t {
    size_t first, last;
};

// A window's score: the weights of the concepts it holds, each repeat
// worth REPEAT_DECAY of the one before, so that distinct words count more;
// a bonus for where it begins; penalties for running on into another
// paragraph (a little more for each further one: a table of figures is
// all short paragraphs), for its first match standing far from where it
// should (at the start when the window starts a sentence, some words of
// context into it when not), and for starting late in the text (news puts
// the gist first).
constexpr double TEXT_START_BONUS = 0.75, PARA_START_BONUS = 0.6, SENTENCE_START_BONUS = 0.5;
constexpr double CLAUSE_START_BONUS = 0.15;
constexpr double PARA_BREAK_PENALTY = 0.25, MORE_PARA_BREAKS_PENALTY = 0.05;
constexpr double MISPLACED_MATCH_PENALTY = 0.3; // per window length of distance
constexpr size_t CONTEXT_DIVISOR = 5;           // mid-sentence: a fifth of the window before
constexpr double LATE_START_PENALTY = 0.2;      // at the text's end

double start_bonus(unsigned flags) {
    if (flags & TEXT_START) return TEXT_START_BONUS;
    if (flags & PARA_START) return PARA_START_BONUS;
    if (flags & SENTENCE_START) return SENTENCE_START_BONUS;
    return flags & CLAUSE_START ? CLAUSE_START_BONUS : 0;
}

double break_penalty(size_t breaks) {
    return breaks ? PARA_BREAK_PENALTY + MORE_PARA_BREAKS_PENALTY * double(breaks - 1) : 0;
}

class window_chooser {
    const std::vector<word_t> &w_;
    const std::vector<double> &weights_;
    size_t max_;
    std::vector<unsigned> counts_; // occurrences of each concept in the window
    double sum_ = 0;
    std::vector<size_t> next_match_;   // [k]: the first matched word at or after k, or n
    std::vector<size_t> match_end_;    // [k]: past the last match that starts before k
    std::vector<size_t> next_para_;    // [k]: the first paragraph start at or after k, or n
    std::vector<size_t> paras_before_; // [k]: paragraph starts among words [0, k)
    size_t last_para_ = 0;             // where the text's last paragraph starts

    void add(size_t k);
    void remove(size_t k);
    window_t trimmed(size_t first, size_t last) const;
    double score(window_t t) const;

  public:
    window_chooser(const std::vector<word_t> &words, const std::vector<double> &weights,
                   size_t max_bytes);
    size_t reach(size_t first, size_t last) const; // how far a window from first goes
    window_t opening() const;
    window_t best();
};

window_chooser::window_chooser(const std::vector<word_t> &words, const std::vector<double> &weights,
                               size_t max_bytes)
    : w_(words), weights_(weights), max_(max_bytes), counts_(weights.size()) {
    size_t n = words.size();
    next_match_.assign(n + 1, n);
    next_para_.assign(n + 1, n);
    match_end_.assign(n + 1, 0);
    paras_before_.assign(n + 1, 0);
    for (size_t k = n; k-- > 0;) {
        next_match_[k] = words[k].span ? k : next_match_[k + 1];
        next_para_[k] = words[k].flags & PARA_START ? k : next_para_[k + 1];
    }
    for (size_t k = 0; k < n; k++) {
        match_end_[k + 1] = words[k].span ? k + words[k].span : match_end_[k];
        paras_before_[k + 1] = paras_before_[k] + (words[k].flags & PARA_START ? 1 : 0);
        if (words[k].flags & PARA_START) last_para_ = k;
    }
}

void window_chooser::add(size_t k) {
    if (!w_[k].span) return;
    int c = w_[k].concept;
    sum_ += weights_[c] * std::pow(REPEAT_DECAY, counts_[c]++);
}

void window_chooser::remove(size_t k) {
    if (!w_[k].span) return;
    int c = w_[k].concept;
    sum_ -= weights_[c] * std::pow(REPEAT_DECAY, --counts_[c]);
}

size_t window_chooser::reach(size_t first, size_t last) const {
    last = std::max(last, first + 1); // a word longer than the window is cut
    while (last < w_.size() && w_[last].end - w_[first].start <= max_) last++;
    return last;
}

// A window that runs on into paragraphs with no match of their own stops
// where they begin, unless that leaves it less than a third full; the text's
// last paragraph (a wire story's "Reuter" sign-off) is left out whenever
// it has no match.
window_t window_chooser::trimmed(size_t first, size_t last) const {
    size_t from = std::max(match_end_[last], first + 1);
    size_t p = from < last ? next_para_[from] : last;
    if (p < last && w_[p - 1].end - w_[first].start >= max_ / 3) return {first, p};
    if (last == w_.size() && last_para_ >= from) return {first, last_para_};
    return {first, last};
}

double window_chooser::score(window_t t) const {
    const word_t &start = w_[t.first];
    double s = sum_ + start_bonus(start.flags);
    s -= break_penalty(paras_before_[t.last] - paras_before_[t.first + 1]);
    s -= LATE_START_PENALTY * double(start.start) / double(w_.back().end);
    size_t m = next_match_[t.first];
    if (m < t.last) {
        double lead = double(w_[m].start - start.start);
        bool sentence = (start.flags & (PARA_START | SENTENCE_START)) != 0;
        double want = sentence ? 0 : double(max_ / CONTEXT_DIVISOR);
        s -= MISPLACED_MATCH_PENALTY * std::abs(lead - want) / double(max_);
    }
    return s;
}

window_t window_chooser::opening() const {
    return trimmed(0, reach(0, 1));
}

// Every start is tried, the window reaching as far as max_bytes allows;
// the concepts in it are counted as it slides. The earliest of equals wins.
window_t window_chooser::best() {
    window_t best = opening();
    double best_score = -std::numeric_limits<double>::infinity();
    size_t last = 0;
    for (size_t first = 0; first < w_.size(); first++) {
        if (last <= first) add(last++);
        for (size_t to = reach(first, last); last < to;) add(last++);
        window_t t = trimmed(first, last);
        double s = next_match_[first] < t.last ? score(t) : -1;
        if (s > best_score) best_score = s, best = t;
        remove(first);
    }
    return best;
}

// ---------------------------------------------------------------------------
// Writing it out

bool ascii_in(unsigned ch, const char *set) {
    return ch != 0 && ch < 128 && std::strchr(set, static_cast<int>(ch)) != nullptr;
}

// Opening quotes and brackets and currency signs stay with the word they
// stand before: "(AP)", "$5", "<Nissan". At most four; at the start of
// the text, any four characters but spaces.
bool leading_char(unsigned ch) {
    U::category c = U::get_category(ch);
    return c == U::OPEN_PUNCTUATION || c == U::INITIAL_QUOTE_PUNCTUATION ||
           c == U::CURRENCY_SYMBOL || ascii_in(ch, "\"'#@<");
}

// Closing punctuation stays with the word it follows: "coast.", "25%)".
bool trailing_char(unsigned ch) {
    U::category c = U::get_category(ch);
    return c == U::CLOSE_PUNCTUATION || c == U::FINAL_QUOTE_PUNCTUATION ||
           c == U::CURRENCY_SYMBOL || ascii_in(ch, ".!?\"'%>");
}

constexpr unsigned MAX_PUNCTUATION = 4;

size_t lead_in(const std::string &text, const std::vector<word_t> &w, size_t first) {
    size_t from = first ? w[first - 1].end : 0, begin = w[first].start;
    unsigned run = 0;
    for (Xapian::Utf8Iterator c(text.data() + from, w[first].start - from); c != END; ++c) {
        if (first == 0 ? U::is_whitespace(*c) : !leading_char(*c))
            run = 0;
        else if (run++ == 0)
            begin = static_cast<size_t>(c.raw() - text.data());
    }
    return run > 0 && run <= MAX_PUNCTUATION ? begin : w[first].start;
}

size_t tail_end(const std::string &text, size_t end) {
    Xapian::Utf8Iterator c(text.data() + end, text.size() - end);
    for (unsigned n = 0; c != END && n < MAX_PUNCTUATION && trailing_char(*c); n++) ++c;
    return c == END ? text.size() : static_cast<size_t>(c.raw() - text.data());
}

std::string render(const std::string &text, const std::vector<word_t> &w, window_t t,
                   size_t max_bytes, const snippet_marks &m) {
    size_t pos = lead_in(text, w, t.first), stop = w[t.last - 1].end;
    bool cut = stop - w[t.first].start > max_bytes; // one word longer than the window
    if (cut) stop = char_boundary(text, w[t.first].start + max_bytes);
    std::string out = t.first > 0 ? m.omit : "";
    const size_t NONE = SIZE_MAX;
    size_t hl_last = NONE; // the last word of the open highlight
    for (size_t k = t.first; k < t.last; k++) {
        size_t span_last = std::min(t.last, k + w[k].span) - 1;
        if (w[k].span && hl_last == NONE) {
            out.append(text, pos, w[k].start - pos);
            out += m.hi_start;
            pos = w[k].start, hl_last = span_last;
        } else if (w[k].span) {
            hl_last = std::max(hl_last, span_last);
        }
        if (k != hl_last) continue;
        size_t end = std::min(w[k].end, stop);
        out.append(text, pos, end - pos);
        out += m.hi_end;
        pos = end, hl_last = NONE;
    }
    out.append(text, pos, stop - pos);
    if (!cut) out.append(text, stop, tail_end(text, stop) - stop);
    if (cut || t.last < w.size()) out += m.omit;
    return out;
}

} // namespace

struct snippet_maker::state {
    query_words q;
    const Xapian::Stem &stem;
    known_words known;
};

snippet_maker::snippet_maker(const Xapian::Query &query, const Xapian::MSet &mset,
                             Xapian::doccount docs, const Xapian::Stem &stem)
    : s_(new state{words_of_query(query, mset, docs, stem), stem, {}}) {}

snippet_maker::~snippet_maker() = default;

std::string snippet_maker::make(const std::string &text, size_t max_bytes,
                                const snippet_marks &marks) {
    if (text.empty() || max_bytes == 0) return "";
    std::vector<word_t> words = read_words(text, s_->q, s_->stem, s_->known);
    if (words.empty()) return "";
    window_chooser chooser(words, s_->q.weights, max_bytes);
    return render(text, words, chooser.best(), max_bytes, marks);
}

} // namespace shim
