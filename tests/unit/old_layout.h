/* Test helper (old_layout.cc): turns documents of an index into the layout
 * of an index built before the list item slots existed. */
#ifndef LEDE_TEST_OLD_LAYOUT_H
#define LEDE_TEST_OLD_LAYOUT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Removes the item count and item slots of the lists from the document
 * with id (every document when id is NULL) in the index at path, and
 * commits. Returns 0, or -1 with a message on stderr. */
int old_layout_strip(const char *path, const char *id);

#ifdef __cplusplus
}
#endif

#endif
