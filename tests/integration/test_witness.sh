#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Two `willing witness` processes cosign the log's checkpoints; the log
# serves the cosignatures; verify checks them; a witness refuses forged,
# unknown, stale and inconsistent checkpoints with the spec's status codes.
source "$(dirname "$0")/lib.sh"

new_ledger wit
ORIGIN=test.example/wit
wvk=()
wurl=()
for i in 1 2; do
  start_witness "w$i"
  wvk+=("$WVK")
  wurl+=("$WURL")
done
SEAL=1 start_server wit --witness "${wurl[0]}+${wvk[0]}" --witness "${wurl[1]}+${wvk[1]}" --seal-batch 2

"$W" keygen --out "$T/uk.key" --member uk >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name UK --role member --pubkey-file "$T/uk.key" >/dev/null
for i in 1 2 3; do
  "$W" append --server "$URL" --key "$T/uk.key" --kind statement --body "{\"text\":\"s$i\"}" >/dev/null
done
# both witnesses cosign the checkpoint of size 5
cosigned() { # cosigned N: the published checkpoint covers N and carries both cosignatures
  local cp
  cp=$(curl -fs "$URL/log/checkpoint") || return 1
  [ "$(sed -n 2p <<<"$cp")" -ge "$1" ] && [ "$(grep -c '^— witness.example/w' <<<"$cp")" = 2 ]
}
wait_for "a checkpoint of size 5 cosigned by both witnesses" cosigned 5
curl -s "$URL/log/checkpoint" >"$T/cp"
check "the checkpoint carries two cosignatures" [ "$(grep -c '^— witness.example/w' "$T/cp")" = 2 ]
out=$("$W" verify "$URL" --vkey "$VKEY" --witness "${wvk[0]}" --witness "${wvk[1]}")
check "verify checks both cosignatures" grep -q 'cosigned by witness.example/w1 at [0-9]*, cosigned by witness.example/w2' <<<"$out"
# a tlog-proof checked offline: the log's signature, both cosignatures, the inclusion
"$W" get --server "$URL" 3 --raw >"$T/e3"
"$W" prove --server "$URL" 3 >"$T/e3.tlog-proof"
out=$("$W" prove --check "$T/e3.tlog-proof" --vkey "$VKEY" --witness "${wvk[0]}" --witness "${wvk[1]}" "$T/e3")
check "a tlog-proof verifies offline with both cosignatures" grep -q '^OK: the entry is at index 3 of test.example/wit, cosigned by witness.example/w1 at' <<<"$out"
"$W" get --server "$URL" 4 --raw >"$T/e4"
check "  ... and not for another entry" sh -c "! '$W' prove --check '$T/e3.tlog-proof' --vkey '$VKEY' '$T/e4' 2>/dev/null"
sed 's/^index 3$/index 2/' "$T/e3.tlog-proof" >"$T/bad.tlog-proof"
check "  ... nor with its index changed" sh -c "! '$W' prove --check '$T/bad.tlog-proof' --vkey '$VKEY' '$T/e3' 2>/dev/null"

# a sealed pledge dated beyond the operator's word: the envelope's tlog-proof carries
# the witnesses' cosignatures; after the announcement a third party checks, from
# public data alone, the commitment and when the envelope existed
SID=$("$W" pledge add --server "$URL" --key "$T/uk.key" --category training --quantity 50 \
  --unit instructors | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/uk.key" "$SID"
"$W" pledge show --server "$URL" --key "$T/uk.key" "$SID" >"$T/s.json"
ENV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["envelope"])' "$T/s.json")
wait_for "a cosigned checkpoint covering the envelope" cosigned $((ENV + 1))
"$W" prove --server "$URL" "$ENV" >"$T/env.tlog-proof"        # kept with the receipt
AIDX=$("$W" pledge announce --server "$URL" --key "$T/uk.key" "$SID" | awk '/^index/ {print $2}')
# the third party: the announce entry names the envelope; fetch both, check the commitment
python3 - "$URL" "$AIDX" "$T/env.bytes" >"$T/third.txt" <<'PY'
import base64,hashlib,json,sys,urllib.request
url,ai,out=sys.argv[1],int(sys.argv[2]),sys.argv[3]
ent=lambda i: json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))
a=ent(ai); body=json.loads(base64.b64decode(a["entry"]).decode().split("\n")[6])
s=ent(body["sealed"]); raw=base64.b64decode(s["entry"])
open(out,"wb").write(raw)
c=hashlib.sha256(b"willing.seal/v1"+base64.b64decode(body["salt"])+base64.b64decode(body["content"])).digest()
print(body["sealed"], base64.b64encode(c).decode()==json.loads(raw.decode().split("\n")[6])["commitment"])
PY
check "a third party checks the announced commitment from public data" grep -qx "$ENV True" "$T/third.txt"
out=$("$W" prove --check "$T/env.tlog-proof" --vkey "$VKEY" --witness "${wvk[0]}" --witness "${wvk[1]}" "$T/env.bytes")
check "  ... and dates the envelope by the witnesses' cosignatures" grep -q "^OK: the entry is at index $ENV of test.example/wit, cosigned by witness.example/w1 at [0-9]\{10\}, cosigned by witness.example/w2 at" <<<"$out"

