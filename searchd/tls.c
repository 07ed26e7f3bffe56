/* TLS contexts and bufferevents (tls.h). */
#include "tls.h"

#include <errno.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool tls_enabled(const config_t *c) {
    return c->tls_cert[0] != '\0';
}

/* OpenSSL's reason for the last failure, or fallback. */
static const char *ssl_reason(const char *fallback) {
    unsigned long e = ERR_peek_last_error();
    const char *why = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    return why ? why : fallback;
}

/* Frees ctx and says which file OpenSSL refused and why. */
static lede_status_t refused(SSL_CTX *ctx, lede_err_t *err, const char *key, const char *path,
                             const char *what) {
    SSL_CTX_free(ctx);
    return lede_errf(err, LEDE_E_INVALID, "%s %s: %s: %s", key, path, what,
                     ssl_reason("unknown error"));
}

/* A missing or unreadable file is named plainly, before OpenSSL's words. */
static lede_status_t readable(const char *key, const char *path, lede_err_t *err) {
    if (access(path, R_OK) == 0) return LEDE_OK;
    return lede_errf(err, LEDE_E_OPEN, "%s %s: %s", key, path, strerror(errno));
}

lede_status_t tls_ctx_new(const config_t *c, tls_ctx_t **out, lede_err_t *err) {
    *out = NULL;
    lede_status_t st = readable("tls_cert", c->tls_cert, err);
    if (st == LEDE_OK) st = readable("tls_key", c->tls_key, err);
    if (st != LEDE_OK) return st;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx)
        return lede_errf(err, LEDE_E_NOMEM, "cannot set up TLS: %s", ssl_reason("out of memory"));
    int min = c->tls_min_version == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(ctx, min);
    /* No compression (CRIME), no renegotiation started by a client. */
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1)
        return refused(ctx, err, "tls_cert", c->tls_cert, "cannot use the certificate");
    if (SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM) != 1)
        return refused(ctx, err, "tls_key", c->tls_key, "cannot use the key");
    if (SSL_CTX_check_private_key(ctx) != 1)
        return refused(ctx, err, "tls_key", c->tls_key, "does not match tls_cert");
    *out = ctx;
    return LEDE_OK;
}

void tls_ctx_free(tls_ctx_t *ctx) {
    SSL_CTX_free(ctx);
}

struct bufferevent *tls_bufferevent(tls_ctx_t *ctx, struct event_base *base, evutil_socket_t fd,
                                    int options) {
    if (!ctx) return bufferevent_socket_new(base, fd, options);
    SSL *ssl = SSL_new(ctx);
    if (!ssl) return NULL;
    struct bufferevent *bev =
        bufferevent_openssl_socket_new(base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING, options);
    if (!bev) SSL_free(ssl);
    return bev;
}

void tls_close_notify(struct bufferevent *bev) {
    SSL *ssl = bufferevent_openssl_get_ssl(bev);
    /* The replies are written: close_notify goes straight to the socket. */
    if (ssl && SSL_is_init_finished(ssl)) SSL_shutdown(ssl);
    ERR_clear_error();
}

bool tls_in_use(struct bufferevent *bev) {
    return bufferevent_openssl_get_ssl(bev) != NULL;
}
