#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A quorum of witnesses (issue 13, point 5). The log has four: two good, one
# slow (a real `willing witness` paused with SIGSTOP: it never answers) and one
# wrong (a stub answering a cosignature that does not verify). Each checkpoint
# is published within the deadline with the good cosignatures, each failing
# witness is logged once, and a paused witness that comes back is asked again.
# verify and prove --check require K of N (--quorum) and name the keys found
# and missing. A split view (a copy of the log that went its own way, served
# with the same key) is refused by a witness, which reports both checkpoints,
# and by verify, which reports both in full.
source "$(dirname "$0")/lib.sh"

new_ledger q
wvk=()
wurl=()
for i in 1 2 3; do
  start_witness "w$i"
  wvk+=("$WVK")
  wurl+=("$WURL")
done
W3PID=${PIDS[-1]}
kill -STOP "$W3PID" # the slow one: connections open, no answer ever
# the wrong one: a real witness's key (its name and key ID), a stub's bad signature
start_witness w4
{ kill -9 "${PIDS[-1]}" && wait "${PIDS[-1]}"; } 2>/dev/null || true
wvk+=("$WVK")
w4port=$(free_port)
python3 - "$WVK" "$w4port" 2>"$T/w4stub.log" <<'PY' &
import base64, http.server, os, sys, time
name, keyid = sys.argv[1].split("+")[0], bytes.fromhex(sys.argv[1].split("+")[1])
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        sig = keyid + int(time.time()).to_bytes(8, "big") + os.urandom(64)
        body = ("\u2014 %s %s\n" % (name, base64.b64encode(sig).decode())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
PY
PIDS+=($!)
wurl+=("http://127.0.0.1:$w4port")
wait_for "the wrong witness's stub" curl -fs -o /dev/null -X POST --data x "${wurl[3]}/add-checkpoint"

wargs=()
for i in 0 1 2 3; do wargs+=(--witness "${wurl[$i]}+${wvk[$i]}"); done
start_server q "${wargs[@]}" --witness-timeout 400
new_member uk member

# cosigned_by N K: the published checkpoint covers N and carries K cosignatures
cosigned_by() {
  local cp
  cp=$(curl -fs "$URL/log/checkpoint") || return 1
  [ "$(sed -n 2p <<<"$cp")" -ge "$1" ] && [ "$(grep -c '^— witness.example/w' <<<"$cp")" = "$2" ]
}
for i in 1 2 3; do
  t0=$(date +%s%N)
  idx=$("$W" append --server "$URL" --key "$T/uk.key" --kind statement --body "{\"text\":\"s$i\"}" |
    awk '/^index/ {print $2}')
  wait_checkpoint $((idx + 1))
  ms=$((($(date +%s%N) - t0) / 1000000))
  # the paused witness alone would hold it 3 s or more if the witnesses were asked in turn
  check "entry $idx is in a checkpoint within the deadline (${ms} ms: interval 100 + witnesses 400)" \
    [ "$ms" -lt 2500 ]
done
SIZE=$((idx + 1))
wait_for "the checkpoint of size $SIZE with the two good cosignatures" cosigned_by "$SIZE" 2
curl -s "$URL/log/checkpoint" >"$T/cp"
check "  ... from w1 and w2, not the paused w3 nor the wrong w4" sh -c \
  "grep -q '^— witness.example/w1 ' '$T/cp' && grep -q '^— witness.example/w2 ' '$T/cp' &&
   ! grep -q '^— witness.example/w[34] ' '$T/cp'"
check "the paused witness is logged once, not every round" \
  [ "$(grep -c "witness ${wurl[2]}: no answer within 400 ms" "$T/q.log")" = 1 ]
check "the wrong witness is logged once, not every round" \
  [ "$(grep -c "witness ${wurl[3]}: its answer is not a valid cosignature" "$T/q.log")" = 1 ]

# verify: K of N
vfy() { "$W" verify "$URL" --vkey "$VKEY" --state "$T/vstate" "$@"; }
out=$(vfy --witness "${wvk[0]}" --witness "${wvk[1]}" --witness "${wvk[2]}" --quorum 2)
check "verify --quorum 2 of w1 w2 w3 passes with the two good cosignatures" \
  grep -q 'cosigned by witness.example/w1 at [0-9]*, cosigned by witness.example/w2 at [0-9]*;' <<<"$out"
out=$(vfy --witness "${wvk[0]}" --witness "${wvk[1]}" --witness "${wvk[2]}" --quorum 2 --json)
check "verify --json names the quorum: 2 of the 3 witnesses given cosigned, 2 required" \
  grep -q '"quorum":{"required":2,"witnesses":3,"cosigned":2}' <<<"$out"
check "verify --quorum 2 of all four passes (the wrong cosignature was never published)" sh -c \
  "'$W' verify '$URL' --vkey '$VKEY' --state '$T/vstate' --witness '${wvk[0]}' --witness '${wvk[1]}' \
     --witness '${wvk[2]}' --witness '${wvk[3]}' --quorum 2 >/dev/null"
if vfy --witness "${wvk[0]}" --witness "${wvk[1]}" --witness "${wvk[2]}" --quorum 3 >/dev/null 2>"$T/err"; then
  not_ok "verify --quorum 3 fails with two valid cosignatures"
else
  check "verify --quorum 3 fails, naming how many valid of how many and which keys" grep -q \
    'FAIL (cosignature): 2 valid cosignatures of the 3 witnesses given, 3 required; valid: witness.example/w1, witness.example/w2; none valid from: witness.example/w3' \
    "$T/err"
fi
check "verify without --quorum wants every witness given" sh -c \
  "! '$W' verify '$URL' --vkey '$VKEY' --state '$T/vstate' --witness '${wvk[0]}' --witness '${wvk[2]}' 2>/dev/null"
check "verify --quorum above the witnesses given is a usage error (2)" sh -c \
  "'$W' verify '$URL' --vkey '$VKEY' --witness '${wvk[0]}' --quorum 2 2>/dev/null; [ \$? = 2 ]"

# prove --check: K of N, offline
"$W" get --server "$URL" "$idx" --raw >"$T/e"
"$W" prove --server "$URL" "$idx" >"$T/e.tlog-proof"
pc() { "$W" prove --check "$T/e.tlog-proof" --vkey "$VKEY" --witness "${wvk[0]}" \
  --witness "${wvk[1]}" --witness "${wvk[2]}" "$@" "$T/e"; }
out=$(pc --quorum 2)
check "prove --check --quorum 2 passes with the two good cosignatures" grep -q \
  "^OK: the entry is at index $idx of test.example/q, cosigned by witness.example/w1 at [0-9]*, cosigned by witness.example/w2 at [0-9]*$" \
  <<<"$out"
if pc --quorum 3 >/dev/null 2>"$T/err"; then
  not_ok "prove --check --quorum 3 fails with two valid cosignatures"
else
  check "prove --check --quorum 3 fails, naming the keys" grep -q \
    'FAIL: 2 valid cosignatures of the 3 witnesses given, 3 required; valid: witness.example/w1, witness.example/w2; none valid from: witness.example/w3' \
    "$T/err"
fi
check "prove --check without --quorum wants every witness given" sh -c \
  "! '$W' prove --check '$T/e.tlog-proof' --vkey '$VKEY' --witness '${wvk[2]}' '$T/e' 2>/dev/null"

# the paused witness comes back: asked again for the same checkpoint, it cosigns it
kill -CONT "$W3PID"
wait_for "the checkpoint of size $SIZE cosigned by w3 too" cosigned_by "$SIZE" 3
check "  ... and the server says once that it cosigns again" \
  [ "$(grep -c "witness ${wurl[2]} cosigns again" "$T/q.log")" = 1 ]
check "verify --quorum 3 of w1 w2 w3 passes now" sh -c \
  "'$W' verify '$URL' --vkey '$VKEY' --state '$T/vstate' --witness '${wvk[0]}' --witness '${wvk[1]}' \
     --witness '${wvk[2]}' --quorum 3 >/dev/null"

# A split view: a copy of the log, served with the same keys, goes its own way
{ kill -9 "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null || true
db_copy q fork
cp "$T/q.db.log.key" "$T/fork.db.log.key"
cp "$T/q.db.operator.key" "$T/fork.db.operator.key"
start_witness ws
start_server q --witness "$WURL+$WVK"
QURL=$URL
"$W" append --server "$QURL" --key "$T/uk.key" --kind statement --body '{"text":"on the log"}' >/dev/null
wait_for "the log's checkpoint of size $((SIZE + 1)) cosigned by ws" sh -c \
  "curl -fs '$QURL/log/checkpoint' | grep -q '^— witness.example/ws ' &&
   [ \"\$(curl -fs '$QURL/log/checkpoint' | sed -n 2p)\" = $((SIZE + 1)) ]"
curl -s "$QURL/log/checkpoint" >"$T/cpA"
vfy >/dev/null # the client's state: the log's checkpoint
start_server fork --witness "$WURL+$WVK"
FURL=$URL
splits() { [ "$(grep -c 'a split view of test.example/q' "$T/ws.log")" = "$1" ]; }
# the copy at the log's size with another root: the witness answers 409 (C2SP: the same
# size as the one it cosigned, another root); then two entries on: the proof fails, 422
"$W" append --server "$FURL" --key "$T/uk.key" --kind statement --body '{"text":"elsewhere"}' >/dev/null
wait_checkpoint $((SIZE + 1))
wait_for "the witness to report the split view at the same size" splits 1
"$W" append --server "$FURL" --key "$T/uk.key" --kind statement --body '{"text":"again"}' >/dev/null
wait_checkpoint $((SIZE + 2))
curl -s "$FURL/log/checkpoint" >"$T/cpB"
wait_for "the witness to report the split view a size further" splits 2
check "the witness refused both: 409 at the same size, 422 beyond it" sh -c \
  "grep -q 'split view of test.example/q, refused (409: its size, another root)' '$T/ws.log' &&
   grep -q 'split view of test.example/q, refused (422: the consistency proof does not verify)' '$T/ws.log'"
check "the witness refused to cosign the copy's checkpoint" sh -c \
  "! grep -q '^— witness.example/ws ' '$T/cpB'"
check "  ... and the copy's server says why, once for each refusal" sh -c \
  "[ \$(grep -c 'witness $WURL: it refuses the checkpoint (409)' '$T/fork.log') = 1 ] &&
   [ \$(grep -c 'witness $WURL: it refuses the checkpoint (422)' '$T/fork.log') = 1 ]"
check "the witness reports the checkpoint it cosigned (the log's root)" \
  grep -qx "$(sed -n 3p "$T/cpA")" "$T/ws.log"
check "  ... and the one offered (the copy's root)" grep -qx "$(sed -n 3p "$T/cpB")" "$T/ws.log"
check "the witness is still at the log's size, not the copy's" sh -c \
  "[ \"\$(python3 -c 'import wldb,sys; print(wldb.connect(sys.argv[1]).execute(\"select size from witness\").fetchone()[0])' '$(db_of ws)')\" = $((SIZE + 1)) ]"
URL=$FURL
if vfy >"$T/out" 2>"$T/err"; then
  not_ok "verify fails on the copy after seeing the log"
else
  check "verify reports the split view with the checkpoint seen before, in full" \
    grep -qx "$(sed -n 3p "$T/cpA")" "$T/err"
  check "  ... and the checkpoint served now, in full" grep -qx "$(sed -n 3p "$T/cpB")" "$T/err"
  check "  ... with the log's signature lines of both" [ "$(grep -c '^— test.example/q ' "$T/err")" -ge 2 ]
fi
finish
