/* cmd: executes one request against an index handle and builds its reply
 * line. Runs on a worker thread; touches nothing shared. */
#ifndef LEDE_SEARCHD_CMD_H
#define LEDE_SEARCHD_CMD_H

#include <jansson.h>

#include "config.h"
#include "lede/protocol.h"
#include "worker.h"

/* Runs job->req on db and fills job->reply, job->error. */
void cmd_execute(shim_db_t *db, const config_t *c, job_t *job);

/* An error reply line ("...\n", malloc'd) for a request id (may be NULL). */
char *cmd_error_line(json_t *id, proto_error_code_t code, const char *message, size_t *len);

/* Serialises a reply object as one line with its \n (malloc'd); steals
 * the reference to reply. NULL when out of memory. */
char *cmd_reply_line(json_t *reply, size_t *len);

#endif
