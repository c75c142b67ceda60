#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL server for the tests (ctest's pg.start and pg.stop, docs/OPERATIONS.md
# "Testing against PostgreSQL"): Debian's postgresql, initdb into DIR, loopback only, a free
# port, fsync on, replication allowed from 127.0.0.1 for the superuser `willing`. Run as root,
# the server runs as the system user willing-pg (postgres refuses root).
#
#   scripts/pg-test.sh start DIR          initdb and start; prints the URL, also in DIR/url
#   scripts/pg-test.sh stop DIR           stops it (immediate: the data is scratch) and removes
#                                         its data (in the background); no-op if none
#   scripts/pg-test.sh createdb WHERE NAME   creates database NAME and prints its URL
#                                         (WHERE: DIR, a file holding the URL, or the URL)
#
# A start over a DIR that a killed run left behind stops that server and starts afresh.
# WILLING_PG_PORTS=LO-HI picks the port in that range (default: one the kernel finds free).
set -euo pipefail

RUN_AS=willing-pg

die() {
  echo "pg-test: $*" >&2
  exit 1
}

# the newest /usr/lib/postgresql/*/bin
find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] ||
    die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/deps.sh --test"
  BIN=$d
}

# as_server CMD...: runs CMD as the server's user (willing-pg when we are root), from /
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$RUN_AS" -- "$@")
  else
    (cd / && "$@")
  fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id -u "$RUN_AS" >/dev/null 2>&1 && return 0
  useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$RUN_AS" 2>/dev/null ||
    id -u "$RUN_AS" >/dev/null 2>&1 || die "cannot create the system user $RUN_AS (useradd -r)"
}

# the server's home H (data in H/data, its log H/server.log, its socket in H): DIR itself, or,
# as root when willing-pg cannot reach DIR (say, under /root), a directory in /tmp named in
# DIR/home
home_of() {
  local h
  h=$(cat "$1/home" 2>/dev/null || true)
  case "$h" in
    "$1" | /tmp/willing-pg.*) echo "$h" ;;
    *) echo "$1" ;;
  esac
}

# rm -rf PATH... in the background, each renamed aside first (PATH.gone.PID, which no start
# reuses); leftovers of an earlier removal that was cut short go too. A full pg run leaves
# some 200 databases, tens of thousands of files, whose unlinking took minutes on a busy
# disk mounted with discard: pg.stop does not wait for it.
discard() {
  local p q gone=()
  for p in "$@"; do
    for q in "$p".gone.*; do
      if [ -e "$q" ]; then gone+=("$q"); fi
    done
    if [ -e "$p" ] && mv -- "$p" "$p.gone.$$"; then gone+=("$p.gone.$$"); fi
  done
  # (not `[ ] || rm &`: that backgrounds a subshell holding our stdout, which ctest waits on)
  if [ ${#gone[@]} -gt 0 ]; then
    setsid rm -rf -- "${gone[@]}" </dev/null >/dev/null 2>&1 &
  fi
}

# stops whatever server runs on H/data and removes H's data (H/server.log stays in DIR). The
# stop is immediate: the data is thrown away, and a fast stop first finishes the checkpoint
# under way and writes another, fsyncing every file of every database the tests made (more
# than a minute after a full pg run).
teardown() {
  local dir=$1 h
  h=$(home_of "$dir")
  if [ -f "$h/data/postmaster.pid" ]; then
    as_server "$BIN/pg_ctl" -D "$h/data" stop -m immediate -w -t 60 >/dev/null 2>&1 || true
    # a postmaster.pid left means a server still runs (or a stale file: its pid is gone)
    if [ -f "$h/data/postmaster.pid" ]; then
      local pid
      pid=$(head -n 1 "$h/data/postmaster.pid")
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$h/data")" ]; then
        die "the server $pid on $h/data does not stop"
      fi
    fi
  fi
  if [ "$h" != "$dir" ]; then
    [ -f "$h/server.log" ] && cp "$h/server.log" "$dir/server.log"
    discard "$h"
  fi
  discard "$dir/data"
  rm -rf "$dir/url" "$dir/home" "$dir/initdb.log"
}

# a free loopback TCP port: in WILLING_PG_PORTS (LO-HI) or the kernel's choice
pick_port() {
  python3 - "${WILLING_PG_PORTS:-}" <<'EOF'
import random, socket, sys
r = sys.argv[1]
lo, hi = (int(x) for x in r.split("-")) if r else (0, 0)
for _ in range(200):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randint(lo, hi) if r else 0))
        print(s.getsockname()[1])
        sys.exit(0)
    except OSError:
        pass
    finally:
        s.close()
