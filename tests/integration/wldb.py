# SPDX-License-Identifier: Apache-2.0
"""The integration tests' own reads and edits of a ledger's database, on either engine.

connect(target) takes what lib.sh's db_of prints: an SQLite file (Python's sqlite3) or a
postgres:// URL (psycopg2, Debian's python3-psycopg2), as the pg.* runs give. On
PostgreSQL, execute() takes SQLite's ? parameters, gives BYTEA cells as bytes (as sqlite3
gives BLOBs) and every statement commits at once; commit() and close() are there as on
sqlite3. lib.sh puts this directory on PYTHONPATH.
"""
import sqlite3


def connect(target, timeout=10):
    if target.startswith(("postgres://", "postgresql://")):
        return _Pg(target)
    return sqlite3.connect(target, timeout=timeout)


def _cell(v):
    return bytes(v) if isinstance(v, memoryview) else v


class _Rows:
    def __init__(self, cur):
        self.cur = cur
        self.rowcount = cur.rowcount

    def _rows(self):
        return self.cur.fetchall() if self.cur.description is not None else []

    def fetchone(self):
        r = self.cur.fetchone() if self.cur.description is not None else None
        return None if r is None else tuple(_cell(v) for v in r)

    def fetchall(self):
        return [tuple(_cell(v) for v in r) for r in self._rows()]

    def __iter__(self):
        return iter(self.fetchall())


class _Pg:
    def __init__(self, url):
        import psycopg2

        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True

    def execute(self, sql, params=None):
        cur = self.conn.cursor()
        if params is None or len(params) == 0:
            cur.execute(sql)
        else:
            cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return _Rows(cur)

    def executescript(self, sql):
        self.conn.cursor().execute(sql)

    def commit(self):
        pass

    def close(self):
        self.conn.close()
