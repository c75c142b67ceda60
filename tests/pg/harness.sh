#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest's pg.harness: the server that pg.start left in DIR (scripts/pg-test.sh) is what the
# pg.* tests need: its URL in DIR/url, the superuser willing on 127.0.0.1 only, a server
# process that is not root's, durable commits, room for 200 connections and for a replica
# (a replication connection from 127.0.0.1), and createdb giving a fresh database.
# Usage: tests/pg/harness.sh DIR
set -euo pipefail
DIR=${1:?usage: harness.sh DIR}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
FAILS=0
check() { # check "description" command...
  local d=$1; shift
  if "$@"; then echo "ok - $d"; else echo "not ok - $d"; FAILS=$((FAILS + 1)); fi
}
q() { "$BIN/psql" -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

URL=$(cat "$DIR/url")
check "DIR/url holds postgres://willing@127.0.0.1:PORT/postgres" \
  grep -Eq '^postgres://willing@127\.0\.0\.1:[0-9]+/postgres$' <<<"$URL"
PORT=${URL##*:}
PORT=${PORT%%/*}
check "a query through the URL answers" [ "$(q "$URL" 'SELECT 1')" = 1 ]
check "willing is a superuser" [ "$(q "$URL" "SELECT rolsuper FROM pg_roles WHERE rolname = 'willing'")" = t ]
for s in fsync=on synchronous_commit=on full_page_writes=on listen_addresses=127.0.0.1 \
  max_connections=200 wal_level=replica max_wal_senders=10 server_encoding=UTF8 lc_collate=C; do
  check "setting ${s%%=*} is ${s#*=}" \
    [ "$(q "$URL" "SELECT setting FROM pg_settings WHERE name = '${s%%=*}'")" = "${s#*=}" ]
done
PID=$(head -n 1 "$(q "$URL" 'SHOW data_directory')/postmaster.pid")
check "the server runs as an unprivileged user, not root" [ "$(stat -c %u "/proc/$PID")" != 0 ]
# the kernel's listening TCP sockets (state 0A) on PORT: 127.0.0.1's alone
listeners() {
  python3 - "$PORT" <<'PY'
import sys
port = "%04X" % int(sys.argv[1])
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    for line in open(f).readlines()[1:]:
        local, st = line.split()[1], line.split()[3]
        if st == "0A" and local.endswith(":" + port):
            print(local)
PY
}
check "the server listens on 127.0.0.1:$PORT only" [ "$(listeners)" = "0100007F:$(printf %04X "$PORT")" ]
check "a replication connection from 127.0.0.1 is allowed (pg_basebackup can make a replica)" \
  sh -c "'$BIN/psql' -X -At 'host=127.0.0.1 port=$PORT user=willing dbname=postgres replication=database' \
         -c IDENTIFY_SYSTEM | grep -q '|'"
NAME=harness_$$
DB=$("$SRC/scripts/pg-test.sh" createdb "$DIR/url" "$NAME")
check "createdb prints the new database's URL" [ "$DB" = "${URL%/*}/$NAME" ]
check "... where a query answers, in that database" [ "$(q "$DB" 'SELECT current_database()')" = "$NAME" ]
check "... which is empty" [ "$(q "$DB" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ]
check "createdb refuses a name that exists" sh -c "! '$SRC/scripts/pg-test.sh' createdb '$URL' $NAME 2>/dev/null"
check "createdb refuses a name that is not a-z 0-9 _" \
  sh -c "! '$SRC/scripts/pg-test.sh' createdb '$DIR' 'x;DROP' 2>/dev/null"
q "$URL" "DROP DATABASE $NAME" >/dev/null
echo "$FAILS failed"
[ "$FAILS" -eq 0 ]
