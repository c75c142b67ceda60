/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store a unit test runs on: SQLite, or the PostgreSQL server of ctest's
 * pg.* runs (scripts/pg-test.sh). WILLING_TEST_PG names that server: its URL,
 * or a file holding it (ctest passes build/pg/url).
 */
#ifndef WILLING_TESTDB_H
#define WILLING_TESTDB_H

/*
 * Without WILLING_TEST_PG: name itself (an SQLite path or ":memory:"). With
 * it: the URL of a database created for this call (CREATE DATABASE on the
 * server), empty and never handed out again. The URL lives until the program
 * exits. A server that cannot be reached or refuses ends the test (abort).
 */
const char *wl_test_db(const char *name);

/* 1 when the tests run against PostgreSQL (WILLING_TEST_PG is set), else 0. */
int wl_test_pg(void);

#endif
