/* The bench tools' command-line errors. */
#include "usage.h"

#include <getopt.h>
#include <stdio.h>

int bench_usage_error(const char *tool, const char *msg, const char *arg) {
    fprintf(stderr, "%s: %s%s (see --help)\n", tool, msg, arg ? arg : "");
    return 2;
}

int bench_bad_value(const char *tool, const char *option, const char *value) {
    fprintf(stderr, "%s: bad value '%s' for --%s (see --help)\n", tool, value, option);
    return 2;
}

int bench_getopt_other(const char *tool, int opt, char *const argv[], const char *usage) {
    if (opt == 'h') return fputs(usage, stdout), 1;
    const char *what = opt == ':' ? "missing value for " : "unknown option ";
    return bench_usage_error(tool, what, argv[optind - 1]);
}
