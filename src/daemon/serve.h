/* SPDX-License-Identifier: Apache-2.0 */
/* Entry points of the daemon for the `willing` dispatcher (src/main.c). */
#ifndef WILLING_SERVE_H
#define WILLING_SERVE_H

#include <netinet/in.h>

int wl_serve_main(int argc, char **argv);
int wl_witness_main(int argc, char **argv);
/* "ADDR:PORT" to a socket address; *loopback set for 127/8. */
int wl_parse_listen(const char *s, struct sockaddr_in *sa, int *loopback);

#endif
