/*
 * server.h - `truce serve`: the HTTP JSON API and the dashboard's static
 * files on libmicrohttpd (docs/api.md). The server uses only the public
 * library interface.
 */
#ifndef TRUCE_SERVER_H
#define TRUCE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct server_opts {
    const char *db;         /* the store */
    const char *bind;       /* address, default 127.0.0.1 */
    unsigned port;          /* 0: any free port */
    unsigned threads;       /* worker threads */
    bool read_token;        /* reads need a token too */
    const char *web;        /* the dashboard's folder */
    unsigned per_ip;        /* connections one client address may hold */
    const char *const *hosts; /* Host names answered besides the loopback
                                 and bound ones (--allow-host) */
    size_t n_hosts;
    const char *log;        /* the access log (JSON lines), or NULL */
    unsigned header_timeout; /* seconds a request's headers may take from
                                the connection's start or the previous
                                answer (0: 20) */
    unsigned body_timeout;  /* seconds a body may take (0: 60) */
};

/* Runs until SIGINT or SIGTERM; prints the URL once listening. Returns a
 * process exit code. */
int server_run(const struct server_opts *o);
/* The API's routes, one a line (truce serve --routes). */
void server_print_routes(FILE *f);

#endif
