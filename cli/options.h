/* options: the lede command line. The command, its arguments and its
 * options (before or after the command, in any order), LEDE_HOST and
 * LEDE_PORT become a line-protocol request and the settings that say where
 * to send it and how to show the reply. */
#ifndef LEDE_CLI_OPTIONS_H
#define LEDE_CLI_OPTIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "render.h"

/* Exit statuses: hits, no hits (or no such article), an error. */
#define CLI_EXIT_HITS 0
#define CLI_EXIT_NONE 1
#define CLI_EXIT_ERROR 2

/* cli_parse's answer when the request is ready to be sent. */
#define CLI_GO (-1)

typedef enum cli_cmd {
    CMD_SEARCH,
    CMD_GET,
    CMD_SIMILAR,
    CMD_SUGGEST,
    CMD_STATS,
    CMD_PING
} cli_cmd_t;

typedef struct cli {
    cli_cmd_t cmd;
    const char *cmd_name;
    const char *host, *port; /* borrowed from argv or the environment */
    const char *db;          /* --db DIR: search there, without a daemon */
    bool json;               /* print the raw reply */
    render_color_t color;
    json_t *req;    /* the request being built; owned, freed by cli_free */
    json_t *filter; /* req.filter, created on first use; borrowed from req */
} cli_t;

/* Fills c from argv and the environment. Returns CLI_GO, or an exit
 * status once it has printed the help, the version or an error (on
 * stderr, naming the option or argument that is wrong). */
int cli_parse(cli_t *c, int argc, char **argv);

/* Frees what cli_parse built. */
void cli_free(cli_t *c);

#endif
