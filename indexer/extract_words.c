/* The extractor's vocabulary. These lists say what words mean; they decide
 * nothing alone: extract_shape.c counts them and extract_class.c weighs the
 * counts with the shape of the line and its place on the page. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* English function words: prose is dense with them, menus and headlines
 * of names are not (jusText's measure). */
static const char *const STOPWORDS[] = {
    "a",       "about", "after",     "again", "against", "all",     "also",     "am",     "an",
    "and",     "any",   "are",       "as",    "at",      "be",      "been",     "before", "being",
    "between", "both",  "but",       "by",    "can",     "could",   "did",      "do",     "does",
    "during",  "each",  "few",       "for",   "from",    "had",     "has",      "have",   "having",
    "he",      "her",   "here",      "hers",  "him",     "his",     "how",      "i",      "if",
    "in",      "into",  "is",        "it",    "its",     "itself",  "just",     "may",    "me",
    "might",   "more",  "most",      "must",  "my",      "no",      "nor",      "not",    "now",
    "of",      "off",   "on",        "once",  "only",    "or",      "other",    "our",    "out",
    "over",    "own",   "same",      "she",   "should",  "since",   "so",       "some",   "such",
    "than",    "that",  "the",       "their", "them",    "then",    "there",    "these",  "they",
    "this",    "those", "through",   "to",    "too",     "under",   "until",    "up",     "upon",
    "very",    "was",   "we",        "were",  "what",    "when",    "where",    "which",  "while",
    "who",     "whom",  "why",       "will",  "with",    "would",   "you",      "your",   "said",
    "says",    "told",  "according", "who",   "because", "however", "although", "though",
};

/* Words with which a site talks about itself and its reader rather than
 * the news: sign-ups, sharing, players, comments, navigation. */
static const char *const SITE_WORDS[] = {
    "subscribe",   "subscribers", "subscription",  "newsletter", "newsletters", "login",
    "logged",      "sign",        "signup",        "register",   "account",     "cookie",
    "cookies",     "privacy",     "browser",       "javascript", "download",    "app",
    "apps",        "video",       "videos",        "player",     "playback",    "advertisement",
    "advertising", "ad",          "ads",           "comment",    "comments",    "reply",
    "share",       "shares",      "sharing",       "tweet",      "follow",      "facebook",
    "twitter",     "telegram",    "instagram",     "youtube",    "whatsapp",    "linkedin",
    "wechat",      "email",       "e-mail",        "emailed",    "print",       "pdf",
    "website",     "portal",      "archived",      "click",      "tap",         "gallery",
    "loading",     "load",        "refresh",       "refreshing", "menu",        "search",
    "skip",        "navigation",  "accessibility", "font",       "cart",        "shopping",
    "feedback",    "ctrl",        "user",          "users",      "notify",      "required",
    "copyright",   "reserved",    "terms",         "offers",     "updates",     "notice",
    "unsupported", "device",      "apologize",     "sorry",      "channel",     "beta",
    "version",     "opinion",     "coverage",      "visit",      "website's",   "webpage",
    "homepage",    "inbox",       "podcast",       "podcasts",   "listen",      "watch",
    "readers",     "exclusive",   "award-winning", "dear",       "password",    "please",
    "article",     "outdated",    "updated",       "ctrl",       "enter",       "languages",
    "links",       "sponsored",   "topics",        "jobs",       "advertise",   "contact",
    "subscribers", "newsletters", "reprints",      "terms",      "help",        "consent",
    "personalise", "personalize", "browsing",      "settings",   "preferences",
};

/* Verbs a site opens its calls to action with. */
static const char *const IMPERATIVES[] = {
    "read",     "follow", "click",    "tap",     "subscribe", "sign",     "share",    "watch",
    "visit",    "see",    "download", "try",     "get",       "join",     "leave",    "enter",
    "please",   "view",   "send",     "contact", "listen",    "take",     "don't",    "like",
    "register", "select", "adjust",   "scroll",  "explore",   "discover", "continue", "skip",
    "back",     "close",  "open",     "report",
};

/* Words a headline does not end on. */
static const char *const WEAK_ENDS[] = {
    "a",   "an",    "the", "of",   "on",   "in",   "to",   "for",  "with", "and",
    "or",  "but",   "by",  "at",   "from", "as",   "into", "over", "his",  "her",
    "its", "their", "our", "your", "that", "than", "is",   "are",  "was",  "be",
};

