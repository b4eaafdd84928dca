/*
 * http.c - the HTTP side of `truce serve` (docs/api.md) on libmicrohttpd:
 * its thread pool, the limits (connections per client address, header and
 * body deadlines that a trickle of bytes does not move, an early 413, the
 * Host allow-list), the dashboard's static files confined to their
 * folder, the security headers, the access log; requests under /api go to
 * server/api.c (server/http.h).
 *
 * Requests keep their state (the upload body, the log's fields) in
 * *req_cls, freed when MHD says the request is complete. Connections are
 * watched from their start to their close (struct watch): a thread shuts
 * down the socket of one whose headers or body are late.
 */
#define _GNU_SOURCE 1
#include "http.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <truce/truce.h>

#define MAX_BODY (1u << 20)

/* Where a connection is: waiting for a request's headers (also between
 * requests), reading its body, or answering (no deadline of ours: the
 * answer is bounded by MHD's idle timeout and the per-IP limit). */
enum phase { HEADERS, BODY, ANSWER };

/* One open connection, from MHD's start notice to its close notice. */
struct watch {
    struct watch *prev, *next;
    int fd;
    enum phase phase;
    struct timespec since;     /* the phase's start */
    bool cut;                  /* shut down for lateness */
};

struct server {
    struct server_opts o;
    char web_real[PATH_MAX];   /* o.web resolved, "" when it is missing */
    struct api *api;
    pthread_mutex_t lock;      /* the log's lines */
    FILE *log;                 /* the access log, or NULL */
    pthread_mutex_t wlock;     /* the watches */
    struct watch watches;      /* the list's head */
    pthread_t watcher;
    atomic_bool stop;
};

struct request {
    struct truce_buf body;
    bool too_large;
    /* for the access log */
    struct timespec t0;
    uint32_t addr;             /* the client's IPv4 address, host order */
    char method[12], path[256];
    struct api_outcome out;
    unsigned status;
    size_t bytes;
};

/* ------------------------------------------------------------ replies */

/* True when s is valid UTF-8 (no overlongs, no surrogates). */
bool
utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1
                                   : (c & 0xF0) == 0xE0     ? 2
                                   : (c & 0xF8) == 0xF0     ? 3
                                                            : 4;
        unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F
                                                              : c & 0x07;
        if (n == 4 || (n == 1 && c < 0xC2))
            return false;
        for (unsigned i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        p += n + 1;
    }
    return true;
}

void
reply_text(struct reply *r, unsigned status, char *body, const char *type)
{
    free(r->body);
    r->status = status;
    r->body = body;
    r->len = body ? strlen(body) : 0;
    r->type = type;
}

void
reply_json(struct reply *r, unsigned status, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(10));
    json_decref(o);
    reply_text(r, status, text, "application/json");
}

void
reply_error(struct reply *r, unsigned status, const char *fmt, ...)
{
    static const struct {
        unsigned status;
        const char *code;
    } codes[] = {{400, "bad_request"}, {401, "unauthorized"},
                 {403, "forbidden"},   {404, "not_found"},
                 {405, "method_not_allowed"}, {409, "conflict"},
                 {413, "too_large"},   {429, "too_many_requests"},
                 {500, "internal"},
                 /* a write to a store that takes none (a hot standby) */
                 {503, "read_only"}};
    const char *code = "internal";
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (codes[i].status == status)
            code = codes[i].code;
    }
    /* A message that echoes input which is not UTF-8 keeps its status:
     * the bytes that are not ASCII become '?'. */
    if (!utf8_ok(msg)) {
        for (char *p = msg; *p; p++) {
            if ((unsigned char)*p >= 0x80)
                *p = '?';
        }
    }
    reply_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code,
                                    "message", msg));
}


static const char *
content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"},
                 {".geojson", "application/geo+json"},
                 {".png", "image/png"},
                 {".svg", "image/svg+xml"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    }
    return "application/octet-stream";
}

/* The page `/` answers with when the dashboard's files are not there. */
static void
reply_no_dashboard(struct reply *r, const char *web)
{
    struct truce_buf b;
    truce_status st;
    truce_buf_init(&b, 0);
    st = truce_buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta "
                        "charset=\"utf-8\"><title>truce: the dashboard is "
                        "not built</title></head>\n<body><h1>The dashboard "
                        "is not built</h1>\n<p>truce serve looks for its "
                        "files in <code>");
    for (const char *p = web; *p && !st; p++) {
        const char *esc = *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                          : *p == '&' ? "&amp;" : *p == '"' ? "&quot;" : NULL;
        st = esc ? truce_buf_adds(&b, esc) : truce_buf_add(&b, p, 1);
    }
    if (!st)
        st = truce_buf_adds(&b, "</code>, and <code>index.html</code> is not "
                            "there.</p>\n<p>Build them in the truce source "
                            "folder with <code>make</code> (or <code>make "
                            "web</code>) and reload this page, or start "
                            "<code>truce serve --web DIR</code> with the "
                            "folder they were built into.</p>\n<p>The API "
                            "answers without them: <a href=\"/api/health\">"
                            "/api/health</a>.</p></body></html>\n");
    if (st) {
        truce_buf_release(&b);
        reply_error(r, 500, "out of memory");
        return;
    }
    reply_text(r, 404, truce_buf_detach(&b), "text/html; charset=utf-8");
}

