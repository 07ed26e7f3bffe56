/* usage: how the bench tools report a bad command line, in one wording:
 * "TOOL: what was wrong (see --help)" on stderr, exit status 2. */
#ifndef LEDE_BENCH_USAGE_H
#define LEDE_BENCH_USAGE_H

/* Prints "tool: msg arg (see --help)"; arg may be NULL. Returns 2. */
int bench_usage_error(const char *tool, const char *msg, const char *arg);

/* Prints that value is not one --option takes. Returns 2. */
int bench_bad_value(const char *tool, const char *option, const char *value);

/* getopt_long's results that are not the tool's own options: 'h' prints
 * usage to stdout and returns 1; ':' (a missing value) and anything else
 * (an unknown option) are reported and return 2. */
int bench_getopt_other(const char *tool, int opt, char *const argv[], const char *usage);

#endif
