/* memfile: a fuzz input as a file, for code that reads files by name (the
 * config loader, the JSON Lines reader). The file lives in memory: writing
 * it millions of times costs no disk. */
#ifndef LEDE_FUZZ_MEMFILE_H
#define LEDE_FUZZ_MEMFILE_H

#include <stddef.h>
#include <stdint.h>

/* Replaces the contents of this process's one memory file with
 * data[0..size) and returns its path ("/proc/self/fd/N", static storage),
 * or NULL when the file cannot be made or written. */
const char *memfile_write(const uint8_t *data, size_t size);

#endif
