/* Titles for sidebar items, which come without one: the item's first
 * sentence, kept short enough to read in a result list. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract_parts.h"

/* Words that end with a dot without ending the sentence: "Dr. Fujibiao". */
static const char *const ABBREVIATIONS[] = {
    "Mr",   "Mrs", "Ms",  "Dr",  "Prof", "Sen", "Rep",  "Gov", "Gen", "Col", "Lt",  "Sgt",
    "Capt", "St",  "Jr",  "Sr",  "Inc",  "Co",  "Corp", "Ltd", "No",  "vs",  "Jan", "Feb",
    "Mar",  "Apr", "Aug", "Sep", "Sept", "Oct", "Nov",  "Dec", "Rev", "Mt",  "Ft",  "Amb",
};

/* "…", added where a title was cut. */
static const char ELLIPSIS[] = "\xE2\x80\xA6";

/* Bytes of a closing quote or bracket at s (", ', ”, ’, ")"), or 0. */
static size_t closer_len(const char *s) {
    if (*s == '"' || *s == '\'' || *s == ')') return 1;
    if (strncmp(s, "\xE2\x80\x9D", 3) == 0 || strncmp(s, "\xE2\x80\x99", 3) == 0) return 3;
    return 0;
}

/* True when the dot at s[i] ends an abbreviation or an initial ("U.S."). */
static bool abbreviation_dot(const char *s, size_t i) {
    size_t w = i;
    while (w > 0 && (isalpha((unsigned char)s[w - 1]) || s[w - 1] == '.')) w--;
    size_t n = i - w;
    if (n == 1 || memchr(s + w, '.', n)) return true;
    for (size_t k = 0; k < sizeof ABBREVIATIONS / sizeof ABBREVIATIONS[0]; k++)
        if (strlen(ABBREVIATIONS[k]) == n && strncmp(s + w, ABBREVIATIONS[k], n) == 0) return true;
    return false;
}

/* A sentence goes on after its end mark with a capital, a digit, a quote
 * or a letter outside ASCII. */
static bool starts_sentence(const char *s) {
    unsigned char c = (unsigned char)*s;
    return isupper(c) || isdigit(c) || c == '"' || c == '\'' || c >= 0x80;
}

/* Length of the first sentence of s (of its first paragraph at most). */
static size_t first_sentence(const char *s) {
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\n') return i;
        if (s[i] != '.' && s[i] != '!' && s[i] != '?') continue;
        size_t end = i + 1, k;
        while ((k = closer_len(s + end)) > 0) end += k;
        if (s[end] == '\0' || s[end] == '\n') return end;
        if (s[end] != ' ' || !starts_sentence(s + end + 1)) continue;
        if (s[i] == '.' && abbreviation_dot(s, i)) continue;
        return end;
    }
    return strlen(s);
}

char *ex_title_from_text(const char *text) {
    size_t n = first_sentence(text);
    if (n <= EX_TITLE_MAX_BYTES) return strndup(text, n);
    size_t cut = EX_TITLE_MAX_BYTES - (sizeof ELLIPSIS - 1);
    size_t space = cut;
    while (space > 0 && text[space] != ' ') space--;
    if (space > 0)
        cut = space;
    else /* one long word, or a script without spaces: stop between characters */
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
    while (cut > 0 && strchr(" ,;:-", text[cut - 1])) cut--;
    char *title = malloc(cut + sizeof ELLIPSIS);
    if (!title) return NULL;
    memcpy(title, text, cut);
    memcpy(title + cut, ELLIPSIS, sizeof ELLIPSIS);
    return title;
}
