#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every kind of bad input of the ledger issue gets a 4xx with a JSON error
# that names it, nothing is stored, and the server keeps serving, a slow
# client included.
source "$(dirname "$0")/lib.sh"

new_ledger bad
start_server bad --client-timeout 2
ORIGIN=test.example/bad

"$W" keygen --out "$T/uk.key" --member uk >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name UK --role member --pubkey-file "$T/uk.key" >/dev/null
pklogin=$("$W" keygen --out "$T/uk-login.key" --member uk --scope login | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/uk.key" --kind key.add --body "{\"member\":\"uk\",\"key\":\"$pklogin\",\"scope\":\"login\"}" >/dev/null
pkl=$("$W" keygen --out "$T/uk-old.key" --member uk | awk '/^public key:/ {print $3}')
"$W" append --server "$URL" --key "$T/uk.key" --kind key.add --body "{\"member\":\"uk\",\"key\":\"$pkl\",\"scope\":\"sign\"}" >/dev/null
"$W" append --server "$URL" --key "$T/uk.key" --kind key.revoke --body "{\"member\":\"uk\",\"key\":\"$pkl\"}" >/dev/null
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --seq 5 --body '{"text":"first"}' >/dev/null
wait_checkpoint 6
SIZE=$(curl -s "$URL/log/checkpoint" | sed -n 2p)

sign() { # sign OUT KEY KIND BODY [extra args]
  local out=$1 key=$2 kind=$3 body=$4; shift 4
  "$W" append --origin "$ORIGIN" --output "$out" --key "$key" --kind "$kind" --body "$body" "$@"
}
post_file() { # post_file NOTE: POSTs {"entry": base64(NOTE)}
  python3 -c 'import base64,json,sys; print(json.dumps({"entry": base64.b64encode(open(sys.argv[1],"rb").read()).decode()}))' "$1" >"$T/req.json"
  status POST /api/v1/entries -H 'Content-Type: application/json' --data-binary @"$T/req.json"
}
expect() { # expect "case" STATUS CODE got_status
  local d=$1 want=$2 code=$3 got=$4
  if [ "$got" = "$want" ] && python3 -c '
import json,sys
b=json.load(open(sys.argv[1]))
assert b["error"]==sys.argv[2], b
assert isinstance(b["message"],str) and len(b["message"])>10, b' "$T/body" "$code" 2>/dev/null; then
    ok "$d: $want $code"
  else
    not_ok "$d: want $want $code, got $got $(cat "$T/body")"
  fi
}

expect "malformed JSON" 400 malformed_json \
  "$(status POST /api/v1/entries -H 'Content-Type: application/json' -d '{"entry": ')"
expect "JSON of the wrong shape" 400 malformed_request \
  "$(status POST /api/v1/entries -H 'Content-Type: application/json' -d '{"entries": []}')"
expect "wrong content type" 415 unsupported_media_type \
  "$(status POST /api/v1/entries -H 'Content-Type: text/plain' -d '{"entry":"AAAA"}')"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/big"
# curl asks first (Expect: 100-continue) and waits for the refusal, however slow
# the machine: the body is refused unread, so a body sent anyway would meet a
# closed connection and no answer
expect "body over the limit" 413 body_too_large \
  "$(status POST /api/v1/entries -H 'Content-Type: application/json' -H 'Expect: 100-continue' \
    --expect100-timeout 60 --data-binary @"$T/big")"
python3 -c 'print("{\"text\":\"" + "x"*66000 + "\"}")' >"$T/bigbody.json"
python3 - "$T/bigbody.json" "$T/big.note" "$ORIGIN" <<'PY'
import sys
body=open(sys.argv[1]).read().strip()
note="willing.entry/v1\n%s\nstatement\nuk\n9\n1700000000\n%s\n\n\u2014 uk AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n" % (sys.argv[3], body)
open(sys.argv[2],"w").write(note)
PY
expect "entry over 65,535 bytes" 413 entry_too_large "$(post_file "$T/big.note")"
expect "bad base64" 400 bad_base64 \
  "$(status POST /api/v1/entries -H 'Content-Type: application/json' -d '{"entry":"not*base64"}')"
printf 'willing.entry/v1\n%s\nstatement\nuk\n1\n1\n{}\n' "$ORIGIN" >"$T/nosig.note"
expect "malformed note (no signature)" 400 malformed_entry "$(post_file "$T/nosig.note")"
sign "$T/kind.note" "$T/uk.key" no.such.kind '{"text":"x"}'
expect "unknown kind" 400 unknown_kind "$(post_file "$T/kind.note")"
"$W" keygen --out "$T/zz.key" --member zz >/dev/null
sign "$T/unknown.note" "$T/zz.key" statement '{"text":"x"}'
expect "unknown key" 403 unknown_key "$(post_file "$T/unknown.note")"
sign "$T/revoked.note" "$T/uk-old.key" statement '{"text":"x"}'
expect "revoked key" 403 revoked_key "$(post_file "$T/revoked.note")"
sign "$T/login.note" "$T/uk-login.key" statement '{"text":"x"}'
expect "a login key may not sign entries" 403 key_scope "$(post_file "$T/login.note")"
sign "$T/good.note" "$T/uk.key" statement '{"text":"forged"}'
sed -i 's/forged/f0rged/' "$T/good.note"
expect "bad signature" 403 bad_signature "$(post_file "$T/good.note")"
sign "$T/conflict.note" "$T/uk.key" statement '{"text":"not the first"}' --seq 5
expect "seq conflict" 409 seq_conflict "$(post_file "$T/conflict.note")"
"$W" append --origin other.example/log --output "$T/origin.note" --key "$T/uk.key" --kind statement --body '{"text":"x"}'
expect "entry for another log" 400 wrong_origin "$(post_file "$T/origin.note")"
sign "$T/body.note" "$T/uk.key" statement '{"txet":"typo"}'
expect "a body the kind refuses" 400 invalid_body "$(post_file "$T/body.note")"
expect "unknown path" 404 not_found "$(status GET /api/v1/nothing)"
expect "write to the read-only log API" 405 method_not_allowed "$(status POST /log/checkpoint -H 'Content-Type: application/json' -d '{}')"
expect "proof with a bad range" 400 bad_range "$(status GET '/api/v1/proof/inclusion?index=5&size=999')"

port=${URL##*:}
python3 - "$port" >"$T/nohost" <<'PY'
import socket,sys
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])))
s.sendall(b"GET /log/checkpoint HTTP/1.1\r\nConnection: close\r\n\r\n")
s.settimeout(3)
data=b""
while True:
    d=s.recv(4096)
    if not d: break
    data+=d
