// Query parsing: field prefixes, date ranges, filters, fallbacks.
#include "parser.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "spelling.h"
#include "wildcards.h"

namespace shim {

namespace {

// Wildcard and partial-word expansion cap when the caller gives none.
constexpr Xapian::termcount DEFAULT_MAX_EXPANSION = 100;

// source:TURAN and source:turan find the same documents: filter values are
// lowercased here exactly as the writer lowercases them.
class folded_field : public Xapian::FieldProcessor {
    const char *prefix_;

  public:
    explicit folded_field(const char *prefix) : prefix_(prefix) {}
    Xapian::Query operator()(const std::string &value) override {
        return Xapian::Query(make_term(prefix_, value, true));
    }
};

class stopper : public Xapian::Stopper {
  public:
    bool operator()(const std::string &term) const override {
        return is_stopword(term);
    }
};

// Shared by every parser; it has no state.
const stopper STOPPER;

bool all_digits(const std::string &s, size_t from, size_t n) {
    if (from + n > s.size()) return false;
    for (size_t i = from; i < from + n; i++)
        if (!isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// Parses YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD into a YYYYMMDD day, taking
// the first (lower) or last (upper) day of a year or month. Returns "" if
// the text is not a date.
std::string parse_day(const std::string &s, bool upper) {
    std::string y, m, d;
    if (s.size() == 4 && all_digits(s, 0, 4)) {
        y = s;
    } else if (s.size() == 7 && all_digits(s, 0, 4) && s[4] == '-' && all_digits(s, 5, 2)) {
        y = s.substr(0, 4), m = s.substr(5, 2);
    } else if (s.size() == 10 && all_digits(s, 0, 4) && s[4] == '-' && all_digits(s, 5, 2) &&
               s[7] == '-' && all_digits(s, 8, 2)) {
        y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
    } else if (s.size() == 8 && all_digits(s, 0, 8)) {
        y = s.substr(0, 4), m = s.substr(4, 2), d = s.substr(6, 2);
    } else {
        return "";
    }
    if (!m.empty() && (m < "01" || m > "12")) return "";
    if (!d.empty() && (d < "01" || d > "31")) return "";
    if (m.empty()) m = upper ? "12" : "01";
    if (d.empty()) d = upper ? "31" : "01"; // "31" bounds every month
    return y + m + d;
}

// How a bad date range's error begins: the query was read, its date was
// wrong, so searching its plain words would hide the mistake.
const char BAD_DATE_RANGE[] = "bad date range";

// date:2022-01-01..2022-12-31, date:2022..2023, date:2022-06.., date:..2021
class date_range : public Xapian::RangeProcessor {
  public:
    date_range() : Xapian::RangeProcessor(SLOT_DAY, "date:") {}
    Xapian::Query operator()(const std::string &begin, const std::string &end) override {
        std::string lo = begin.empty() ? "" : parse_day(begin, false);
        std::string hi = end.empty() ? "" : parse_day(end, true);
        if ((!begin.empty() && lo.empty()) || (!end.empty() && hi.empty()))
            throw Xapian::QueryParserError(std::string(BAD_DATE_RANGE) + " '" + begin + ".." + end +
                                           "': use YYYY, YYYY-MM or YYYY-MM-DD");
        if (lo.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, SLOT_DAY, hi);
        if (hi.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, SLOT_DAY, lo);
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_DAY, lo, hi);
    }
};

// Xapian leaves a capitalised word unstemmed, so "Oil Prices" found only
// those exact forms, fewer articles than "oil prices". The query's words
// are lower-cased before parsing, except operators (upper case by
// definition) and field names. *exact receives the capitalised words
// outside phrases, lower-cased: names, whose exact form ranks higher;
// only when some other word is in lower case, for in "Oil Prices" or
// "OIL PRICES" capitals say nothing about names.
std::string fold_case(const std::string &text, std::vector<std::string> *exact) {
    std::string out;
    bool quoted = false, some_lower = false;
    for (size_t i = 0; i < text.size();) {
        unsigned char c = text[i];
        if (!word_byte(c)) {
            if (c == '"') quoted = !quoted;
            out += text[i++];
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end]))) end++;
        std::string w = text.substr(i, end - i);
        bool field = end < text.size() && text[end] == ':';
        if (field || is_operator(w)) {
            out += w;
        } else {
            std::string low = Xapian::Unicode::tolower(w);
            some_lower = some_lower || (low == w && Xapian::Unicode::toupper(w) != w);
            bool wildcard = end < text.size() && text[end] == '*';
            if (low != w && w.size() > 1 && !quoted && !wildcard && (i == 0 || text[i - 1] != ':'))
                exact->push_back(low);
            out += low;
        }
        i = end;
    }
    if (!some_lower) exact->clear();
    return out;
}

