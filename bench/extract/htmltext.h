/* htmltext: the text of an HTML file, as the reference body of the HTML
 * pages (Readability's expected.html) is compared: libxml2's HTML parser,
 * the text content of the tree, block elements and <br> as paragraph
 * breaks (a blank line), script, style and template left out. */
#ifndef LEDE_EVAL_HTMLTEXT_H
#define LEDE_EVAL_HTMLTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The text of the HTML file at path. NULL (with the reason in err) when it
 * cannot be read. Caller frees. */
char *htmltext_file(const char *path, char *err, size_t size);

/* The same for an HTML fragment in memory (for the tests). Caller frees. */
char *htmltext_memory(const char *html, size_t len);

/* Releases libxml2's global state, at exit. */
void htmltext_cleanup(void);

#endif
