/* The fields of one story, from the units the layout gave it: its
 * headline, its body, the metadata lines around it (header, closing block),
 * the dateline of its first paragraph, and the source its text names.
 *
 * Where two lines give a date, the first one with a year wins: pages print
 * the story's own date above its text, and repeat dates of other things
 * (updates, photos, related stories) below. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract_parts.h"

#define NONE SIZE_MAX
/* The closing block under a story: at most this many lines. */
#define CLOSING_LINES 8
/* A signature of small letters closing a page ("ahmad shirzadian"). */
#define SIGNATURE_MAX_WORDS 3

typedef struct {
    const ex_page_t *page;
    lede_article_t *a;
    ex_trace_t *t;
    size_t k;
    bool tail_name_seen; /* the closing block's first name was taken */
} fill_t;

static lede_status_t set_str(fill_t *f, char **field, const char *name, const char *value, size_t n,
                             const char *origin, unsigned line) {
    if (*field || n == 0) return LEDE_OK;
    if (!(*field = strndup(value, n))) return LEDE_E_NOMEM;
    if (line)
        ex_trace_field(f->t, f->k, name, *field, "line %u: %s", line, origin);
    else
        ex_trace_field(f->t, f->k, name, *field, "%s", origin);
    return LEDE_OK;
}

/* A date replaces one without a year; otherwise the first one stays. */
static lede_status_t set_date(fill_t *f, const char *iso, const char *origin, unsigned line) {
    char **d = &f->a->date;
    bool yearless = *d && strncmp(*d, "--", 2) == 0;
    if (*d && !(yearless && strncmp(iso, "--", 2) != 0)) return LEDE_OK;
    free(*d);
    *d = NULL;
    return set_str(f, d, "date", iso, strlen(iso), origin, line);
}

static lede_status_t push(fill_t *f, lede_strv_t *v, const char *name, const char *value, size_t n,
                          const char *origin, unsigned line) {
    while (n > 0 && strchr(" ,;:", value[n - 1])) n--;
    char *s = strndup(value, n);
    if (!s) return LEDE_E_NOMEM;
    lede_status_t st = ex_push_unique(v, s);
    ex_trace_field(f->t, f->k, name, s, "line %u: %s", line, origin);
    free(s);
    return st;
}

/* ---- metadata lines -------------------------------------------------------- */

/* "www.trend.az" -> "Trend": a site's domain names its agency. */
static const char *agency_of_domain(const char *s, size_t n) {
    if (n > 4 && strncasecmp(s, "www.", 4) == 0) s += 4, n -= 4;
    const char *dot = memchr(s, '.', n);
    return dot ? ex_agency(s, (size_t)(dot - s)) : NULL;
}

/* An agency anywhere in a short line: "Xinhua, December 01, 2017". */
static const char *agency_in(const char *s) {
    for (const char *p = s; *p; p++) {
        if (p > s && ex_word_byte(p[-1]) &&
            !(islower((unsigned char)p[-1]) && isupper((unsigned char)*p)) &&
            !isdigit((unsigned char)p[-1]))
            continue;
        size_t len = 0;
        const char *canon = ex_agency_at(p, &len);
        if (canon) return canon;
        size_t w = 0;
        while (p[w] && p[w] != ' ' && p[w] != '|') w++;
        if (w > 4 && memchr(p, '.', w) && (canon = agency_of_domain(p, w))) return canon;
    }
    return NULL;
}

/* A line with a date among other things: the date, an agency, and a name
 * glued before the date ("Hatty Collier16 September 2018"). */
static lede_status_t date_among(fill_t *f, const ex_unit_t *u) {
    char iso[EX_DATE_BYTES];
    size_t at, end;
    const char *s = ex_unbullet(u->s);
    lede_status_t st = LEDE_OK;
    if (ex_date_line(s, iso) || (ex_date_find(s, iso, &at, &end)))
        st = set_date(f, iso, "date line", u->first);
    const char *agency = agency_in(s);
    if (st == LEDE_OK && agency)
        st = set_str(f, &f->a->source, "source", agency, strlen(agency), "agency on a date line",
                     u->first);
    char name[EX_SOURCE_BYTES];
    if (st == LEDE_OK && !ex_date_line(s, iso) && ex_date_find(s, iso, &at, &end) && at > 0 &&
        at < sizeof name && ex_word_byte(s[at - 1])) {
        snprintf(name, sizeof name, "%.*s", (int)at, s);
        if (ex_meta_person(name))
            st = push(f, &f->a->authors, "author", s, at, "name glued to the date", u->first);
    }
    return st;
}