// The words of a query that could not be parsed, without its operators,
// field names and punctuation: "title:(oil AND" gives "oil". The words of
// a field's value stay.
std::string plain_words(const std::string &text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        if (!word_byte(static_cast<unsigned char>(text[i]))) {
            i++;
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end]))) end++;
        std::string w = text.substr(i, end - i);
        bool field = end < text.size() && text[end] == ':';
        if (!field && !is_operator(w)) out += (out.empty() ? "" : " ") + w;
        i = end;
    }
    return out;
}

// The exact (unstemmed) forms of the capitalised words: an article that
// has "Baker" ranks above one with only "bakers". Small, so that it
// orders articles that match alike rather than outweighing the match.
constexpr double EXACT_FORM_WEIGHT = 0.1;

Xapian::Query prefer_exact(const Xapian::Query &parsed, const std::vector<std::string> &exact) {
    if (exact.empty() || parsed.empty()) return parsed;
    Xapian::Query forms(Xapian::Query::OP_OR, exact.begin(), exact.end());
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, parsed,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, forms, EXACT_FORM_WEIGHT));
}

// Boolean operators must be upper case (AND, OR, NOT, NEAR), so that the
// words "and" or "not" in a pasted headline stay words.
const unsigned FULL_FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

// Whether w is NEAR/n or ADJ/n (a window operator).
bool window_operator(const std::string &w) {
    size_t op = w.compare(0, 5, "NEAR/") == 0 ? 5 : w.compare(0, 4, "ADJ/") == 0 ? 4 : 0;
    if (!op || op == w.size()) return false;
    return std::all_of(w.begin() + op, w.end(), [](char c) { return isdigit((unsigned char)c); });
}

// A word of a query, with a field name before it or not ("title:oil").
bool plain_term(const std::string &w) {
    size_t colon = w.find(':');
    std::string word = colon == std::string::npos ? w : w.substr(colon + 1);
    if (word.empty() || colon == 0 || is_operator(word)) return false;
    return std::all_of(w.begin(), w.end(),
                       [](char c) { return c == ':' || word_byte(static_cast<unsigned char>(c)); });
}

// Whether text has NEAR or ADJ anywhere Xapian's lexer could take it for
// the operator: a word of its own, at the start or after anything but a
// letter or digit, and before anything but one ("NEAR/5" included).
bool has_proximity(const std::string &text) {
    for (size_t i = 0; i < text.size(); i++) {
        size_t op = text.compare(i, 4, "NEAR") == 0 ? 4 : text.compare(i, 3, "ADJ") == 0 ? 3 : 0;
        if (op && (i == 0 || !word_byte(static_cast<unsigned char>(text[i - 1]))) &&
            (i + op == text.size() || !word_byte(static_cast<unsigned char>(text[i + op]))))
            return true;
    }
    return false;
}

// Xapian 1.4.22's QueryParser leaks what it parsed (96 bytes and more)
// when a query with NEAR or ADJ in it, with a window or not, is a syntax
// error: NEAR/n right after a boolean operator ("x AND NEAR/5 y"), the
// terms before the operator ("OR a h/6 ADJ/2": 288 bytes; "] -b5 NEAR(x":
// fuzz_query), and "NEAR/3h" or "ADJ/5[" are read in ways of their own; a
// client could grow lede-searchd without bound. Its lexer has too many
// states to follow, so a query with such an operator is given to Xapian
// only in a shape that cannot be an error: words (with field names or
// not) and operators (AND, OR, NOT, XOR, NEAR, ADJ, NEAR/n, ADJ/n) in
// turn, separated by spaces, a word at each end. Any other shape is a
// syntax error here, and its words are searched plainly.
bool unsafe_window_query(const std::string &text) {
    if (!has_proximity(text)) return false;
    std::vector<std::string> tokens;
    for (size_t i = 0; i < text.size();) {
        if (text[i] == ' ' || text[i] == '\t') {
            i++;
            continue;
        }
        size_t end = text.find_first_of(" \t", i);
        tokens.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end - i));
        i = end == std::string::npos ? text.size() : end;
    }
    for (size_t k = 0; k < tokens.size(); k++) {
        bool op = is_operator(tokens[k]) || window_operator(tokens[k]);
        bool previous_op = k > 0 && (is_operator(tokens[k - 1]) || window_operator(tokens[k - 1]));
        if (op ? k == 0 || k + 1 == tokens.size() || previous_op : !plain_term(tokens[k]))
            return true;
    }
    return false;
}

} // namespace