print(data.split(b"\r\n")[0].decode())
print(data.split(b"\r\n\r\n",1)[1].decode())
PY
if grep -q '400' <(sed -n 1p "$T/nohost") && grep -q '"error":"missing_host"' "$T/nohost"; then
  ok "missing Host header: 400 missing_host"
else
  not_ok "missing Host header: $(cat "$T/nohost")"
fi

# A slow client trickles its body; others are served meanwhile; it is cut off.
# While its request is open (the server has neither answered nor closed it), it
# makes 20 other requests, each of which must be answered; how fast is for make
# bench. Then it trickles a byte every 0.5 s until the server cuts it off (10 s at most).
python3 - "$port" >"$T/slow" <<'PY' &
import select,socket,sys,time,urllib.request
port=int(sys.argv[1])
s=socket.create_connection(("127.0.0.1",port))
s.sendall(b"POST /api/v1/entries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
def still_open():  # nothing to read yet: neither an answer nor the end of the connection
    return not select.select([s],[],[],0)[0]
served=0
for i in range(20):
    urllib.request.urlopen("http://127.0.0.1:%d/log/checkpoint" % port, timeout=10).read()
    if still_open(): served+=1
print("served %d while open" % served)
t0=time.time()
try:
    for i in range(100):
        s.sendall(b" ")
        time.sleep(0.5)
        if time.time()-t0>10: break
    print("not cut off")
except OSError:
    print("cut off after %.1fs" % (time.time()-t0))
PY
SLOW=$!
wait $SLOW || true
check "other clients are served while a slow one trickles ($(head -1 "$T/slow"))" \
  grep -qx 'served [1-9][0-9]* while open' "$T/slow"
check "the slow client is cut off ($(tail -1 "$T/slow"))" grep -q 'cut off after' "$T/slow"

# nothing was stored: the next good entry takes index $SIZE; the server still serves
out=$("$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"still here"}')
check "the server still accepts a good entry" grep -q '^index ' <<<"$out"
check "nothing was stored: that entry took index $SIZE" grep -qx "index $SIZE" <<<"$out"
check "and the log still verifies" "$W" verify "$URL" --vkey "$VKEY"
finish
