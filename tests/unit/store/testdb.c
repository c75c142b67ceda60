/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_test_db (testdb.h): a fresh database per call on the server that
 * WILLING_TEST_PG names, over one libpq connection kept for the program's
 * life; the URLs handed out are kept in a list, freed at exit.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>

#include "testdb.h"

struct url {
    struct url *next;
    char s[];
};

static PGconn *conn;
static struct url *urls;
static char server[512]; /* the server's URL, up to its last '/' (the database's name) */
static unsigned serial;

static void done(void)
{
    while (urls != NULL) {
        struct url *n = urls->next;
        free(urls);
        urls = n;
    }
    PQfinish(conn);
    conn = NULL;
}

int wl_test_pg(void)
{
    const char *e = getenv("WILLING_TEST_PG");
    return e != NULL && e[0] != '\0';
}

/* WILLING_TEST_PG's URL into server[] (up to its last '/'); the connection opened */
static void connect_server(void)
{
    const char *e = getenv("WILLING_TEST_PG");
    char url[512];
    size_t n;
    if (strncmp(e, "postgres://", 11) == 0 || strncmp(e, "postgresql://", 13) == 0) {
        snprintf(url, sizeof url, "%s", e);
    } else {
        FILE *f = fopen(e, "r");
        if (f == NULL || fgets(url, sizeof url, f) == NULL) {
            fprintf(stderr, "testdb: WILLING_TEST_PG=%s: no URL there (pg.start not run?)\n", e);
            abort();
        }
        fclose(f);
        url[strcspn(url, "\r\n")] = '\0';
    }
    conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect to %s: %s", url, PQerrorMessage(conn));
        abort();
    }
    n = (size_t)(strrchr(url, '/') - url) + 1;
    memcpy(server, url, n);
    server[n] = '\0';
    atexit(done);
}

const char *wl_test_db(const char *name)
{
    char db[64], sql[128];
    size_t k = 0, len;
    struct url *u;
    PGresult *r;
    if (!wl_test_pg())
        return name;
    if (conn == NULL)
        connect_server();
    /* t_<a-z0-9_ of name's last part>_<pid>_<serial>: unique on the server for this run */
    name = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    k = (size_t)snprintf(db, sizeof db, "t_");
    for (; *name != '\0' && k < 24; name++)
        db[k++] = isalnum((unsigned char)*name) ? (char)tolower((unsigned char)*name) : '_';
    snprintf(db + k, sizeof db - k, "_%ld_%u", (long)getpid(), ++serial);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(conn));
        abort();
    }
    PQclear(r);
    len = strlen(server) + strlen(db) + 1;
    u = malloc(sizeof *u + len);
    if (u == NULL)
        abort();
    snprintf(u->s, len, "%s%s", server, db);
    u->next = urls;
    urls = u;
    return u->s;
}
