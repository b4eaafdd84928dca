/*
 * http.h - what the server's two halves share: server/http.c (the HTTP
 * side: libmicrohttpd, its threads, static files, limits, the access log)
 * hands each request under /api to server/api.c (the API: one route
 * table, roles, the store) as a struct api_request and sends the struct
 * reply it gets back. api.c knows nothing of libmicrohttpd, so it can be
 * driven without sockets (fuzz/fuzz_api.c).
 */
#ifndef TRUCE_SERVER_HTTP_H
#define TRUCE_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* An answer: a status and a malloc'd body, owned by the reply. */
struct reply {
    unsigned status;
    char *body;
    size_t len;
    const char *type;          /* a static string */
};

/* Sets r to status and body (taking body; the old one is freed). */
void reply_text(struct reply *r, unsigned status, char *body,
                const char *type);
/* Sets r to o as compact JSON (taking the reference to o). */
void reply_json(struct reply *r, unsigned status, json_t *o);
/* Sets r to {"error": {"code", "message"}}; the code follows status. */
void reply_error(struct reply *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True when s is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_ok(const char *s);

/* One request to the API, as the HTTP side hands it over; everything is
 * borrowed for the call. */
struct api_request {
    const char *method;        /* GET, HEAD, POST, ... */
    const char *path;          /* after "/api": "/events/x", or "" */
    const char *body;          /* NULL or body_len bytes */
    size_t body_len;
    uint32_t addr;             /* the client's IPv4 address, host order */
    /* A query argument or a request header by name, NULL when absent. */
    const char *(*arg)(void *conn, const char *name);
    const char *(*header)(void *conn, const char *name);
    void *conn;
};

/* What the API says about a request for the access log. */
struct api_outcome {
    char user[64];             /* the token's user, "" when none */
    bool auth_failed;          /* a wrong token, or throttled */
};

struct api_opts {
    const char *db;            /* the store */
    bool read_token;           /* reads need a token too */
};

/* The API's state: each calling thread's store connection and model, the
 * failed tokens by address, and the background re-assessment. */
struct api;

/* Makes the API's state; NULL when out of memory or threads' keys. */
struct api *api_new(const struct api_opts *o);
/* Starts the background re-assessment thread; false when it cannot. */
bool api_start_reassessment(struct api *a);
/* Stops the thread (when started) and frees a; NULL is a no-op. The
 * threads that called api_handle free their state as they end. */
void api_free(struct api *a);
/* Answers one request into r (r starts zeroed); out gets the user. Safe
 * from many threads at once. */
void api_handle(struct api *a, const struct api_request *rq, struct reply *r,
                struct api_outcome *out);

#endif
