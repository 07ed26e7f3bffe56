/* Host header checks against DNS rebinding (see http_host.h). */
#include "http_host.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest host name kept (DNS allows 253 characters). */
#define HOST_NAME_MAX_BYTES 255

/* The host part of a Host header, lowercased into out ("[::1]" keeps its
 * brackets); false when the header is not HOST or HOST:PORT. */
static bool host_part(const char *header, char out[HOST_NAME_MAX_BYTES + 1]) {
    size_t n = header[0] == '[' ? strcspn(header, "]") + 1 : strcspn(header, ":");
    if (header[0] == '[' && header[n - 1] != ']') return false;
    const char *port = header + n;
    if (*port == ':' &&
        (!port[1] || strspn(port + 1, "0123456789") != strlen(port + 1) || strlen(port + 1) > 5))
        return false;
    if (*port && *port != ':') return false;
    if (n == 0 || n > HOST_NAME_MAX_BYTES) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)header[i];
        if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '@' || ch == '\\') return false;
        out[i] = (char)tolower(ch);
    }
    out[n] = '\0';
    return true;
}

/* Whether name is one of the names in list (separated by commas or spaces). */
static bool listed(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        p += strspn(p, " ,");
        size_t len = strcspn(p, " ,");
        if (len == n && strncasecmp(p, name, n) == 0) return true;
        p += len;
    }
    return false;
}

static bool is_wildcard(const char *listen_host) {
    return !*listen_host || strcmp(listen_host, "0.0.0.0") == 0 || strcmp(listen_host, "::") == 0;
}

/* The listen host as a Host header names it: an IPv6 address in brackets. */
static bool is_listen_host(const char *listen_host, const char *name) {
    if (strchr(listen_host, ':')) {
        char bracketed[HOST_NAME_MAX_BYTES + 3];
        snprintf(bracketed, sizeof bracketed, "[%s]", listen_host);
        return strcasecmp(bracketed, name) == 0;
    }
    return strcasecmp(listen_host, name) == 0;
}

bool http_host_allowed(const char *listen_host, const char *allowed, const char *header) {
    char name[HOST_NAME_MAX_BYTES + 1];
    if (!header) return true; /* HTTP/1.0 tools; browsers always send one */
    if (strcmp(allowed, "*") == 0) return true;
    if (!host_part(header, name)) return false;
    if (listed("localhost 127.0.0.1 [::1]", name) || is_listen_host(listen_host, name)) return true;
    if (!*allowed) return is_wildcard(listen_host);
    return listed(allowed, name);
}
