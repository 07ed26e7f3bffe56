/* lede-indexer: turns news articles into a lede (Xapian) index. */
#include "explain.h"
#include "options.h"
#include "run.h"
#include "snapshot.h"

int main(int argc, char **argv) {
    indexer_opts_t opts;
    int rc = options_parse(argc, argv, &opts);
    if (rc != 0) return rc > 0 ? EXIT_INDEXED : EXIT_FAILED;
    if (opts.explain) return explain_run(&opts);
    return opts.snapshot ? snapshot_run(&opts) : indexer_run(&opts);
}