/* A static file response, or NULL after filling r with an error. */
static struct MHD_Response *
static_file(struct server *s, const char *url, struct reply *r,
            const char **type)
{
    char path[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(s->web_real);
    struct stat sb;
    struct MHD_Response *resp;
    int fd = -1;
    if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\') ||
        strstr(url, "//")) {
        reply_error(r, 400, "a path starts with '/' and may not contain "
                    "'..', '//' or '\\'");
        return NULL;
    }
    /* Only regular files that lie in the dashboard's folder once every
     * symbolic link is resolved, and none at the last step. */
    if (n && snprintf(path, sizeof(path), "%s%s", s->web_real,
                      !strcmp(url, "/") ? "/index.html" : url) <
                 (int)sizeof(path) &&
        realpath(path, real) && !strncmp(real, s->web_real, n) &&
        real[n] == '/')
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        if (!strcmp(url, "/"))
            reply_no_dashboard(r, s->o.web);
        else
            reply_error(r, 404, "no such file: %s", url);
        return NULL;
    }
    resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        reply_error(r, 500, "cannot send %s", url);
        return NULL;
    }
    *type = content_type(path);
    return resp;
}

/* ------------------------------------------------------------ MHD glue */

/* The headers every answer carries: no sniffing of types, no framing by
 * other sites, no referrer, and a content policy that lets the dashboard
 * run and fetch only its own files (the report's inline styles allowed);
 * images may also come over https, for the map tiles a user may set. */
static void
add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(
        resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self'; "
        "frame-src 'self' blob:; frame-ancestors 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'");
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->len, r->body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret;
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_security_headers(resp);
    ret = MHD_queue_response(conn, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The Host a request names must be one this server answers for: its
 * loopback names and bound address, and the --allow-host names (bound to
 * every address without any, any host). So a page of another site whose
 * name resolves here (DNS rebinding) cannot read the API. */
static bool
host_allowed(const struct server *s, struct MHD_Connection *conn)
{
    static const char *const local[] = {"localhost", "127.0.0.1", "[::1]"};
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                "Host");
    size_t n;
    if (!h)
        return true; /* HTTP/1.0 */
    n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":");
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        if (strlen(local[i]) == n && strncasecmp(h, local[i], n) == 0)
            return true;
    }
    if (strlen(s->o.bind) == n && strncmp(h, s->o.bind, n) == 0)
        return true;
    for (size_t i = 0; i < s->o.n_hosts; i++) {
        if (strlen(s->o.hosts[i]) == n && strncasecmp(h, s->o.hosts[i], n) == 0)
            return true;
    }
    return !s->o.n_hosts && strcmp(s->o.bind, "0.0.0.0") == 0;
}

/* ----------------------------------------------------- deadlines */

static double
since_ms(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
           (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Moves conn's watch to phase ph, starting the phase's clock. */
static void
watch_phase(struct server *s, struct MHD_Connection *conn, enum phase ph)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct watch *w = ci ? ci->socket_context : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&s->wlock);
    w->phase = ph;
    clock_gettime(CLOCK_MONOTONIC, &w->since);
    pthread_mutex_unlock(&s->wlock);
}

/* MHD's notices of a connection's start and close. MHD tells of the close
 * before it closes the socket, and the watcher shuts sockets down only
 * under wlock, so it never touches a descriptor that was reused. */
static void
notify_connection(void *cls, struct MHD_Connection *conn,
                  void **socket_context,
                  enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    struct watch *w = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci || !(w = calloc(1, sizeof(*w))))
            return; /* unwatched: MHD's own timeout still holds */
        w->fd = ci->connect_fd;
        w->phase = HEADERS;
        clock_gettime(CLOCK_MONOTONIC, &w->since);
        pthread_mutex_lock(&s->wlock);
        w->next = s->watches.next;
        w->prev = &s->watches;
        w->next->prev = w;
        s->watches.next = w;
        pthread_mutex_unlock(&s->wlock);
        *socket_context = w;
    } else if (w) {
        pthread_mutex_lock(&s->wlock);
        w->prev->next = w->next;
        w->next->prev = w->prev;
        pthread_mutex_unlock(&s->wlock);
        free(w);
        *socket_context = NULL;
    }
}

