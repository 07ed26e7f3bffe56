/* The text content of HTML with paragraph breaks (htmltext.h). */
#include "htmltext.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Blank text nodes are kept: between two inline elements they separate
 * words. */
#define PARSE_OPTS                                                                                 \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)

/* Elements whose content is not text a reader sees. */
static bool skipped(const char *name) {
    static const char *const SKIP[] = {"script", "style", "template", "noscript", "head"};
    for (size_t i = 0; i < sizeof SKIP / sizeof *SKIP; i++)
        if (strcmp(name, SKIP[i]) == 0) return true;
    return false;
}

/* Elements that start a new paragraph (and end one). */
static bool is_block(const char *name) {
    static const char *const BLOCK[] = {
        "p",       "div",    "br",       "hr",      "h1",      "h2",         "h3",      "h4",
        "h5",      "h6",     "li",       "ul",      "ol",      "dl",         "dt",      "dd",
        "table",   "tr",     "td",       "th",      "pre",     "blockquote", "section", "article",
        "header",  "footer", "aside",    "nav",     "figure",  "figcaption", "main",    "address",
        "caption", "form",   "fieldset", "details", "summary", "body"};
    for (size_t i = 0; i < sizeof BLOCK / sizeof *BLOCK; i++)
        if (strcmp(name, BLOCK[i]) == 0) return true;
    return false;
}

/* Ends the paragraph being written, once. */
static void paragraph_break(ev_buf_t *b) {
    if (b->len > 0 && (b->len < 2 || strcmp(b->s + b->len - 2, "\n\n") != 0))
        ev_buf_add(b, "\n\n", 2);
}

static void walk(xmlNode *node, ev_buf_t *b) {
    for (xmlNode *n = node; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) ev_buf_add(b, (const char *)n->content, strlen((char *)n->content));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)n->name;
        if (skipped(name)) continue;
        bool block = is_block(name);
        if (block) paragraph_break(b);
        walk(n->children, b);
        if (block) paragraph_break(b);
    }
}

static char *text_of(htmlDocPtr doc) {
    ev_buf_t b = {0};
    if (doc) walk(xmlDocGetRootElement(doc), &b);
    xmlFreeDoc(doc);
    return ev_buf_take(&b);
}

char *htmltext_file(const char *path, char *err, size_t size) {
    FILE *f = fopen(path, "rb");
    if (!f) return snprintf(err, size, "%s: cannot open", path), NULL;
    fclose(f);
    return text_of(htmlReadFile(path, "UTF-8", PARSE_OPTS));
}

char *htmltext_memory(const char *html, size_t len) {
    return text_of(htmlReadMemory(html, (int)len, NULL, "UTF-8", PARSE_OPTS));
}

void htmltext_cleanup(void) {
    xmlCleanupParser();
}
