/*
 * cmd_serve.c - `truce serve` (the HTTP API and the dashboard) and
 * `truce users add` (API tokens).
 */
#define _GNU_SOURCE 1
#include "cli.h"

#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>

#include "../server/server.h"

/* build/web beside the binary, the default dashboard folder. */
static void
default_web(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0) {
        snprintf(out, n, "build/web");
        return;
    }
    exe[len] = '\0';
    snprintf(out, n, "%s/web", dirname(exe));
}

/* A whole number from lo to hi for option name; false when it is not. */
static bool
opt_number(const char *s, long lo, long hi, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = (unsigned)v;
    return true;
}

/* A server on a hot standby serves the reads; it says so at the start,
 * once, rather than in a failure a minute. */
static void
note_read_only(struct cli *c)
{
    bool ro = false;
    if (!truce_store_read_only(c->store, &ro) && ro)
        fprintf(stderr, "truce: the store takes no writes (a read-only hot "
                "standby): serving reads; writes are refused with 503, and "
                "nothing is assessed or linked by this server\n");
}

int
cmd_serve(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"bind", required_argument, 0, 'b'},
        {"port", required_argument, 0, 'p'},
        {"threads", required_argument, 0, 't'},
        {"read-token-required", no_argument, 0, 'r'},
        {"web", required_argument, 0, 'w'},
        {"max-per-ip", required_argument, 0, 'm'},
        {"header-timeout", required_argument, 0, 'h'},
        {"body-timeout", required_argument, 0, 'B'},
        {"allow-host", required_argument, 0, 'H'},
        {"log", required_argument, 0, 'L'},
        {"routes", no_argument, 0, 'R'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    struct server_opts o = {0};
    const char *hosts[16];
    char web[PATH_MAX];
    long v;
    int ch, rc;
    o.bind = "127.0.0.1";
    o.port = 8080;
    /* one worker per core: more only trade places on the same cores */
    v = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = v > 0 && v <= 256 ? (unsigned)v : 4;
    default_web(web, sizeof(web));
    o.web = web;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'b': o.bind = optarg; break;
        case 'p':
            if (!opt_number(optarg, 0, 65535, &o.port))
                return cli_fail(EXIT_USAGE, "--port must be 0 to 65535");
            break;
        case 't':
            if (!opt_number(optarg, 1, 256, &o.threads))
                return cli_fail(EXIT_USAGE, "--threads must be 1 to 256");
            break;
        case 'r': o.read_token = true; break;
        case 'H':
            if (o.n_hosts == sizeof(hosts) / sizeof(hosts[0]))
                return cli_fail(EXIT_USAGE, "at most 16 --allow-host");
            hosts[o.n_hosts++] = optarg;
            o.hosts = hosts;
            break;
        case 'L': o.log = optarg; break;
        case 'R': server_print_routes(stdout); return 0;
        case 'm':
            if (!opt_number(optarg, 1, 1000, &o.per_ip))
                return cli_fail(EXIT_USAGE, "--max-per-ip must be 1 to 1000");
            break;
        case 'h':
            if (!opt_number(optarg, 1, 3600, &o.header_timeout))
                return cli_fail(EXIT_USAGE,
                                "--header-timeout must be 1 to 3600 seconds");
            break;
        case 'B':
            if (!opt_number(optarg, 1, 3600, &o.body_timeout))
                return cli_fail(EXIT_USAGE,
                                "--body-timeout must be 1 to 3600 seconds");
            break;
        case 'w': o.web = optarg; break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("serve"));
        }
    }
    if (optind != argc)
        return cli_usage(cli_find("serve"));
    /* The store must exist and be current before the workers open it. */
    if ((rc = cli_store(c)))
        return rc;
    note_read_only(c);
    truce_store_close(c->store);
    c->store = NULL;
    o.db = c->db;
    return server_run(&o);
}

/* users list: one JSON object a user, gathered into an array. */
static truce_status
collect_user(void *ud, const char *id, const char *json)
{
    (void)id;
    return json_array_append_new(ud, json_loads(json, 0, NULL))
               ? TRUCE_ENOMEM
               : TRUCE_OK;
}

static int
users_list(struct cli *c, bool as_json)
{
    json_t *arr = json_array(), *u;
    size_t i;
    if (truce_store_each_user(c->store, collect_user, arr)) {
        json_decref(arr);
        return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
    }
    if (as_json) {
        json_t *doc = json_pack("{s:o}", "users", arr);
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s ? s : "{}");
        free(s);
        json_decref(doc);
        return 0;
    }
    printf("%zu user%s in '%s':\n", json_array_size(arr),
           json_array_size(arr) == 1 ? "" : "s", c->db);
    json_array_foreach(arr, i, u) {
        printf("  %-4lld %-24s %-8s since %s%s\n",
               (long long)json_integer_value(json_object_get(u, "id")),
               json_string_value(json_object_get(u, "name")),
               json_string_value(json_object_get(u, "role")),
               json_string_value(json_object_get(u, "created_at")),
               json_is_true(json_object_get(u, "active")) ? ""
                                                          : "  (revoked)");
    }
    json_decref(arr);
    return 0;
}

int
cmd_users(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"role", required_argument, 0, 'r'},
        {"format", required_argument, 0, 'f'},
        {"db", required_argument, 0, 'D'},
        {0, 0, 0, 0}};
    const char *role = NULL, *format = "text", *sub;
    char token[128];
    bool as_json;
    int ch, rc;
    if (argc < 2)
        return cli_usage(cli_find("users"));
    sub = argv[1];
    optind = 1;
    while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'r': role = optarg; break;
        case 'f': format = optarg; break;
        case 'D': c->db = optarg; break;
        default: return cli_usage(cli_find("users"));
        }
    }
    if (!cli_text_or_json(format, &as_json))
        return EXIT_USAGE;
    if (strcmp(sub, "list") == 0 && optind == argc - 1) {
        if ((rc = cli_store(c)))
            return rc;
        return users_list(c, as_json);
    }
    if ((strcmp(sub, "revoke") == 0 || strcmp(sub, "rotate") == 0) &&
        optind == argc - 2) {
        const char *name = argv[1 + optind];
        bool revoke = sub[1] == 'e';
        if ((rc = cli_store(c)))
            return rc;
        if (revoke ? truce_store_revoke_user(c->store, name)
                   : truce_store_rotate_user(c->store, name, token,
                                             sizeof(token)))
            return cli_fail(EXIT_INPUT, "%s", truce_ctx_errmsg(c->ctx));
        if (revoke) {
            fprintf(stderr, "truce: the token of '%s' is revoked ('truce users "
                    "rotate %s' gives a new one)\n", name, name);
        } else {
            fprintf(stderr, "truce: a new token for '%s'; the old one no "
                    "longer works. It is shown once:\n", name);
            printf("%s\n", token);
        }
        return 0;
    }
    if (strcmp(sub, "add") || !role || optind != argc - 2)
        return cli_usage(cli_find("users"));
    if ((rc = cli_store(c)))
        return rc;
    if (truce_store_add_user(c->store, argv[1 + optind], role, token,
                             sizeof(token)))
        return cli_fail(strstr(truce_ctx_errmsg(c->ctx), "role") ? EXIT_USAGE
                                                                 : EXIT_INPUT,
                        "%s", truce_ctx_errmsg(c->ctx));
    fprintf(stderr, "truce: user '%s' (%s) added; the token is shown once:\n",
            argv[1 + optind], role);
    printf("%s\n", token);
    return 0;
}
