/*
 * slow_clients.c - a slow-connection attack against a running `truce
 * serve`, and whether other clients are still answered. One client
 * address (127.0.0.1) opens N connections and trickles a request's
 * headers a few bytes at a time, never finishing them; meanwhile another
 * address (127.0.0.2, on the same loopback) asks GET /api/health every
 * 100 ms. Prints the other client's slowest answer; exits 0 when every
 * probe was answered (200) within LIMIT_MS, 1 otherwise, 2 on bad usage.
 * Bounded: it runs for SECONDS and stops by itself.
 *
 * usage: slow_clients PORT N SECONDS LIMIT_MS
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A TCP connection from src to 127.0.0.1:port, or -1. */
static int
dial(const char *src, int port)
{
    struct sockaddr_in from = {0}, to = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    from.sin_family = AF_INET;
    inet_pton(AF_INET, src, &from.sin_addr);
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (bind(fd, (struct sockaddr *)&from, sizeof(from)) ||
        connect(fd, (struct sockaddr *)&to, sizeof(to))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One probe from the other address: ms to a complete 200 answer, or -1. */
static double
probe(int port, double limit_ms)
{
    static const char req[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1"
                              "\r\nConnection: close\r\n\r\n";
    char buf[4096];
    size_t got = 0;
    double t0 = now_ms();
    int fd = dial("127.0.0.2", port);
    if (fd < 0 || send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) !=
                      (ssize_t)(sizeof(req) - 1)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int left = (int)(limit_ms * 20 - (now_ms() - t0)); /* wait long */
        ssize_t n;
        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof(buf) - 1)
            break;
    }
    close(fd);
    buf[got] = '\0';
    return strncmp(buf, "HTTP/1.1 200", 12) == 0 ? now_ms() - t0 : -1;
}

int
main(int argc, char **argv)
{
    int port, n, seconds, *fds, open_n = 0, probes = 0, failed = 0;
    double limit, worst = 0, start;
    struct rlimit rl;
    if (argc != 5 || (port = atoi(argv[1])) <= 0 || (n = atoi(argv[2])) <= 0 ||
        (seconds = atoi(argv[3])) <= 0 || (limit = atof(argv[4])) <= 0) {
        fprintf(stderr, "usage: slow_clients PORT N SECONDS LIMIT_MS\n");
        return 2;
    }
    /* room for N sockets */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)n + 64 ? rl.rlim_max : (rlim_t)n + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    fds = calloc((size_t)n, sizeof(*fds));
    for (int i = 0; fds && i < n; i++) {
        static const char start_req[] = "GET /api/health HTTP/1.1\r\nHost: x\r\n";
        fds[i] = dial("127.0.0.1", port);
        if (fds[i] >= 0 &&
            send(fds[i], start_req, sizeof(start_req) - 1, MSG_NOSIGNAL) > 0)
            open_n++;
    }
    start = now_ms();
    while (now_ms() - start < seconds * 1e3) {
        double ms;
        /* the trickle: a header byte on each slow connection */
        for (int i = 0; i < n; i++) {
            if (fds[i] >= 0 && send(fds[i], "X", 1, MSG_NOSIGNAL) < 0) {
                close(fds[i]);
                fds[i] = -1;
            }
        }
        ms = probe(port, limit);
        probes++;
        if (ms < 0 || ms > limit)
            failed++;
        if (ms > worst)
            worst = ms;
        if (ms < 0)
            worst = limit * 20;
        usleep(100000);
    }
    for (int i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    free(fds);
    printf("%d slow connections opened (of %d), %d probes from another "
           "address, %d slower than %.0f ms or unanswered, the slowest %.1f ms\n",
           open_n, n, probes, failed, limit, worst);
    return failed ? 1 : 0;
}
