/* tls: TLS on both listeners (tls_cert, tls_key, tls_min_version), with
 * OpenSSL under libevent's OpenSSL bufferevents: the connection code reads
 * and writes plain bytes either way. One server context is made at start
 * and shared by every thread (OpenSSL 3 makes that safe); each connection
 * gets its own SSL object, owned and freed by its bufferevent. Server
 * certificates only: clients are told apart by auth_token, not by
 * certificates. */
#ifndef LEDE_SEARCHD_TLS_H
#define LEDE_SEARCHD_TLS_H

#include <event2/bufferevent.h>
#include <event2/util.h>
#include <stdbool.h>

#include "config.h"

typedef struct ssl_ctx_st tls_ctx_t; /* OpenSSL's SSL_CTX */

/* Whether the configuration asks for TLS. */
bool tls_enabled(const config_t *c);

/* Loads the certificate chain and key and checks that they match, into
 * *out; a reason naming the file in err when they cannot be used. */
lede_status_t tls_ctx_new(const config_t *c, tls_ctx_t **out, lede_err_t *err);
void tls_ctx_free(tls_ctx_t *ctx);

/* A bufferevent for an accepted socket (fd may be -1: evhttp sets it
 * later): a TLS server one with ctx, a plain one without. The socket is
 * closed with it when options has BEV_OPT_CLOSE_ON_FREE. NULL when out of
 * memory. */
struct bufferevent *tls_bufferevent(tls_ctx_t *ctx, struct event_base *base, evutil_socket_t fd,
                                    int options);

/* Before a connection is shut down: sends TLS's close_notify, so the
 * client can tell the end of the replies from a cut connection. Nothing
 * for a plain one. */
void tls_close_notify(struct bufferevent *bev);

/* Whether bev speaks TLS: bytes written straight to its socket would be
 * garbage to the client. */
bool tls_in_use(struct bufferevent *bev);

#endif