static lede_status_t apply_dateline(fill_t *f, const ex_dateline_t *d, unsigned line,
                                    const char *who) {
    lede_status_t st = LEDE_OK;
    if (d->date[0]) st = set_date(f, d->date, d->how, line);
    if (st == LEDE_OK && d->place[0])
        st = push(f, &f->a->places, "place", d->place, strlen(d->place), d->how, line);
    if (st == LEDE_OK && d->source[0])
        st = set_str(f, &f->a->source, "source", d->source, strlen(d->source), d->how, line);
    if (st == LEDE_OK && who && who[0])
        st = push(f, &f->a->authors, "author", who, strlen(who), "reporter on the dateline", line);
    return st;
}

/* The value of a breadcrumb: its last part that is not a generic word
 * ("Home / China / Latest" -> "China", "News / World" -> "World"). */
static lede_status_t breadcrumb(fill_t *f, const ex_unit_t *u) {
    static const char *const SEPS[] = {" / ", " \xC2\xBB ", " > ", "|", " \xE2\x80\xBA "};
    static const char *const GENERIC[] = {"Latest", "News", "Home", "All", "Main"};
    const char *s = u->s;
    for (size_t k = 0; k < sizeof SEPS / sizeof SEPS[0]; k++) {
        if (!strstr(s, SEPS[k])) continue;
        const char *best = NULL;
        size_t best_n = 0, seplen = strlen(SEPS[k]);
        for (const char *p = s; p;) {
            const char *next = strstr(p, SEPS[k]);
            size_t n = next ? (size_t)(next - p) : strlen(p);
            while (n > 0 && p[n - 1] == ' ') n--;
            while (n > 0 && *p == ' ') p++, n--;
            bool generic = false;
            for (size_t g = 0; g < sizeof GENERIC / sizeof GENERIC[0]; g++)
                generic |= strlen(GENERIC[g]) == n && strncasecmp(p, GENERIC[g], n) == 0;
            if (n > 0 && !generic) best = p, best_n = n;
            p = next ? next + seplen : NULL;
        }
        if (best)
            return set_str(f, &f->a->category, "category", best, best_n, "breadcrumb", u->first);
    }
    return LEDE_OK;
}

/* "Theme: Politics", "Region: Caucasus", "Tags: a, b". */
static lede_status_t labelled(fill_t *f, const ex_unit_t *u) {
    const char *colon = strchr(u->s, ':');
    if (!colon) return breadcrumb(f, u);
    const char *v = colon + 1;
    while (*v == ' ') v++;
    if (ex_prefix_ci(u->s, "Region:") || ex_prefix_ci(u->s, "Country:"))
        return push(f, &f->a->places, "place", v, strlen(v), "labelled line", u->first);
    if (ex_prefix_ci(u->s, "Tags:") || ex_prefix_ci(u->s, "Topics:")) {
        lede_status_t st = LEDE_OK;
        for (const char *p = v; *p && st == LEDE_OK;) {
            size_t n = strcspn(p, ",;");
            while (*p == ' ') p++, n--;
            if (n > 0 && n < 64) st = push(f, &f->a->tags, "tag", p, n, "tags line", u->first);
            p += n;
            while (*p == ',' || *p == ';') p++;
        }
        return st;
    }
    return set_str(f, &f->a->category, "category", v, strlen(v), "labelled line", u->first);
}

static lede_status_t section(fill_t *f, const ex_unit_t *u) {
    const char *s = ex_unbullet(u->s);
    const char *canon = ex_meta_category(s);
    if (strchr(s, ':')) return labelled(f, u);
    if (strstr(s, " / ") || strstr(s, "|") || strstr(s, " \xC2\xBB ") || strstr(s, " > "))
        return breadcrumb(f, u);
    if (canon)
        return set_str(f, &f->a->category, "category", canon, strlen(canon), "section name",
                       u->first);
    return set_str(f, &f->a->category, "category", s, strlen(s), "section name", u->first);
}

