/* Fuzz target for lede-searchd's config loader (searchd/config.c): the
 * input is a whole config file. A refusal must name the file and line
 * ("FILE:LINE: reason"), which is all an operator gets at start-up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../searchd/config.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* err is "PATH:LINE: reason", LINE a number from 1. */
static void check_error(const char *path, const char *err) {
    size_t n = strlen(path);
    char *end;
    if (strncmp(err, path, n) != 0 || err[n] != ':') abort();
    unsigned long line = strtoul(err + n + 1, &end, 10);
    if (line < 1 || end[0] != ':' || end[1] != ' ' || !end[2]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = memfile_write(data, size);
    if (!path) return 0;
    config_t *c = malloc(sizeof *c); /* big (paths): not on the stack */
    lede_err_t err = {""};
    if (!c) return 0;
    config_defaults(c);
    if (config_load(c, path, &err) != LEDE_OK) check_error(path, err.msg);
    free(c);
    return 0;
}
