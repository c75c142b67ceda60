#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `willing verify` on threads and from a kept audit (issue 13 point 6): one thread and two
# give the same verdict on a good log, and both refuse an entry whose signature was forged
# in a log whose tree and checkpoint are sound (a static copy, signed again with the log's
# key), the threaded run having checked signatures ahead; --state keeps the audit, and a
# later run fetches and replays only the new entries; a state file of another log, a
# forked log and a rolled back one are refused, with both checkpoints named.
source "$(dirname "$0")/lib.sh"
LG=$(dirname "$W")/willing-loadgen
# field values of a JSON verdict, space-separated
vj() { python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print(" ".join(str(o.get(k)) for k in sys.argv[2:]))' "$@"; }
load() { "$LG" --key "$T/m.key" --origin test.example/ver --port "${URL##*:}" --clients 2 --batch 100 "$@" >/dev/null; }
copy_ledger() { db_copy ver "$1"; for x in .log.key .operator.key; do cp "$T/ver.db$x" "$T/$1.db$x"; done; }
stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
# refused DESC TEXT REGEX: verify --state $T/audit fails, its message holding TEXT, matching REGEX
refused() {
  local out
  out=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" 2>&1 || true)
  check "$1 ($out)" python3 -c 'import re,sys; o=sys.argv[1]; assert sys.argv[2] in o, o; assert re.search(sys.argv[3], o), o' "$out" "$2" "$3"
}

new_ledger ver
start_server ver
"$W" keygen --out "$T/m.key" --member m >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id m --name M --role member --pubkey-file "$T/m.key" >/dev/null
load --count 700 --seq-base 1000000000000000
wait_checkpoint 702

# 1. one thread and two: the same verdict; the second checked each signature ahead but
# those of the first bundle (256 entries, replayed before any key was known to the threads)
o1=$(XDG_STATE_HOME=$T/x1 "$W" verify "$URL" --vkey "$VKEY" --threads 1 --json)
o2=$(XDG_STATE_HOME=$T/x2 "$W" verify "$URL" --vkey "$VKEY" --threads 2 --json)
check "one thread: OK, 702 entries fetched and replayed ($(vj "$o1" verdict size fetched replayed))" \
  [ "$(vj "$o1" verdict size fetched replayed checked_ahead)" = "OK 702 702 702 0" ]
check "two threads: the same verdict, 446 signatures checked ahead ($(vj "$o2" checked_ahead))" \
  [ "$(vj "$o2" verdict size fetched replayed checked_ahead)" = "OK 702 702 702 446" ]
check "--threads 0 is refused" sh -c "! '$W' verify '$URL' --vkey '$VKEY' --threads 0 2>/dev/null"

# 2. static copies of the log: as it is, and with entry 600's signature forged (every tile,
# the root and the checkpoint's signature sound)
python3 "$SRC/tests/integration/forge_log.py" "$URL" "$T/ver.db.log.key" "$T/www/good" -1 >/dev/null
python3 "$SRC/tests/integration/forge_log.py" "$URL" "$T/ver.db.log.key" "$T/www/forged" 600 >/dev/null
sport=$(free_port)
python3 -m http.server --bind 127.0.0.1 "$sport" --directory "$T/www" >"$T/http.out" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$sport/good/log/checkpoint"
for n in 1 2; do
  out=$(XDG_STATE_HOME=$T/g$n "$W" verify "http://127.0.0.1:$sport/good" --vkey "$VKEY" --threads $n 2>&1)
  check "threads $n: the static copy verifies" grep -q "OK: test.example/ver at size 702" <<<"$out"
  out=$(XDG_STATE_HOME=$T/f$n "$W" verify "http://127.0.0.1:$sport/forged" --vkey "$VKEY" --threads $n 2>&1 || true)
  check "threads $n: the forged signature of entry 600 is refused ($out)" \
    grep -q "FAIL (entry): entry 600: the signature does not verify" <<<"$out"
done

# 3. a kept audit, gone on from: only the new entries fetched and replayed
r1=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" --json)
check "the first audit with --state replays every entry" [ "$(vj "$r1" verdict replayed resumed_from)" = "OK 702 0" ]
check "it keeps the state and the replayed store, not writable by others" \
  sh -c "[ -f '$T/audit' ] && [ -f '$T/audit.replay' ] && [ -z \"\$(find '$T/audit' -perm -o+w)\" ] && [ ! -e '$T/audit.tmp' ]"
stop_server; copy_ledger old; start_server ver
load --count 300 --seq-base 2000000000000000
wait_checkpoint 1002
r2=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" --json --threads 2)
# bundle 2 (entries 512 to 767) is fetched again, its first 190 entries compared with the tree
check "the second goes on from 702: 300 replayed, 490 fetched ($(vj "$r2" resumed_from replayed fetched))" \
  [ "$(vj "$r2" verdict resumed_from replayed fetched)" = "OK 702 300 490" ]
stop_server; copy_ledger fork; start_server ver
load --count 100 --seq-base 3000000000000000
wait_checkpoint 1102
out=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" --threads 1)
check "and on one thread from 1002: 100 replayed ($out)" grep -q "100 replayed with their signatures (resumed from size 1002)" <<<"$out"
r3=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" --json)
check "nothing new: nothing fetched" [ "$(vj "$r3" verdict resumed_from replayed fetched)" = "OK 1102 0 0" ]
r4=$("$W" verify "$URL" --vkey "$VKEY" --state "$T/audit" --full --json)
check "--full replays every entry again" [ "$(vj "$r4" verdict resumed_from replayed)" = "OK 0 1102" ]
stop_server

# 4. refused: a fork (the copy at 1002, grown otherwise past 1102), a rollback (the copy at 702),
# another log's state; each names both checkpoints, and the state is left as it was
saved=$(sha256sum <"$T/audit")
start_server fork
load --count 200 --seq-base 4000000000000000
wait_checkpoint 1202
refused "a fork is refused as a split view, both checkpoints named" \
  "FAIL (consistency): a split view" \
  "test.example/ver, size 1102, root \S+, kept in .*audit\).*test.example/ver, size 1202, root \S+"
stop_server
start_server old
refused "a rollback is refused, both checkpoints named" \
  "FAIL (consistency): the log shrank (rolled back)" \
  "size 1102, root \S+ \(kept in .*\); the log now serves test.example/ver, size 702, root"
stop_server
new_ledger other
start_server other
refused "a state file of another log is refused, both checkpoints named" \
  "the state of another log" "FAIL \(state\).*test.example/ver, size 1102, root \S+.*test.example/other, size 1, root"
check "the state file is left as it was" [ "$(sha256sum <"$T/audit")" = "$saved" ]
stop_server
finish