/* Every 100 ms, shuts down the connections whose request's headers (or,
 * between requests, the next request's) took longer than the header
 * deadline, or whose body took longer than the body deadline, counted
 * from the phase's start: bytes trickling in do not move the deadline.
 * MHD then sees the socket end and closes the connection. */
static void *
watcher_main(void *arg)
{
    struct server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&s->wlock);
        for (struct watch *w = s->watches.next; w != &s->watches;
             w = w->next) {
            double limit = w->phase == HEADERS ? s->o.header_timeout * 1e3
                           : w->phase == BODY  ? s->o.body_timeout * 1e3
                                               : 0;
            if (w->cut || limit <= 0 || since_ms(&w->since) < limit)
                continue;
            shutdown(w->fd, SHUT_RDWR);
            w->cut = true;
        }
        pthread_mutex_unlock(&s->wlock);
    }
    return NULL;
}

/* ------------------------------------------------------------ requests */

static const char *
conn_arg(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static const char *
conn_header(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* A request's state, made when its headers are in. */
static struct request *
request_new(struct server *s, struct MHD_Connection *conn, const char *url,
            const char *method)
{
    const char *len = conn_header(conn, "Content-Length");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct request *req = calloc(1, sizeof(*req));
    if (!req)
        return NULL;
    truce_buf_init(&req->body, MAX_BODY);
    clock_gettime(CLOCK_MONOTONIC, &req->t0);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        req->addr = ntohl(
            ((const struct sockaddr_in *)ci->client_addr)->sin_addr.s_addr);
    snprintf(req->method, sizeof(req->method), "%s", method);
    snprintf(req->path, sizeof(req->path), "%s", url);
    /* A body said to be too large is refused before it is read. */
    if (len && strtoull(len, NULL, 10) > MAX_BODY)
        req->too_large = true;
    watch_phase(s, conn, BODY);
    return req;
}

/* A static file of the dashboard queued, or false after filling r. */
static bool
queue_static(struct server *s, struct MHD_Connection *conn, const char *url,
             struct request *req, struct reply *r, enum MHD_Result *ret)
{
    const char *type = NULL;
    struct MHD_Response *resp = static_file(s, url, r, &type);
    if (!resp)
        return false;
    MHD_add_response_header(resp, "Content-Type", type);
    add_security_headers(resp);
    req->status = MHD_HTTP_OK;
    *ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return true;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **req_cls)
{
    struct server *s = cls;
    struct request *req = *req_cls;
    struct reply r = {0};
    enum MHD_Result ret;
    (void)version;
    if (!req) {
        if (!(req = *req_cls = request_new(s, conn, url, method)))
            return MHD_NO;
        if (!req->too_large)
            return MHD_YES;
    }
    if (*upload_data_size && !req->too_large) {
        if (truce_buf_add(&req->body, upload_data, *upload_data_size))
            req->too_large = true;
        *upload_data_size = 0;
        if (!req->too_large)
            return MHD_YES;
    }
    watch_phase(s, conn, ANSWER);
    if (req->too_large) {
        /* Answered at once; the connection closes rather than read on. */
        *upload_data_size = 0;
        reply_error(&r, 413, "the body is larger than 1 MiB");
    } else if (!utf8_ok(url)) {
        reply_error(&r, 400, "the path is not UTF-8");
    } else if (!host_allowed(s, conn)) {
        reply_error(&r, 403, "this server does not answer for that host "
                    "(truce serve --allow-host NAME)");
    } else if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api")) {
        struct api_request rq = {method, url + 4, req->body.buf,
                                 req->body.len, req->addr, conn_arg,
                                 conn_header, conn};
        api_handle(s->api, &rq, &r, &req->out);
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        reply_error(&r, 405, "%s is not allowed on %s", method, url);
    } else if (queue_static(s, conn, url, req, &r, &ret)) {
        return ret;
    }
    if (!r.body)
        reply_error(&r, 500, "no answer");
    req->status = r.status;
    req->bytes = r.len;
    return send_reply(conn, &r);
}

/* One JSON line of the access log: when, who, what, how it went. No
 * token, no body, no query. */
static void
log_request(struct server *s, const struct request *req)
{
    struct tm tm;
    time_t t = time(NULL);
    char when[32], line[1024];
    struct truce_buf b;
    double ms = since_ms(&req->t0);
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    truce_buf_init(&b, sizeof(line));
    truce_buf_addf(&b, "{\"time\":\"%s\",\"client\":\"%u.%u.%u.%u\","
                   "\"method\":", when, req->addr >> 24,
                   (req->addr >> 16) & 255, (req->addr >> 8) & 255,
                   req->addr & 255);
    truce_buf_add_json(&b, utf8_ok(req->method) ? req->method : "?");
    truce_buf_adds(&b, ",\"path\":");
    truce_buf_add_json(&b, utf8_ok(req->path) ? req->path : "(not UTF-8)");
    truce_buf_addf(&b, ",\"status\":%u,\"bytes\":%zu,\"ms\":%.1f,"
                   "\"user\":", req->status, req->bytes, ms);
    truce_buf_add_json(&b, req->out.user[0] ? req->out.user : NULL);
    truce_buf_adds(&b, req->out.auth_failed ? ",\"auth\":\"failed\"}\n"
                                            : "}\n");
    pthread_mutex_lock(&s->lock);
    fputs(b.buf, s->log);
    fflush(s->log);
    pthread_mutex_unlock(&s->lock);
    truce_buf_release(&b);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **req_cls,
          enum MHD_RequestTerminationCode toe)
{
    struct request *req = *req_cls;
    struct server *s = cls;
    (void)toe;
    /* the next request's headers are due from now */
    watch_phase(s, conn, HEADERS);
    if (!req)
        return;
    if (s->log)
        log_request(s, req);
    truce_buf_release(&req->body);
    free(req);
    *req_cls = NULL;
}

/* ------------------------------------------------------------- running */

static struct MHD_Daemon *
start_daemon(struct server *s, const struct sockaddr_in *addr)
{
    const struct server_opts *o = &s->o;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
        (uint16_t)o->port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(o->threads ? o->threads : 4),
        MHD_OPTION_NOTIFY_COMPLETED, completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, notify_connection, s,
        /* idle connections; our deadlines are watcher_main's */
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
        /* one client cannot hold every slot with slow connections */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)(o->per_ip ? o->per_ip : 128), MHD_OPTION_END);
}

