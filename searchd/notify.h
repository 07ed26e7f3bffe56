/* notify: tells a service manager how start-up and stopping go, for a
 * systemd unit with Type=notify. This is sd_notify(3)'s datagram protocol,
 * done here in a few lines rather than with libsystemd: when the manager
 * sets $NOTIFY_SOCKET, one datagram such as "READY=1" goes to that Unix
 * socket (a path, or an abstract name written with a leading '@').
 * Without $NOTIFY_SOCKET nothing is sent. */
#ifndef LEDE_SEARCHD_NOTIFY_H
#define LEDE_SEARCHD_NOTIFY_H

#include <stdbool.h>

/* Sends state ("READY=1", "STOPPING=1") to $NOTIFY_SOCKET. True when it
 * was sent or there is no manager to tell; false (after logging a warning
 * that names the socket) when the socket cannot be reached. */
bool notify_send(const char *state);

#endif
