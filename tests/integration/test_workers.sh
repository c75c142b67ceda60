#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# No worker thread waits on the disk or on a long computation: with one
# worker (--threads 1) and a disk made slow on purpose (WL_TEST_FSYNC_DELAY_MS,
# a fault-injection hook, docs/internals/daemon.md), a plain read is answered
# while signed requests and a sign-in wait for their commit; with coverage
# builds made slow (WL_TEST_BUILD_DELAY_MS), while a member's coverage view is
# being built. Each assertion is about order (the read is answered while the
# others are still pending), never about time.
source "$(dirname "$0")/lib.sh"

new_ledger w
start_server w
"$W" keygen --out "$T/uk.key" --member uk >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name "United Kingdom" --role member \
  --pubkey-file "$T/uk.key" >/dev/null
pk=$("$W" keygen --out "$T/ukl.key" --member uk --scope login | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/uk.key" --kind key.add \
  --body "{\"member\":\"uk\",\"key\":\"$pk\",\"scope\":\"login\"}" >/dev/null
N=3
for i in $(seq 1 $N); do "$W" whoami --server "$URL" --key "$T/uk.key" --print-headers >"$T/h$i"; done

# poll CMD...: until CMD succeeds (20 s at most); not lib.sh's wait_for, which start_server uses
poll() {
  for _ in $(seq 1 400); do
    if "$@"; then return 0; fi
    sleep 0.05
  done
  return 1
}
# pending FILE...: how many of the answers (curl's status, written when it ends) are not in yet
pending() { local n=0 f; for f in "$@"; do [ -s "$f" ] || n=$((n + 1)); done; echo $n; }

kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
WL_TEST_FSYNC_DELAY_MS=3000 PORT=${URL##*:} start_server w --threads 1

# a sign-in: its challenge and signed text (nothing durable yet)
curl -s -o "$T/ch.json" -X POST "$URL/api/v1/login/challenge" -H 'Content-Type: application/json' \
  -d '{"member":"uk"}'
python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["text"])' "$T/ch.json" >"$T/ch.text"
sig=$(openssl pkeyutl -sign -inkey "$T/ukl.key" -rawin -in "$T/ch.text" | base64 -w0)
ch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["challenge"])' "$T/ch.json")

before=$(grep -c "test fault (WL_TEST_FSYNC_DELAY_MS)" "$T/w.log" || true)
waits=()
for i in $(seq 1 $N); do
  curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/whoami" -H "$(sed -n 1p "$T/h$i")" \
    -H "$(sed -n 2p "$T/h$i")" >"$T/s$i.code" &
  waits+=($!)
done
curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/login" -H 'Content-Type: application/json' \
  -d "{\"member\":\"uk\",\"challenge\":\"$ch\",\"signature\":\"$sig\"}" >"$T/login.code" &
waits+=($!)
check "the signed requests reach the slow commit" poll sh -c "[ \$(grep -c 'test fault (WL_TEST_FSYNC_DELAY_MS)' '$T/w.log') -gt $before ]"
st=$(status GET /log/checkpoint)
left=$(pending "$T"/s*.code "$T/login.code")
check "a plain read is answered while they wait for their commit" [ "$st" = 200 ]
check "none of the $N signed requests and the sign-in was answered before it ($left pending)" [ "$left" = $((N + 1)) ]
wait "${waits[@]}"
check "then each signed request is answered 200" [ "$(cat "$T"/s*.code)" = "$(printf '200%.0s' $(seq 1 $N))" ]
check "and the sign-in 200" [ "$(cat "$T/login.code")" = 200 ]

# a member's coverage view is built on the builder thread, not on the worker
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
WL_TEST_BUILD_DELAY_MS=3000 PORT=${URL##*:} start_server w --threads 1
check "the public coverage (once its view is built)" [ "$(status GET /api/v1/coverage)" = 200 ]
before=$(grep -c "test fault (WL_TEST_BUILD_DELAY_MS): building a member's" "$T/w.log" || true)
"$W" fetch --key "$T/uk.key" "$URL/api/v1/coverage?view=member" >"$T/cov.out" &
cov=$!
check "the member's view is being built" poll sh -c "[ \$(grep -c \"test fault (WL_TEST_BUILD_DELAY_MS): building a member's\" '$T/w.log') -gt $before ]"
st=$(status GET /log/checkpoint)
left=$(pending "$T/cov.out")
check "a plain read is answered while it is built" [ "$st" = 200 ]
check "before the member's view ($left pending)" [ "$left" = 1 ]
wait "$cov"
check "then the member's view is answered" grep -q '"view":"member"' "$T/cov.out"

finish