/* Words of a section name, in the languages of the pages seen. */
static const char *const SECTION_WORDS[] = {
    "news",          "politics",   "political",  "economy",   "economic",      "economics",
    "economical",    "business",   "world",      "today",     "nation",        "national",
    "local",         "society",    "sport",      "sports",    "culture",       "health",
    "science",       "technology", "tech",       "opinion",   "opinions",      "analytics",
    "analysis",      "interview",  "interviews", "region",    "regions",       "energy",
    "finance",       "financial",  "markets",    "lifestyle", "travel",        "arts",
    "international", "editorial",  "editorials", "features",  "crime",         "justice",
    "military",      "defense",    "defence",    "security",  "climate",       "religion",
    "media",         "diplomacy",  "incidents",  "weather",   "obituaries",    "question-answer",
    "top",           "latest",     "us",         "uk",        "europe",        "asia",
    "africa",        "americas",   "middle",     "east",      "entertainment", "education",
    "environment",   "law",        "foreign",    "policy",    "human",         "rights",
    "social",        "life",       "style",      "money",     "commentary",
};

/* Words that mark a picture or its credit. */
static const char *const PHOTO_WORDS[] = {
    "photo",        "photos",       "photograph",
    "photographer", "picture",      "image",
    "images",       "foto",         "fotos",
    "pool",         "getty",        "afp/getty",
    "file",         "illustration", "\xD1\x84\xD0\xBE\xD1\x82\xD0\xBE", /* фото */
};

/* Whole lines that are chrome on many sites. */
static const char *const FURNITURE_PHRASES[] = {
    "leave a review",
    "follow us",
    "follow us on social networks",
    "subscribe",
    "news line",
    "latest headlines",
    "latest news",
    "top stories",
    "more stories",
    "most read",
    "most popular",
    "trending",
    "tags",
    "advertisement",
    "back to top",
    "back to top button",
    "top of page",
    "top",
    "related",
    "related news",
    "related articles",
    "related stories",
    "read more",
    "read also",
    "see also",
    "comments",
    "social",
    "share",
    "share this",
    "share this article",
    "tweet",
    "print",
    "email",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "skip to content",
    "skip to main content",
    "accessibility links",
    "breaking news",
    "more to come",
    "image",
    "video",
    "print version",
    "in focus",
    "important news",
    "popular news",
    "all news",
    "last added",
    "partners' news",
    "explore news",
    "article content",
    "comments are closed",
    "leave a reply",
    "close",
    "menu",
    "search",
    "home",
    "photo",
    "photos",
    "listen",
    "download",
    "transcript",
    "watch video",
    "last minute",
    "log in",
    "sign in",
    "sign up",
    "comments are closed on this story",
    "newsletter",
    "more on this story",
    "top stories",
    "also read",
    "you may also like",
    "recommended",
    "editor's picks",
    "most viewed",
};

/* Openings of furniture lines that go on with the site's own words. */
static const char *const FURNITURE_OPENINGS[] = {
    "comments are closed",
    "sorry we are not currently accepting comments",
    "you may also like",
    "also read:",
    "read more:",
    "click here",
    "sign up for",
    "subscribe to",
    "follow us on",
    "share this",
    "for the latest news",
    "all rights reserved",
    "copyright ",
    "this post is also available",
    "we apologize, but this video",
    "your email address will not be published",
    "dear user",
    "dear reader",
    "dear visitor",
    "related coverage",
    "related:",
    "see also:",
    "watch:",
    "listen:",
    "read also:",
};

static bool in_list(const char *w, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0) return true;
    return false;
}

/* ---- one table for every list ---------------------------------------------
 * The lists above are read for each word of every page, so they are folded
 * once into an open-addressing table from a word (in small letters) to the
 * lists it is on. */

#define VOCAB_SLOTS 2048 /* a power of two, over twice the words above */
#define VOCAB_WORD_MAX 24

typedef struct {
    char word[VOCAB_WORD_MAX];
    unsigned flags;
} vocab_slot_t;

static vocab_slot_t vocab[VOCAB_SLOTS];
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;

static uint32_t vocab_hash(const char *w, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)w[i])) * 16777619u;
    return h;
}

static void vocab_add(const char *const *list, size_t count, unsigned flag) {
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(list[i]);
        if (n >= VOCAB_WORD_MAX) continue;
        for (uint32_t k = vocab_hash(list[i], n) & (VOCAB_SLOTS - 1);;
             k = (k + 1) & (VOCAB_SLOTS - 1)) {
            vocab_slot_t *s = &vocab[k];
            if (!s->word[0]) {
                for (size_t j = 0; j <= n; j++)
                    s->word[j] = (char)tolower((unsigned char)list[i][j]);
            } else if (strcasecmp(s->word, list[i]) != 0) {
                continue;
            }
            s->flags |= flag;
            break;
        }
    }
}

