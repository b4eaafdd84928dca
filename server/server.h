/*
 * server.h - `truce serve`: the HTTP JSON API and the dashboard's static
 * files on libmicrohttpd (docs/api.md). The server uses only the public
 * library interface.
 */
#ifndef TRUCE_SERVER_H
#define TRUCE_SERVER_H

#include <stdbool.h>

struct server_opts {
    const char *db;         /* the store */
    const char *bind;       /* address, default 127.0.0.1 */
    unsigned port;          /* 0: any free port */
    unsigned threads;       /* worker threads */
    bool read_token;        /* reads need a token too */
    const char *web;        /* the dashboard's folder */
    unsigned per_ip;        /* connections one client address may hold */
};

/* Runs until SIGINT or SIGTERM; prints the URL once listening. Returns a
 * process exit code. */
int server_run(const struct server_opts *o);

#endif
