/* Terminal output: colour only where it is wanted, text wrapped to the
 * terminal's width. */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lede/search.h"

#define DEFAULT_WIDTH 80
#define MIN_WIDTH 20  /* narrower terminals are taken for a mistake */
#define MAX_WIDTH 120 /* past this, lines are too long to read */

render_opts_t render_detect(FILE *out, render_color_t mode) {
    render_opts_t o = {false, DEFAULT_WIDTH};
    int fd = fileno(out);
    const char *no_color = getenv("NO_COLOR");
    if (mode == RENDER_COLOR_AUTO)
        o.color = isatty(fd) && !(no_color && *no_color);
    else
        o.color = mode == RENDER_COLOR_ALWAYS;
    struct winsize ws;
    if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > MIN_WIDTH) o.width = ws.ws_col;
    if (o.width > MAX_WIDTH) o.width = MAX_WIDTH;
    return o;
}

const char *term_sgr(const render_opts_t *o, const char *code) {
    return o->color ? code : "";
}

const char *term_str(json_t *obj, const char *key) {
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static bool is_marker(char c) {
    return c == SEARCH_HI_START[0] || c == SEARCH_HI_END[0];
}

/* Display columns of a UTF-8 string (continuation bytes do not count). */
static int columns(const char *s, size_t n) {
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && !is_marker(s[i])) cols++;
    return cols;
}

/* Writes one word, turning highlight markers into colour (or nothing). */
static void put_word(FILE *out, const render_opts_t *o, const char *w, size_t n, bool *in_hi) {
    for (size_t i = 0; i < n; i++) {
        if (is_marker(w[i])) {
            *in_hi = w[i] == SEARCH_HI_START[0];
            fputs(term_sgr(o, *in_hi ? TERM_HILITE : TERM_RESET), out);
            continue;
        }
        fputc(w[i], out);
    }
}

void term_wrap(FILE *out, const render_opts_t *o, const char *text) {
    int col = 0, limit = o->width - TERM_INDENT;
    bool in_hi = false;
    const char *p = text;
    while (*p) {
        p += strspn(p, " \n\t\r");
        size_t n = strcspn(p, " \n\t\r");
        if (n == 0) break;
        int w = columns(p, n);
        if (col > 0 && col + 1 + w > limit) {
            if (in_hi) fputs(term_sgr(o, TERM_RESET), out);
            fprintf(out, "\n%*s", TERM_INDENT, "");
            if (in_hi) fputs(term_sgr(o, TERM_HILITE), out);
            col = 0;
        } else if (col > 0) {
            fputc(' ', out), col++;
        } else {
            fprintf(out, "%*s", TERM_INDENT, "");
        }
        put_word(out, o, p, n, &in_hi);
        col += w;
        p += n;
    }
    fputs(term_sgr(o, TERM_RESET), out);
    fputc('\n', out);
}

char *term_join(json_t *v) {
    if (json_is_string(v)) return strdup(json_string_value(v));
    if (!json_is_array(v)) return NULL;
    size_t len = 1, i;
    json_t *item;
    json_array_foreach(v, i, item) len +=
        strlen(json_string_value(item) ? json_string_value(item) : "") + 2;
    char *s = calloc(1, len);
    json_array_foreach(v, i, item) {
        if (!s || !json_string_value(item)) continue;
        if (*s) strcat(s, ", ");
        strcat(s, json_string_value(item));
    }
    return s;
}
