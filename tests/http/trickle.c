/*
 * trickle.c - one connection to a running `truce serve` that sends its
 * request a byte at a time, five bytes a second, and never finishes: in
 * the request's headers (MODE headers), in its body after whole headers
 * (MODE body), or after a first whole request was answered, in the next
 * request's headers (MODE keepalive). Prints how long the server took to
 * end the connection; exits 0 when it did within SECONDS, 1 when the
 * connection was still open then, 2 on bad usage or when it cannot
 * connect.
 *
 * usage: trickle PORT headers|body|keepalive SECONDS
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dial(int port)
{
    struct sockaddr_in to = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (connect(fd, (struct sockaddr *)&to, sizeof(to))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads what is there within ms; -1 when the server ended the stream. */
static int
drain(int fd, int ms, char *seen, size_t n)
{
    struct pollfd p = {fd, POLLIN, 0};
    char buf[4096];
    ssize_t got;
    if (poll(&p, 1, ms) <= 0)
        return 0;
    got = read(fd, buf, sizeof(buf));
    if (got <= 0)
        return -1;
    if (seen && n > 1)
        snprintf(seen, n, "%.*s", (int)got, buf);
    return 0;
}

int
main(int argc, char **argv)
{
    static const char headers[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    static const char body_head[] = "POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1"
                                    "\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 100000\r\n\r\n";
    static const char whole[] = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1"
                                "\r\n\r\n";
    char first[64] = "";
    int port, fd;
    double seconds, t0;
    const char *mode;
    if (argc != 4 || (port = atoi(argv[1])) <= 0 ||
        (seconds = atof(argv[3])) <= 0) {
        fprintf(stderr, "usage: trickle PORT headers|body|keepalive SECONDS\n");
        return 2;
    }
    mode = argv[2];
    if ((fd = dial(port)) < 0) {
        fprintf(stderr, "trickle: cannot connect: %s\n", strerror(errno));
        return 2;
    }
    if (!strcmp(mode, "body")) {
        send(fd, body_head, sizeof(body_head) - 1, MSG_NOSIGNAL);
    } else if (!strcmp(mode, "keepalive")) {
        send(fd, whole, sizeof(whole) - 1, MSG_NOSIGNAL);
        if (drain(fd, 2000, first, sizeof(first)) < 0 ||
            strncmp(first, "HTTP/1.1 200", 12)) {
            fprintf(stderr, "trickle: the first request was not answered\n");
            return 2;
        }
    } else if (strcmp(mode, "headers")) {
        fprintf(stderr, "trickle: MODE is headers, body or keepalive\n");
        return 2;
    }
    t0 = now_s();
    for (size_t i = 0; now_s() - t0 < seconds; i++) {
        /* the body's bytes; or the headers', then header bytes without
         * end */
        const char *b = !strcmp(mode, "body")       ? "x"
                        : i < sizeof(headers) - 1 ? &headers[i]
                                                    : "X";
        if (send(fd, b, 1, MSG_NOSIGNAL) < 0 || drain(fd, 200, NULL, 0) < 0) {
            printf("%s: the server ended the connection after %.1f s\n", mode,
                   now_s() - t0);
            close(fd);
            return 0;
        }
    }
    printf("%s: the connection was still open after %.1f s\n", mode, seconds);
    close(fd);
    return 1;
}