void setup_parser(shim_db_t *h) {
    Xapian::QueryParser qp;
    qp.set_database(h->db);
    qp.set_stemmer(h->stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&STOPPER);
    qp.add_prefix("title", P_TITLE);
    qp.add_prefix("author", P_AUTHOR);
    for (int id = 0; id < LEDE_FIELD_COUNT; id++) {
        const char *name = lede_field(id)->name, *prefix = nullptr;
        if (!(lede_field(id)->flags & LEDE_FIELD_PREFIX) || !field_lookup(name, &prefix, nullptr))
            continue;
        qp.add_boolean_prefix(name, (new folded_field(prefix))->release());
    }
    qp.add_rangeprocessor((new date_range())->release());
    qp.add_prefix(WILDCARD_FIELD, wildcard_field(h)->release());
    qp.set_max_expansion(DEFAULT_MAX_EXPANSION, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    h->qp = qp;
}

Xapian::Query parse_text(shim_db_t *h, const shim_query_t *q, std::string *corrected,
                         bool *fell_back) {
    if (!q->text || !*q->text) return Xapian::Query::MatchAll;
    Xapian::QueryParser &qp = h->qp;
    qp.set_default_op(q->match == SHIM_MATCH_ALL ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
    // The plain BM25 baseline keeps every word of the query.
    qp.set_stopper(q->ranking == SHIM_RANKING_XAPIAN_BM25 ? nullptr : &STOPPER);
    Xapian::termcount expand = q->max_expansion ? q->max_expansion : DEFAULT_MAX_EXPANSION;
    qp.set_max_expansion(expand, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    unsigned flags = FULL_FLAGS; // the partial last word: expand_wildcards
    std::vector<std::string> exact;
    std::string text = fold_case(q->text, &exact);
    Xapian::Query parsed;
    try {
        if (unsafe_window_query(text))
            throw Xapian::QueryParserError("Syntax: NEAR/n or ADJ/n in a query of another shape "
                                           "than words and operators in turn");
        parsed = qp.parse_query(expand_wildcards(h, text, expand, q->partial), flags);
    } catch (const Xapian::QueryParserError &e) {
        if (!q->fallback || e.get_msg().rfind(BAD_DATE_RANGE, 0) == 0) throw;
        // Plain words: no operators, no prefixes, no wildcards.
        text = plain_words(text);
        parsed = qp.parse_query(text, 0);
        if (fell_back) *fell_back = true;
    }
    if (corrected && q->suggest) *corrected = suggest_spelling(h, q->text);
    // A query of stop words alone would match nothing: search them as words.
    if (parsed.empty()) parsed = qp.parse_query(text, 0);
    return prefer_exact(parsed, exact);
}

Xapian::Query build_filter(const shim_query_t *q) {
    std::vector<Xapian::Query> parts;
    for (size_t i = 0; i < q->n_filters; i++) {
        const shim_filter_t &f = q->filters[i];
        const char *prefix = nullptr;
        if (!f.field || !field_lookup(f.field, &prefix, nullptr) || !prefix)
            throw Xapian::InvalidArgumentError(std::string("unknown filter field '") +
                                               (f.field ? f.field : "") + "'");
        std::vector<Xapian::Query> any;
        for (size_t j = 0; j < f.n_values; j++)
            any.emplace_back(make_term(prefix, f.values[j] ? f.values[j] : "", true));
        parts.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if ((q->date_from && *q->date_from) || (q->date_to && *q->date_to)) {
        date_range dr;
        try {
            parts.push_back(dr(q->date_from ? q->date_from : "", q->date_to ? q->date_to : ""));
        } catch (const Xapian::QueryParserError &e) {
            throw Xapian::InvalidArgumentError(e.get_msg());
        }
    }
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

} // namespace shim
