#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Static mirrors (issue 13, point 4): `willing mirror --db` and `--from URL` write the log's
# checkpoint, tiles and entry bundles into a directory; Debian's nginx serves it with
# contrib/nginx/willing-mirror.conf (its cache and CORS headers checked) and `willing verify`
# audits the log there, tiles and root. After more entries a second run writes only what is
# new; a log that does not extend the mirror's (a fork signed by the same key), a source
# behind the mirror and a damaged mirror are refused naming both sizes, the mirror left as it
# was; a mirror killed with -9 mid-way leaves the old checkpoint valid, and the next run
# completes it; a directory it may not write gets a clear error and nothing in it.
source "$(dirname "$0")/lib.sh"
LG=$(dirname "$W")/willing-loadgen
source "$(dirname "$0")/nginx.sh"
RO=""
on_exit() {
  stop_nginx
  if [ -n "$RO" ]; then chmod -R u+w "$RO" && rm -rf "$RO"; fi || true
  cleanup
}
trap on_exit EXIT

# files DIR: each file of the mirror (dot files left out) with its modification time
files() { (cd "$1" && find . -type f ! -name '.*' -printf '%P %T@\n' | sort); }
# verify_at URL SIZE: verify audits the log at URL (state in $T/v.state), size SIZE
verify_at() {
  "$W" verify "$1" --vkey "$VKEY" --state "$T/v.state" >"$T/verify.out" 2>&1 &&
    grep -q "OK: test.example/mi at size $2: .*every tile and the root recomputed" "$T/verify.out"
}
# refused RC OUT PATTERN: a run exited 1 saying PATTERN (grep)
refused() { [ "$1" -eq 1 ] && grep -q "$3" <<<"$2"; }
# backup SRC DST: a consistent copy of ledger SRC in use, as DST (and its keys)
backup() {
  db_copy "$1" "$2"
  cp "$T/$1.db.log.key" "$T/$2.db.log.key"
  cp "$T/$1.db.operator.key" "$T/$2.db.operator.key"
}

if ! [ -x "$NGINX" ]; then
  not_ok "nginx is not installed (scripts/deps.sh --test installs it)"
  finish
fi

new_ledger mi
start_server mi
MURL=$URL
new_member us member
"$LG" --key "$T/us.key" --origin test.example/mi --port "${URL##*:}" --clients 1 --batch 300 \
  --count 600 --seq-base 1000000 >/dev/null
wait_checkpoint 602
M=$T/mirror

# ---- the first mirror, from the ledger file and from the daemon
"$W" mirror --db "$(db_of mi)" --to "$M" --json >"$T/m1.json"
check "mirror --db: a new mirror at the ledger's size, every tile and bundle of it" python3 -c "
import json; o=json.load(open('$T/m1.json'))
assert o=={'size':602,'previous_size':0,'bundles':3,'tiles':4,'files':8}, o"
check "  ... in C2SP's layout" test "$(cd "$M" && find . -type f ! -name '.*' | sort | xargs)" = \
  "./checkpoint ./tile/0/000 ./tile/0/001 ./tile/0/002.p/90 ./tile/1/000.p/2 ./tile/entries/000 ./tile/entries/001 ./tile/entries/002.p/90"
check "  ... the daemon's own checkpoint and tiles, byte for byte" sh -c "
  curl -fs '$URL/log/checkpoint' | cmp -s - '$M/checkpoint' &&
  curl -fs '$URL/log/tile/0/001' | cmp -s - '$M/tile/0/001' &&
  curl -fs '$URL/log/tile/1/000.p/2' | cmp -s - '$M/tile/1/000.p/2' &&
  curl -fs '$URL/log/tile/entries/002.p/90' | cmp -s - '$M/tile/entries/002.p/90'"