static void vocab_build(void) {
    vocab_add(STOPWORDS, COUNT(STOPWORDS), EX_VOCAB_STOP);
    vocab_add(SITE_WORDS, COUNT(SITE_WORDS), EX_VOCAB_SITE);
    vocab_add(IMPERATIVES, COUNT(IMPERATIVES), EX_VOCAB_IMPERATIVE);
    vocab_add(WEAK_ENDS, COUNT(WEAK_ENDS), EX_VOCAB_WEAK_END);
    vocab_add(SECTION_WORDS, COUNT(SECTION_WORDS), EX_VOCAB_SECTION);
    vocab_add(PHOTO_WORDS, COUNT(PHOTO_WORDS), EX_VOCAB_PHOTO);
}

unsigned ex_word_flags(const char *w, size_t n) {
    pthread_once(&vocab_once, vocab_build);
    if (n == 0 || n >= VOCAB_WORD_MAX) return 0;
    for (uint32_t k = vocab_hash(w, n) & (VOCAB_SLOTS - 1);; k = (k + 1) & (VOCAB_SLOTS - 1)) {
        const vocab_slot_t *s = &vocab[k];
        if (!s->word[0]) return 0;
        if (strncasecmp(s->word, w, n) == 0 && s->word[n] == '\0') return s->flags;
    }
}

bool ex_word_stop(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_STOP;
}

bool ex_word_site(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_SITE;
}

bool ex_word_imperative(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_IMPERATIVE;
}

bool ex_word_weak_end(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_WEAK_END;
}

bool ex_word_section(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_SECTION;
}

bool ex_word_photo(const char *w, size_t n) {
    return ex_word_flags(w, n) & EX_VOCAB_PHOTO;
}

bool ex_prefix_ci(const char *s, const char *prefix) {
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool ex_word_byte(char c) {
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

bool ex_word_end(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) return !isalnum(u[0]);
    /* Punctuation and symbols end a word: Latin-1 punctuation (U+00A0 to
     * U+00BF), U+2000 to U+2BFF (quotes, dashes, arrows, shapes: "►") and
     * CJK punctuation (U+3000 to U+303F); letters do not. */
    if (u[0] == 0xE2 && u[1] >= 0x80 && u[1] <= 0xAF) return true;
    if (u[0] == 0xE3 && u[1] == 0x80) return true;
    return u[0] == 0xC2 && u[1] < 0xC0;
}

size_t ex_word_len(const char *s) {
    size_t n = 0;
    for (;;) {
        if ((unsigned char)s[n] >= 0x80 && (s[n] & 0xC0) != 0x80 && ex_word_end(s + n)) return n;
        if (ex_word_byte(s[n])) {
            n++;
            continue;
        }
        /* ' - . inside a word: "don't", "win-win", "U.S"; , inside a number */
        if ((s[n] == '\'' || s[n] == '-' || s[n] == '.') && n > 0 && ex_word_byte(s[n + 1])) {
            n++;
            continue;
        }
        if (s[n] == ',' && n > 0 && isdigit((unsigned char)s[n - 1]) &&
            isdigit((unsigned char)s[n + 1])) {
            n++;
            continue;
        }
        /* strncmp, not memcmp: s may end (NUL) within the 3 bytes. */
        if (n > 0 && strncmp(s + n, "\xE2\x80\x99", 3) == 0 && ex_word_byte(s[n + 3])) {
            n += 3;
            continue;
        }
        return n;
    }
}

const char *ex_unbullet(const char *s) {
    static const char *const BULLETS[] = {
        "- ",       "* ", "\xE2\x80\xA2 ", "\xE2\x80\x93 ", "\xE2\x80\x94 ", "\xE2\x96\xBA ",
        "\xC2\xBB "};
    for (size_t i = 0; i < COUNT(BULLETS); i++) {
        size_t n = strlen(BULLETS[i]);
        if (strncmp(s, BULLETS[i], n) == 0) {
            for (s += n; *s == ' '; s++) {
            }
            return s;
        }
    }
    return s;
}

bool ex_furniture_opening(const char *line) {
    const char *s = ex_unbullet(line);
    for (size_t i = 0; i < COUNT(FURNITURE_OPENINGS); i++)
        if (ex_prefix_ci(s, FURNITURE_OPENINGS[i])) return true;
    return false;
}

bool ex_furniture_phrase(const char *line) {
    const char *s = ex_unbullet(line);
    size_t n = strlen(s);
    while (n > 0 && strchr(".:!|>", s[n - 1])) n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    return n > 0 && in_list(s, n, FURNITURE_PHRASES, COUNT(FURNITURE_PHRASES));
}