/* "(Reporting by A and B; Editing by C)": the reporters and writers are the
 * authors; editors are not. */
static lede_status_t wire_credit(fill_t *f, const char *s, unsigned line) {
    static const char *const WHO[] = {"Reporting by ", "Reporting By ", "Writing by ",
                                      "Additional reporting by ", "Compiled by "};
    lede_status_t st = LEDE_OK;
    for (size_t i = 0; i < sizeof WHO / sizeof WHO[0] && st == LEDE_OK; i++) {
        const char *p = strstr(s, WHO[i]);
        if (!p) continue;
        p += strlen(WHO[i]);
        size_t end = strcspn(p, ";)");
        const char *editing = strstr(p, " Editing by");
        if (editing && (size_t)(editing - p) < end) end = (size_t)(editing - p);
        for (size_t k = 0; k < end && st == LEDE_OK;) {
            size_t n = 0;
            while (k + n < end && p[k + n] != ',' && strncmp(p + k + n, " and ", 5) != 0) n++;
            size_t m = n;
            while (m > 0 && p[k + m - 1] == ' ') m--;
            if (m > 0 && ex_meta_name_words(p + k, m) >= 2)
                st = push(f, &f->a->authors, "author", p + k, m, "wire credit", line);
            k += n;
            k += (k < end && p[k] == ',') ? 1 : (k < end ? 5 : 0);
            while (k < end && p[k] == ' ') k++;
        }
    }
    return st;
}

/* A closing signature in small letters: two or three words of letters. */
static bool signature(const ex_unit_t *u) {
    if (u->shape.words < 2 || u->shape.words > SIGNATURE_MAX_WORDS) return false;
    for (const char *p = u->s; *p; p++)
        if (!islower((unsigned char)*p) && *p != ' ') return false;
    return true;
}

/* One or two words in capitals: an agency signing off ("KAVKAZ"). */
static bool caps_signature(const ex_unit_t *u) {
    return u->shape.words >= 1 && u->shape.words <= 2 && u->shape.all_caps && u->len >= 3 &&
           u->len <= 24;
}

/* where: after_body (below the story's text), closing (among the few lines
 * right under it), last (the page's last line of text), leads (the line
 * right above the text). */
static lede_status_t apply_unit(fill_t *f, const ex_unit_t *u, bool after_body, bool closing,
                                bool last, bool leads) {
    ex_dateline_t d;
    char who[EX_SOURCE_BYTES], iso[EX_DATE_BYTES];
    const char *s = ex_unbullet(u->s);
    switch (u->kind) {
    case EX_K_BYLINE: {
        char origin[48];
        snprintf(origin, sizeof origin, "line %u: byline", u->first);
        lede_status_t st = ex_meta_byline(s, f->a, f->t, f->k, origin);
        size_t at, end;
        if (st == LEDE_OK && ex_date_find(s, iso, &at, &end))
            st = set_date(f, iso, "date on the byline", u->first);
        return st;
    }
    case EX_K_DATE:
        return ex_date_line(s, iso) ? set_date(f, iso, "date line", u->first) : date_among(f, u);
    case EX_K_DATELINE:
        return ex_dateline_line(s, &d, who) ? apply_dateline(f, &d, u->first, who) : LEDE_OK;
    case EX_K_SECTION:
        return section(f, u);
    case EX_K_AGENCY: {
        const char *canon = ex_agency(s, strlen(s));
        return set_str(f, &f->a->source, "source", canon, strlen(canon), "agency line", u->first);
    }
    case EX_K_CREDITLINE:
        return wire_credit(f, s, u->first);
    case EX_K_NAME:
        if (after_body && !closing) return LEDE_OK; /* far below the text: a menu's */
        /* A place alone on the line above the text. */
        if (leads && !ex_meta_person(s) && u->gap_before && u->gap_after)
            return push(f, &f->a->places, "place", s, strlen(s), "place above the text", u->first);
        if (!after_body) return LEDE_OK;
        if (caps_signature(u) && !f->a->source)
            return set_str(f, &f->a->source, "source", s, strlen(s), "agency signing off",
                           u->first);
        if (!f->tail_name_seen && ex_meta_person(s) && f->a->authors.n == 0) {
            f->tail_name_seen = true;
            return push(f, &f->a->authors, "author", s, strlen(s), "name closing the story",
                        u->first);
        }
        f->tail_name_seen = true;
        return push(f, &f->a->places, "place", s, strlen(s), "place closing the story", u->first);
    default:
        if (last && u->role == EX_ROLE_FURNITURE && signature(u) && f->a->authors.n == 0)
            return push(f, &f->a->authors, "author", s, strlen(s), "signature closing the page",
                        u->first);
        return LEDE_OK;
    }
}

