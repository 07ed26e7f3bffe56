/* leaks: text that must not be indexed (furniture, captions), must not
 * stay in the body (meta_lines), or belongs to another story (sidebar).
 *
 * A listed line leaks, after normalisation (norm.h), as
 *   - a whole paragraph (a block between blank lines) of a body,
 *   - a document's title, unless that is an accepted title of the page,
 *   - a document's source or category (compared as tokens) or one of its
 *     authors or places (as trimmed strings), unless the value is one the
 *     truth accepts for that field on this page,
 *   - and, for lines of 25 characters or more, inside a paragraph.
 * furniture and captions: any document of the page. meta_lines: the main
 * document only, and not the substring rule ("whole paragraphs of the main
 * body only").
 *
 * sidebar_in_main: the first 12 tokens of a sidebar entry occur in a row
 * in the main document's title followed by its body. */
#ifndef LEDE_EVAL_LEAKS_H
#define LEDE_EVAL_LEAKS_H

#include <stdbool.h>

#include "checks.h"
#include "forms.h"

/* Lines of this many characters or more also leak inside a paragraph. */
#define LEAKS_SUBSTRING_MIN_CHARS 25

/* Tokens of a sidebar entry looked for in the main document. */
#define LEAKS_SIDEBAR_TOKENS 12

/* What the leak checks need of a page (all borrowed). */
typedef struct leak_page {
    const doc_page_t *docs;
    const doc_forms_t *forms; /* one per document */
    const forms_alts_t *titles, *sources, *categories;
    const forms_sets_t *authors, *places;
} leak_page_t;

/* Sets out to a pass, or a failure naming each leaked line and where it
 * was found. main_only: the meta_lines rule. */
void leaks_check_lines(const leak_page_t *p, const ev_strv_t *lines, bool main_only,
                       check_result_t *out);

void leaks_check_sidebar(const leak_page_t *p, const ev_strv_t *sidebar, check_result_t *out);

#endif