/* Frees what server_setup made. */
static void
server_teardown(struct server *s)
{
    api_free(s->api);
    if (s->log)
        fclose(s->log);
    pthread_mutex_destroy(&s->wlock);
    pthread_mutex_destroy(&s->lock);
}

/* Everything but the daemon; a process exit code, 0 when ready. */
static int
server_setup(struct server *s, const struct server_opts *o,
             struct sockaddr_in *addr)
{
    struct api_opts ao = {o->db, o->read_token};
    memset(s, 0, sizeof(*s));
    s->o = *o;
    if (!s->o.header_timeout)
        s->o.header_timeout = 20;
    if (!s->o.body_timeout)
        s->o.body_timeout = 60;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->wlock, NULL);
    s->watches.next = s->watches.prev = &s->watches;
    atomic_init(&s->stop, false);
    if (!realpath(o->web, s->web_real))
        s->web_real[0] = '\0';
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->bind, &addr->sin_addr) != 1) {
        fprintf(stderr, "truce: --bind: not an IPv4 address: '%s'\n",
                o->bind);
        server_teardown(s);
        return 1;
    }
    if (o->log && !(s->log = fopen(o->log, "a"))) {
        fprintf(stderr, "truce: --log: cannot open '%s': %s\n", o->log,
                strerror(errno));
        server_teardown(s);
        return 2;
    }
    if (!(s->api = api_new(&ao))) {
        fprintf(stderr, "truce: cannot make the API's state\n");
        server_teardown(s);
        return 2;
    }
    return 0;
}

int
server_run(const struct server_opts *o)
{
    struct server s;
    struct sockaddr_in addr;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    int sig, rc;
    if ((rc = server_setup(&s, o, &addr)))
        return rc;
    /* Signals are taken by this thread only: the others inherit a mask. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (!(d = start_daemon(&s, &addr))) {
        fprintf(stderr, "truce: cannot listen on %s:%u: %s\n", o->bind,
                o->port, strerror(errno));
        server_teardown(&s);
        return 2;
    }
    if (pthread_create(&s.watcher, NULL, watcher_main, &s)) {
        fprintf(stderr, "truce: cannot start the server's threads\n");
        MHD_stop_daemon(d);
        server_teardown(&s);
        return 2;
    }
    if (!api_start_reassessment(s.api)) {
        fprintf(stderr, "truce: cannot start the re-assessment thread\n");
        rc = 2;
        goto stop;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("truce: serving http://%s:%u/\n", o->bind,
           info ? (unsigned)info->port : o->port);
    fflush(stdout);
    sigdelset(&set, SIGPIPE);
    sigwait(&set, &sig);
    fprintf(stderr, "truce: stopping (signal %d)\n", sig);
stop:
    atomic_store(&s.stop, true);
    pthread_join(s.watcher, NULL);
    MHD_stop_daemon(d);
    server_teardown(&s);
    return rc;
}