/* ---- the story's own text ------------------------------------------------------ */

static lede_status_t take_title(fill_t *f, const ex_story_t *s) {
    if (s->title == NONE) return LEDE_OK;
    const ex_unit_t *u = &f->page->u[s->title];
    return set_str(f, &f->a->title, "title", u->s, u->len, "headline", u->first);
}

/* The body: the story's body units, one paragraph each. A wire credit
 * closing the last paragraph inline is taken off and read. */
static lede_status_t take_body(fill_t *f, const ex_story_t *s) {
    size_t total = 0;
    for (size_t i = s->first; i <= s->last && s->first <= s->last; i++)
        if (f->page->u[i].role == EX_ROLE_BODY) total += f->page->u[i].len + 2;
    if (total == 0) return LEDE_OK;
    char *body = malloc(total + 1), *p = body;
    if (!body) return LEDE_E_NOMEM;
    unsigned last_line = 0;
    for (size_t i = s->first; i <= s->last; i++) {
        const ex_unit_t *u = &f->page->u[i];
        if (u->role != EX_ROLE_BODY) continue;
        if (p > body) *p++ = '\n', *p++ = '\n';
        memcpy(p, u->s, u->len);
        p += u->len;
        last_line = u->first;
    }
    *p = '\0';
    char *credit = strstr(body + (p > body + 300 ? (size_t)(p - body) - 300 : 0), "(Reporting ");
    lede_status_t st = LEDE_OK;
    if (credit && credit > body && strchr(credit, ')') && strchr(credit, ')')[1] == '\0') {
        st = wire_credit(f, credit, last_line);
        while (credit > body && credit[-1] == ' ') credit--;
        *credit = '\0';
    }
    f->a->body = body;
    return st;
}

/* A time alone on a closing byline ("Posted By ...: 10:53 AM ET") completes
 * a date printed without one. */
static lede_status_t time_from(fill_t *f, const ex_unit_t *u) {
    const char *p = strchr(u->s, ':');
    char *d = f->a->date;
    if (!d || strlen(d) != 10 || !p) return LEDE_OK;
    for (p = u->s; *p; p++) {
        int h, m;
        char ampm[3] = "";
        if (!isdigit((unsigned char)*p) || (p > u->s && isdigit((unsigned char)p[-1]))) continue;
        if (sscanf(p, "%2d:%2d %2[AaPp]", &h, &m, ampm) < 2 || h > 23 || m > 59) continue;
        if ((ampm[0] == 'P' || ampm[0] == 'p') && h < 12) h += 12;
        if ((ampm[0] == 'A' || ampm[0] == 'a') && h == 12) h = 0;
        char iso[EX_DATE_BYTES];
        snprintf(iso, sizeof iso, "%.10sT%02d:%02d:00", d, h, m);
        free(f->a->date);
        f->a->date = NULL;
        return set_str(f, &f->a->date, "date", iso, strlen(iso), "date above, time on the byline",
                       u->first);
    }
    return LEDE_OK;
}

/* The range of units whose metadata belongs to story k. */
static void meta_range(const ex_layout_t *l, size_t k, size_t n, size_t *lo, size_t *hi) {
    const ex_story_t *s = &l->v[k];
    *lo = k == 0 ? 0 : l->v[k - 1].last + 1;
    if (k > 0 && l->tail_first != NONE && s->first > l->tail_last) *lo = s->first;
    *hi = n - 1;
    if (k + 1 < l->n) {
        const ex_story_t *next = &l->v[k + 1];
        *hi = (next->title != NONE ? next->title : next->first) - 1;
    }
    if (k == 0 && l->tail_first != NONE) *hi = l->tail_last;
}