"$W" mirror --from "$URL" --vkey "$VKEY" --to "$T/m2" >"$T/m2.out"
check "mirror --from URL: the same files" diff -r -x '.*' "$M" "$T/m2"
check "  ... and says what it wrote" grep -q "at size 602 (was 0): 3 entry bundles, 4 tiles and the checkpoint, last, written; checkpoints signed by the log's key" "$T/m2.out"

# ---- the order on disk, under strace: each file synced before its rename, the directories
# synced, the checkpoint renamed last (LeakSanitizer cannot run under ptrace: off for this run
# of the ASan build, whose other runs here keep it)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=fsync,fdatasync,rename,renameat,renameat2,link -o "$T/trace" \
  "$W" mirror --db "$(db_of mi)" --to "$T/m3" >/dev/null
check "strace: every file synced before its rename, the directories before the checkpoint's, last" \
  python3 - "$T/trace" <<'EOF_PY'
import re, sys
calls = [l.split(None, 1)[1] for l in open(sys.argv[1]) if re.match(r"\d+ +(fsync|fdatasync|rename|link)", l)]
ren = [i for i, c in enumerate(calls) if c.startswith("rename")]
assert len(ren) == 8, calls
assert all(calls[i - 1].startswith("fsync") for i in ren), calls
assert calls[ren[-1]].rstrip().endswith('/checkpoint") = 0'), calls[ren[-1]]
# between the last tile's rename and the checkpoint's: the checkpoint's own fsync and the
# directories' (tile/0, tile/0/002.p, tile/1/000.p, tile/entries, tile/entries/002.p)
assert ren[-1] - ren[-2] - 1 >= 1 + 5, calls[ren[-2]:]
assert calls[-1].startswith("fsync"), calls[-1]  # the mirror's directory, after the rename
EOF_PY

# ---- nginx serves it; verify audits it there
start_nginx "$M"
check "verify audits the mirror served by nginx: checkpoint, entries, every tile, the root" \
  verify_at "$NURL" 602
hdr() { curl -fsI -H 'Origin: https://console.example' "$NURL/log/$1" | tr -d '\r'; }
check "nginx: a full tile is immutable, for a year, readable from any origin" sh -c "
  hdr() { curl -fsI -H 'Origin: https://console.example' '$NURL/log/'\$1 | tr -d '\r'; }
  hdr tile/0/000 | grep -qx 'Cache-Control: public, max-age=31536000, immutable' &&
  hdr tile/0/000 | grep -qx 'Access-Control-Allow-Origin: \*' &&
  hdr tile/entries/001 | grep -qx 'Cache-Control: public, max-age=31536000, immutable'"
check "nginx: a partial tile and bundle for a minute, the checkpoint revalidated every time" sh -c "
  hdr() { curl -fsI '$NURL/log/'\$1 | tr -d '\r'; }
  hdr tile/0/002.p/90 | grep -qx 'Cache-Control: public, max-age=60' &&
  hdr tile/entries/002.p/90 | grep -qx 'Cache-Control: public, max-age=60' &&
  hdr checkpoint | grep -qx 'Cache-Control: no-cache' &&
  hdr checkpoint | grep -qx 'Access-Control-Allow-Origin: \*' &&
  hdr checkpoint | grep -qi '^Content-Type: text/plain'"
