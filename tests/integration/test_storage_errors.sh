#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Errors that tell the truth (issue 14, point 4): a full disk is reported as
# a full disk (not "cannot rollback - no transaction is active"), to the
# client and in the publisher's log (not "not an error"), and the server
# recovers once there is room; `serve` refuses a database it cannot write,
# saying so, instead of starting and answering 500. Needs root (a small
# tmpfs, chattr +i); says so and skips what it cannot do otherwise.
source "$(dirname "$0")/lib.sh"

MNT=$T/small
undo() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && { kill -9 "$p" && wait "$p"; } 2>/dev/null || true
  done
  chattr -i "$T/ro.db" 2>/dev/null || true
  mountpoint -q "$MNT" && umount "$MNT"
  cleanup
}
trap undo EXIT

# a database it cannot write: serve says so and does not start
new_ledger ro
if chattr +i "$T/ro.db" 2>/dev/null; then
  rc=0
  timeout 20 "$W" serve --db "$T/ro.db" --listen 127.0.0.1:"$(free_port)" 2>"$T/ro.err" || rc=$?
  check "serve refuses a database it cannot write (exit 1, not a running server)" [ "$rc" = 1 ]
  check "  ... and says why" grep -q 'cannot be written (opened read-only' "$T/ro.err"
  chattr -i "$T/ro.db"
else
  echo "# skipped: chattr +i is not available here (needs root and a file system with it)"
fi

# a full disk
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=3m tmpfs "$MNT" 2>/dev/null; then
  echo "# skipped: cannot mount a small tmpfs (needs root)"
  finish
  exit $?
fi
out=$("$W" init --db "$MNT/full.db" --origin test.example/full)
start_server_at() { # INTERVAL_MS: the ledger lives on the small file system
  local port
  port=$(free_port)
  URL=http://127.0.0.1:$port
  "$W" serve --db "$MNT/full.db" --listen 127.0.0.1:$port --interval "$1" --seal-interval 0 \
    2>>"$T/full.log" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_http "$URL/log/checkpoint"
}
# the publisher signs at start, then not for ten minutes: only when it stops
start_server_at 600000
OPKEY=$MNT/full.db.operator.key new_member us member
app() { "$W" append --server "$URL" --key "$T/us.key" --kind statement --body "$1" 2>&1; }
big=$(python3 -c 'print("{\"text\":\"" + "a" * 3000 + "\"}")')
out=$(app '{"text":"before the disk fills"}')
check "an append before the disk fills is stored (not yet published)" grep -q '^index' <<<"$out"

fill() { dd if=/dev/zero of="$MNT/fill" bs=4k >/dev/null 2>&1 || true; }
fill
out=$(app "$big" || true)
check "an append on a full disk says the disk is full, and that nothing was stored" \
  grep -q 'disk is full.*nothing stored' <<<"$out"
check "  ... not 'cannot rollback'" sh -c "! grep -q 'cannot rollback' <<'X'
$out
X"
# stopping, the publisher signs the entry's checkpoint, and cannot store it
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "the publisher logs the real error of a full disk" \
  grep -q 'publishing a checkpoint failed: .*disk is full' "$T/full.log"
check "  ... never 'not an error'" sh -c "! grep -q 'not an error' '$T/full.log'"

rm -f "$MNT/fill"
start_server_at 100
out=$(app '{"text":"after room was made"}')
check "once there is room again, appends are stored" grep -q '^index' <<<"$out"
idx=$(awk '/^index/ {print $2}' <<<"$out")
wait_checkpoint $((idx + 1))
check "  ... and published" [ "$(curl -fs "$URL/log/checkpoint" | sed -n 2p)" -ge $((idx + 1)) ]
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
check "fsck: the ledger is sound after the full disk" "$W" fsck --db "$MNT/full.db"

# a full disk at start (the ledger closed cleanly, its WAL gone): serve refuses, naming it
fill
rc=0
timeout 20 "$W" serve --db "$MNT/full.db" --listen 127.0.0.1:"$(free_port)" 2>"$T/start.err" || rc=$?
check "serve refuses to start on a full disk, naming it" \
  sh -c "[ $rc = 1 ] && grep -q 'cannot be .*\\(disk is full\\|no space left\\)' '$T/start.err'"
finish