/* A date that ends the headline: "Latest Developments in Ukraine: Dec. 26",
 * "Politics live blog - Monday 20 June 2011". */
static lede_status_t title_date(fill_t *f) {
    char iso[EX_DATE_BYTES];
    size_t at, end, start;
    const char *t = f->a->title;
    if (f->a->date || !t) return LEDE_OK;
    size_t n = strlen(t);
    if (ex_date_find(t, iso, &at, &end) && end == n && at > 0)
        return set_date(f, iso, "date at the end of the headline", 0);
    const char *colon = strrchr(t, ':');
    if (colon && ex_date_tail(colon + 1, strlen(colon + 1), iso, &start) && start <= 1)
        return set_date(f, iso, "date at the end of the headline", 0);
    return LEDE_OK;
}

static lede_status_t from_text(fill_t *f) {
    char iso[EX_DATE_BYTES], source[EX_SOURCE_BYTES];
    const char *body = f->a->body;
    if (!body) return LEDE_OK;
    size_t first = strcspn(body, "\n");
    ex_dateline_t d;
    lede_status_t st = LEDE_OK;
    if (ex_dateline(body, first, &d)) st = apply_dateline(f, &d, 0, NULL);
    if (st == LEDE_OK && !f->a->date && ex_date_weekday_paren(body, first, iso))
        st = set_date(f, iso, "weekday and date in the first paragraph", 0);
    if (st == LEDE_OK && !f->a->source && ex_source_in_text(body, source))
        st = set_str(f, &f->a->source, "source", source, strlen(source), "named in the text", 0);
    return st;
}

lede_status_t ex_fields(const ex_page_t *page, const ex_layout_t *l, size_t k, lede_article_t *a,
                        ex_trace_t *t) {
    fill_t f = {page, a, t, k, false};
    const ex_story_t *s = &l->v[k];
    size_t lo, hi;
    lede_status_t st = take_title(&f, s);
    if (st == LEDE_OK) st = take_body(&f, s);
    meta_range(l, k, page->n, &lo, &hi);
    size_t last_body = NONE, first_body = NONE, lead = NONE;
    for (size_t i = s->first; i <= s->last && s->first <= s->last; i++)
        if (page->u[i].role == EX_ROLE_BODY) {
            last_body = i;
            if (first_body == NONE) first_body = i;
        }
    /* The closing block: the real lines right under the text. */
    size_t closing_end = last_body, seen = 0, last_text = NONE;
    for (size_t i = last_body == NONE ? page->n : last_body + 1;
         i < page->n && seen < CLOSING_LINES; i++) {
        const ex_unit_t *u = &page->u[i];
        if (u->role == EX_ROLE_SKIPPED) continue;
        if (u->role == EX_ROLE_FURNITURE && u->kind != EX_K_TEXT) break;
        closing_end = i, seen++;
    }
    for (size_t i = page->n; i-- > 0;)
        if (page->u[i].role != EX_ROLE_SKIPPED) {
            last_text = i;
            break;
        }
    for (size_t i = first_body; i != NONE && i-- > 0;) {
        const ex_unit_t *u = &page->u[i];
        if (u->role == EX_ROLE_META || u->role == EX_ROLE_TITLE) {
            lead = u->kind == EX_K_NAME ? i : NONE;
            break;
        }
    }
    for (size_t i = lo; i <= hi && i < page->n && st == LEDE_OK; i++) {
        const ex_unit_t *u = &page->u[i];
        bool after = last_body != NONE && i > last_body;
        if (u->role == EX_ROLE_META || u->kind == EX_K_CREDITLINE ||
            (after && u->role == EX_ROLE_FURNITURE))
            st = apply_unit(&f, u, after, after && i <= closing_end, i == last_text, i == lead);
        if (st == LEDE_OK && after && u->kind == EX_K_BYLINE) st = time_from(&f, u);
    }
    if (st == LEDE_OK && k == 0 && page->prefix_date[0])
        st = set_date(&f, page->prefix_date, "crawler's date prefix", 0);
    if (st == LEDE_OK) st = from_text(&f);
    if (st == LEDE_OK) st = title_date(&f);
    return st;
}