check "nginx: the mirror's lock is not served, a tile not there yet is not cached for a year" sh -c "
  [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$NURL/log/.lock')\" = 404 ] &&
  ! curl -sI '$NURL/log/tile/0/009' | grep -qi 'immutable'"

# a fork: the ledger copied at 602, then other entries signed by the same keys; and a copy behind
backup mi fork
backup mi old

# ---- more entries: only what is new is written
"$LG" --key "$T/us.key" --origin test.example/mi --port "${URL##*:}" --clients 1 --batch 300 \
  --count 300 --seq-base 2000000 >/dev/null
wait_checkpoint 902
files "$M" >"$T/before"
"$W" mirror --db "$(db_of mi)" --to "$M" --json >"$T/m3.json"
files "$M" >"$T/after"
check "a second run: only the new bundles and tiles" python3 -c "
import json; o=json.load(open('$T/m3.json'))
assert o=={'size':902,'previous_size':602,'bundles':2,'tiles':3,'files':6}, o"
check "  ... every file from before unchanged but the checkpoint, five new" sh -c "
  [ \"\$(comm -23 '$T/before' '$T/after' | cut -d' ' -f1 | xargs)\" = checkpoint ] &&
  [ \"\$(comm -13 '$T/before' '$T/after' | cut -d' ' -f1 | xargs)\" = \
    'checkpoint tile/0/002 tile/0/003.p/134 tile/1/000.p/3 tile/entries/002 tile/entries/003.p/134' ]"
check "verify audits it again at 902, consistent with the 602 it saw" sh -c "
  $(declare -f verify_at); W='$W' VKEY='$VKEY' T='$T' verify_at '$NURL' 902 &&
  grep -q 'consistent with size 602 seen before' '$T/verify.out'"
"$W" mirror --db "$(db_of mi)" --to "$M" --json >"$T/m4.json"
files "$M" >"$T/again"
check "a run with nothing new writes nothing" sh -c "
  grep -q '\"files\":0' '$T/m4.json' && cmp -s '$T/after' '$T/again'"
"$W" mirror --from "$NURL" --vkey "$VKEY" --to "$T/m2" >/dev/null
check "a mirror of the mirror (--from nginx) grows from 602 to the same files" \
  diff -r -x '.*' "$M" "$T/m2"

# ---- refusals: the mirror left as it was
cp "$M/checkpoint" "$T/cp902"
start_server fork
"$LG" --key "$T/us.key" --origin test.example/mi --port "${URL##*:}" --clients 1 --batch 200 \
  --count 400 --seq-base 9000000 >/dev/null
wait_checkpoint 1002
files "$M" >"$T/before"
out=$("$W" mirror --from "$URL" --vkey "$VKEY" --to "$M" 2>&1) && rc=0 || rc=$?
check "a fork signed by the log's key (1002 entries) is refused, naming both sizes" \
  refused "$rc" "$out" "inconsistent: .*size 1002 does not extend DIR's at size 902"
check "  ... the mirror as it was" cmp -s "$T/before" <(files "$M")
out=$("$W" mirror --db "$(db_of old)" --to "$M" 2>&1) && rc=0 || rc=$?
check "a source behind the mirror is refused, naming both sizes" \
  refused "$rc" "$out" "checkpoint is at size 602, behind DIR's at size 902: not mirrored"
cp -r "$M" "$T/damaged"
printf 'x' | dd of="$T/damaged/tile/0/003.p/134" bs=1 seek=100 conv=notrunc 2>/dev/null
out=$("$W" mirror --db "$(db_of mi)" --to "$T/damaged" 2>&1) && rc=0 || rc=$?
check "a mirror whose tiles do not give its checkpoint's root is refused" \
  refused "$rc" "$out" "DIR is damaged: its tiles give another root; its checkpoint at size 902"
check "verify still passes at 902" verify_at "$NURL" 902

# ---- a crash mid-way: kill -9 after two files of the next run
kill -TERM "$SERVER_PID" # the fork's
wait "$SERVER_PID" 2>/dev/null || true
URL=$MURL
"$LG" --key "$T/us.key" --origin test.example/mi --port "${URL##*:}" --clients 1 --batch 300 \
  --count 300 --seq-base 3000000 >/dev/null
wait_checkpoint 1202
WL_TEST_MIRROR_STOP_AFTER=2 "$W" mirror --db "$(db_of mi)" --to "$M" 2>"$T/crash.err" &
CRASH=$!
PIDS+=("$CRASH")
wait_for "the mirror to stop at its test fault" grep -q 'stopped after 2 files' "$T/crash.err"
kill -9 "$CRASH"
wait "$CRASH" 2>/dev/null || true
check "a run killed with -9 after two files leaves the checkpoint of 902" cmp -s "$T/cp902" "$M/checkpoint"
check "  ... with new files beyond it that no checkpoint names yet" \
  test -f "$M/tile/0/003" -a -f "$M/tile/entries/003"
check "  ... and verify passes at 902" verify_at "$NURL" 902
"$W" mirror --db "$(db_of mi)" --to "$M" --json >"$T/m5.json"
check "the next run completes it at 1202" grep -q '"size":1202,"previous_size":902' "$T/m5.json"
check "  ... and verify passes at 1202, consistent with 902" sh -c "
  $(declare -f verify_at); W='$W' VKEY='$VKEY' T='$T' verify_at '$NURL' 1202 &&
  grep -q 'consistent with size 902 seen before' '$T/verify.out'"
check "  ... its tiles are the daemon's" sh -c "
  curl -fs '$URL/log/tile/0/003' | cmp -s - '$M/tile/0/003' &&
  curl -fs '$URL/log/tile/1/000.p/4' | cmp -s - '$M/tile/1/000.p/4'"

# ---- a directory it may not write: as this user when it is not root; as nobody when it is
# (root writes anywhere), with a copy of the binary nobody may run
RO=$(mktemp -d /tmp/willing-ro.XXXXXX)
chmod 755 "$RO"
WRO=$W
AS=()
if [ "$(id -u)" -eq 0 ]; then
  cp "$W" "$RO/willing"
  WRO=$RO/willing
  AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
mkdir "$RO/ro" "$RO/was"
"$W" mirror --from "$URL" --to "$RO/was" >/dev/null
files "$RO/was" >"$T/was"
chmod 555 "$RO/ro" "$RO/was"
out=$("${AS[@]}" "$WRO" mirror --from "$URL" --to "$RO/ro" 2>&1) && rc=0 || rc=$?
check "a directory not writable: exit 1, one clear line, nothing written in it" sh -c "
  [ $rc -eq 1 ] && [ '$out' = 'mirror: $RO/ro is not writable: Permission denied' ] &&
  [ -z \"\$(ls -A '$RO/ro')\" ]"
out=$("${AS[@]}" "$WRO" mirror --from "$URL" --to "$RO/ro/sub" 2>&1) && rc=0 || rc=$?
check "a directory that cannot be made: exit 1, a clear line" sh -c "
  [ $rc -eq 1 ] && [ '$out' = 'mirror: cannot make $RO/ro/sub: Permission denied' ]"
"$LG" --key "$T/us.key" --origin test.example/mi --port "${URL##*:}" --clients 1 --batch 10 \
  --count 10 --seq-base 4000000 >/dev/null
wait_checkpoint 1212
out=$("${AS[@]}" "$WRO" mirror --from "$URL" --to "$RO/was" 2>&1) && rc=0 || rc=$?
check "a mirror made read-only since: exit 1, not writable" \
  refused "$rc" "$out" "^mirror: $RO/was is not writable: Permission denied$"
check "  ... its files as they were" cmp -s "$T/was" <(files "$RO/was")

# ---- the docs' snippet is the file the test served
check "docs/OPERATIONS.md shows contrib/nginx/willing-mirror.conf as it is" cmp -s \
  <(sed -n '/^location \/log\/ {/,/^}/p' "$SRC/contrib/nginx/willing-mirror.conf") \
  <(sed -n '/^```nginx/,/^```$/p' "$SRC/docs/OPERATIONS.md" | sed '1d;$d')

# ---- usage
check "mirror --help says what it does" sh -c "'$W' mirror --help | grep -q 'incremental\|Incremental'"
check "willing --help lists mirror" sh -c "'$W' --help | grep -q '^  mirror '"
"$W" mirror --to "$T/x" >/dev/null 2>&1 && rc=0 || rc=$?
check "mirror without --from or --db: usage, exit 2" [ "$rc" -eq 2 ]
stop_nginx
finish
