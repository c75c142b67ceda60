#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# willing migrate (issue 13, point 3): the demo ledger (every module's kinds: members, sealed
# pledges, requirements, facts, flows and instruments, the deal and its zones, monitors'
# reports, UCDP's history, sanctions) copied SQLite -> SQLite, and, when WILLING_TEST_PG
# names a PostgreSQL server (ctest's pg.integration.test_migrate), SQLite -> PostgreSQL ->
# SQLite. Each copy passes fsck, and its mirror (willing mirror --db: the checkpoint, every
# tile, every entry bundle) is byte for byte the source's; a serve on the last copy answers
# the source's checkpoint. A DST that exists or holds a ledger is refused and left as it
# was; a copy that fails leaves nothing behind; one killed -9 leaves a partial copy that the
# next migrate names, with how to clear it.
source "$(dirname "$0")/lib.sh"

SRC_DB=$T/demo/w.db
mkdir -p "$T/demo"
"$SRC/scripts/demo.sh" "$W" "$SRC_DB" >"$T/demo.log" 2>&1
keys() { cp "$SRC_DB.log.key" "$1.log.key"; cp "$SRC_DB.operator.key" "$1.operator.key"; }
# mirror_of DB NAME: the log's static mirror from DB into $T/NAME.mirror
mirror_of() { "$W" mirror --db "$1" --to "$T/$2.mirror" >/dev/null; }
same_log() { diff -r "$T/source.mirror" "$T/$1.mirror" >/dev/null; }
# killed_copy DST: a migrate into DST killed -9 as soon as DST holds entries (polled every
# millisecond: a copy takes some 300 ms); prints "killed", or "ended" if it finished first
killed_copy() {
  python3 - "$W" "$SRC_DB" "$1" <<'PY'
import os, signal, subprocess, sys, time, wldb
w, src, dst = sys.argv[1:4]
p = subprocess.Popen([w, "migrate", "--from", src, "--to", dst, "--quiet"], stderr=subprocess.DEVNULL)
while p.poll() is None:
    n = 0
    if dst.startswith("postgres") or os.path.exists(dst):
        try:
            d = wldb.connect(dst)
            n = list(d.execute("SELECT count(*) FROM entries"))[0][0]
            d.close()
        except Exception:
            pass
    if n > 0:
        p.send_signal(signal.SIGKILL)
        p.wait()
        print("killed")
        sys.exit(0)
    time.sleep(0.001)
print("ended")
PY
}
# partial DST: a copy killed -9 leaves DST partial; the next migrate says so and how to clear
# it, and once cleared as it says, goes through
partial() {
  local how out r
  how=$(killed_copy "$1")
  check "a migrate into $2 killed -9 mid-copy ($how)" [ "$how" = killed ]
  out=$("$W" migrate --from "$SRC_DB" --to "$1" 2>&1) && r=0 || r=$?
  check "  ... the next migrate into it is refused (exit $r)" [ "$r" = 1 ]
  check "  ... saying it holds a partial copy, and how to clear it ($out)" \
    grep -q 'holds a partial copy of a ledger.*Clear it, then migrate again: ' <<<"$out"
  eval "$(sed -n 's/.*Clear it, then migrate again: //p' <<<"$out")" >/dev/null
  check "  ... cleared as it says, the migrate goes through" \
    "$W" migrate --from "$SRC_DB" --to "$1" --quiet
}

check "the demo ledger is sound" "$W" fsck --db "$SRC_DB"
mirror_of "$SRC_DB" source
check "the source's mirror has tiles and entry bundles" \
  test -s "$T/source.mirror/checkpoint" -a -d "$T/source.mirror/tile/entries"

# SQLite -> SQLite
check "migrate SQLite to a new SQLite file" "$W" migrate --from "$SRC_DB" --to "$T/a.db" --quiet
check "  ... which fsck passes" "$W" fsck --db "$T/a.db"
mirror_of "$T/a.db" a
check "  ... the same checkpoint, tiles and entries" same_log a
check "  ... the final line names rows, tables and seconds" sh -c \
  "'$W' migrate --from '$SRC_DB' --to '$T/a2.db' | grep -q 'rows of [0-9]* tables .* in [0-9.]* s'"

partial "$T/k.db" "an SQLite file"