# a third witness, not used by the log: verify must fail when it is required
"$W" keygen --out "$T/w3.key" >/dev/null
port=$(free_port)
"$W" witness --db "$(db_of w3)" --key "$T/w3.key" --name witness.example/w3 --log "$VKEY" \
  --listen 127.0.0.1:$port 2>"$T/w3.log" &
PIDS+=($!)
wait_for "witness w3 to start" witness_started "$T/w3.log"
w3vk=$(awk '/cosignature key/ {print $5}' "$T/w3.log")
check "verify fails when a required witness did not cosign" sh -c \
  "! '$W' verify '$URL' --vkey '$VKEY' --witness '$w3vk' 2>/dev/null"

# talk to witness 3 directly: the log does not drive it, so its state is ours
W3=http://127.0.0.1:$port
post() { # post BODYFILE: prints status; body in $T/wbody
  curl -s -o "$T/wbody" -w '%{http_code}' -X POST --data-binary @"$1" "$W3/add-checkpoint"
}
strip() { sed '/^— witness/d'; }
curl -s "$URL/log/checkpoint" | strip >"$T/cpA"
sizeA=$(sed -n 2p "$T/cpA")
{ echo "old 0"; echo; cat "$T/cpA"; } >"$T/req"
check "a first checkpoint from size 0 is cosigned (200)" [ "$(post "$T/req")" = 200 ]
check "  ... with a cosignature line of type 0x04" grep -q '^— witness.example/w3 ' "$T/wbody"
check "the same checkpoint from size 0 again: 409, the witness is past 0" [ "$(post "$T/req")" = 409 ]
{ echo "old $sizeA"; echo; cat "$T/cpA"; } >"$T/req"
check "the same checkpoint with its own size as old: 200" [ "$(post "$T/req")" = 200 ]
{ echo "old 1"; echo; cat "$T/cpA"; } >"$T/req"
check "a wrong old size gets 409" [ "$(post "$T/req")" = 409 ]
check "  ... with its size as text/x.tlog.size" [ "$(cat "$T/wbody")" = "$sizeA" ]
"$W" init --db "$(db_of forger)" $(key_args forger) --origin "$ORIGIN" >/dev/null
lastcp() {
  python3 - "$1" <<'PY'
import wldb,sys
db=wldb.connect(sys.argv[1])
print(db.execute("select note from checkpoints order by size desc limit 1").fetchone()[0].decode(), end="")
PY
}
{ echo "old $sizeA"; echo; lastcp "$(db_of forger)"; } >"$T/req"
check "a checkpoint signed by another key gets 403" [ "$(post "$T/req")" = 403 ]
"$W" init --db "$(db_of elsewhere)" $(key_args elsewhere) --origin other.example/log >/dev/null
{ echo "old 0"; echo; lastcp "$(db_of elsewhere)"; } >"$T/req"
check "an unknown origin gets 404" [ "$(post "$T/req")" = 404 ]
{ echo "old 999"; echo; cat "$T/cpA"; } >"$T/req"
check "an old size above the new size gets 400" [ "$(post "$T/req")" = 400 ]
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"more"}' >/dev/null
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"again"}' >/dev/null
wait_checkpoint $((sizeA + 2))
curl -s "$URL/log/checkpoint" | strip >"$T/cpB"
sizeB=$(sed -n 2p "$T/cpB")
{ echo "old $sizeA"; echo "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; echo; cat "$T/cpB"; } >"$T/req"
check "a consistency proof that does not verify gets 422" [ "$(post "$T/req")" = 422 ]
curl -s "$URL/api/v1/proof/consistency?from=$sizeA&to=$sizeB" | python3 -c '
import json,sys
for h in json.load(sys.stdin)["proof"]: print(h)' >"$T/proof"
{ echo "old $sizeA"; cat "$T/proof"; echo; cat "$T/cpB"; } >"$T/req"
check "the log's own consistency proof is accepted (200)" [ "$(post "$T/req")" = 200 ]
check "the log is still cosigned by both after all that" sh -c \
  "'$W' verify '$URL' --vkey '$VKEY' --witness '${wvk[0]}' --witness '${wvk[1]}' >/dev/null"
finish