sys.exit("no free port in " + r)
EOF
}

# write_conf H PORT
write_conf() {
  local h=$1 port=$2 sock=$1
  # a unix socket's path holds at most 107 bytes: past that, TCP only
  [ $((${#h} + 16)) -le 107 ] || sock=""
  cat >"$h/data/willing.conf" <<EOF
# scripts/pg-test.sh: a test server (loopback only, durable commits, replicas possible)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_senders = 10
EOF
}

start() {
  local dir h port url tries=0
  dir=$(realpath -m "$1")
  mkdir -p "$dir"
  teardown "$dir"
  ensure_user
  h=$dir
  if [ "$(id -u)" -eq 0 ]; then
    chown "$RUN_AS:" "$dir"
    if ! runuser -u "$RUN_AS" -- test -w "$dir" -a -x "$dir" 2>/dev/null; then
      h=$(mktemp -d /tmp/willing-pg.XXXXXX)
      chown "$RUN_AS:" "$h"
    fi
  fi
  echo "$h" >"$dir/home"
  if ! as_server "$BIN/initdb" -D "$h/data" -A trust -U willing --no-locale -E UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb into $h/data failed"
  fi
  echo "include 'willing.conf'" >>"$h/data/postgresql.conf"
  cat >"$h/data/pg_hba.conf" <<'EOF'
# scripts/pg-test.sh: the superuser willing, on the socket and on 127.0.0.1 only
local all         willing              trust
host  all         willing 127.0.0.1/32 trust
local replication willing              trust
host  replication willing 127.0.0.1/32 trust
EOF
  while :; do
    port=$(pick_port)
    write_conf "$h" "$port"
    : >"$h/server.log"
    [ "$(id -u)" -ne 0 ] || chown "$RUN_AS:" "$h/server.log"
    if as_server "$BIN/pg_ctl" -D "$h/data" -l "$h/server.log" -w -t 120 start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    # another program took the port between pick_port and the server's bind: another port
    if grep -q 'could not bind\|could not create any TCP/IP sockets' "$h/server.log" &&
      [ "$tries" -lt 5 ]; then
      continue
    fi
    tail -n 20 "$h/server.log" >&2
    teardown "$dir"
    die "the server did not start (its log is above)"
  done
  if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U willing -d postgres -t 60; then
    tail -n 20 "$h/server.log" >&2
    teardown "$dir"
    die "the server on 127.0.0.1:$port does not answer"
  fi
  url="postgres://willing@127.0.0.1:$port/postgres"
  echo "$url" >"$dir/url"
  echo "$url"
}

# the URL that WHERE names: DIR (DIR/url), a file holding it, or the URL itself
url_of() {
  case "$1" in
    postgres://* | postgresql://*) echo "$1" ;;
    *)
      local f=$1
      [ -d "$f" ] && f=$f/url
      [ -s "$f" ] || die "no server URL in $f (is the server started? scripts/pg-test.sh start DIR)"
      head -n 1 "$f"
      ;;
  esac
}

createdb() {
  local url name=$2
  [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "database name '$name': 1-63 of a-z 0-9 _"
  url=$(url_of "$1")
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $name" >/dev/null ||
    die "CREATE DATABASE $name on $url failed"
  echo "${url%/*}/$name"
}

find_bin
case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: pg-test.sh start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: pg-test.sh stop DIR"; teardown "$(realpath -m "$2")" ;;
  createdb) [ $# -eq 3 ] || die "usage: pg-test.sh createdb DIR|URLFILE|URL NAME"; createdb "$2" "$3" ;;
  *) die "usage: pg-test.sh start DIR | stop DIR | createdb DIR|URLFILE|URL NAME" ;;
esac