# refusals: nothing written, DST as it was
cp "$T/a.db" "$T/before.db"
"$W" migrate --from "$SRC_DB" --to "$T/a.db" 2>"$T/err" && r=0 || r=$?
check "an existing file is refused (exit 1)" test "$r" -eq 1
check "  ... saying so" grep -q 'exists' "$T/err"
check "  ... and left as it was" cmp -s "$T/a.db" "$T/before.db"
"$W" migrate --from "$T/none.db" --to "$T/x.db" 2>/dev/null && r=0 || r=$?
check "a missing source is refused (exit 1), nothing made" test "$r" -eq 1 -a ! -e "$T/x.db"
"$W" migrate --from "$SRC_DB" 2>/dev/null && r=0 || r=$?
check "no --to: usage (exit 2)" test "$r" -eq 2
check "--help says where the password comes from" sh -c "'$W' migrate --help | grep -q PGPASSFILE"
check "willing --help lists migrate" sh -c "'$W' --help | grep -q '^  migrate '"
# a copy that fails (the target's directory is read-only) leaves no file behind
mkdir "$T/ro"
chmod 0555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
  "$W" migrate --from "$SRC_DB" --to "$T/ro/c.db" 2>/dev/null && r=0 || r=$?
  check "a target that cannot be written: exit 1, nothing left" test "$r" -eq 1 -a ! -e "$T/ro/c.db"
fi

LAST=$T/a.db
if [ -n "${WILLING_TEST_PG:-}" ]; then
  # SQLite -> PostgreSQL -> SQLite
  PG=$(wl_db_target pg)
  check "migrate SQLite to PostgreSQL" "$W" migrate --from "$SRC_DB" --to "$PG" --quiet
  check "  ... which fsck passes" "$W" fsck --db "$PG"
  mirror_of "$PG" pg
  check "  ... the same checkpoint, tiles and entries" same_log pg
  "$W" migrate --from "$SRC_DB" --to "$PG" 2>"$T/err" && r=0 || r=$?
  check "a database that holds a ledger is refused (exit 1)" test "$r" -eq 1
  check "  ... saying so" grep -q 'holds a willing ledger' "$T/err"
  check "  ... and left as it was" "$W" fsck --db "$PG"
  # a failure mid-copy: SIGTERM once the copy has begun; the tables it made are dropped
  PG2=$(wl_db_target pg2)
  "$W" migrate --from "$SRC_DB" --to "$PG2" --quiet 2>"$T/err2" &
  MP=$!
  wait_for "the copy into pg2 to begin" python3 -c 'import wldb,sys
d=wldb.connect(sys.argv[1]); d.execute("SELECT 1 FROM entries LIMIT 1")' "$PG2" 2>/dev/null || true
  kill -TERM "$MP" 2>/dev/null || true
  wait "$MP" && r=0 || r=$?
  if [ "$r" -ne 0 ]; then
    check "an interrupted copy says it left the database as it was" grep -q 'left as it was found' "$T/err2"
    check "  ... and dropped the tables it made" python3 -c 'import wldb,sys
d=wldb.connect(sys.argv[1])
n=list(d.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"))[0][0]
assert n == 0, n' "$PG2"
  fi
  partial "$(wl_db_target pg3)" "a PostgreSQL database"
  check "migrate PostgreSQL back to SQLite" "$W" migrate --from "$PG" --to "$T/b.db" --quiet
  check "  ... which fsck passes" "$W" fsck --db "$T/b.db"
  mirror_of "$T/b.db" b
  check "  ... the same checkpoint, tiles and entries" same_log b
  LAST=$PG
fi

# a serve on the last copy answers the source's checkpoint (its root, its size)
keys "$T/last"
"$W" serve --db "$LAST" --log-key "$T/last.log.key" --operator-key "$T/last.operator.key" \
  --listen 127.0.0.1:"$(free_port)" --seal-interval 0 2>"$T/last.log" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_serving last 0
URL=$(awk '/^willing: serving/ {print $NF; exit}' "$T/last.log")
served_root() { curl -fs "$URL/log/checkpoint" | sed -n 3p; }
check "serve on the copy answers the source's checkpoint root" \
  test "$(served_root)" = "$(sed -n 3p "$T/source.mirror/checkpoint")"
finish
