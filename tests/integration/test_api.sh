#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The write and read API against the real daemon: CLI appends, raw HTTP,
# replays and seq conflicts, batches, pipelined requests, proofs, verify.
source "$(dirname "$0")/lib.sh"

new_ledger api
start_server api

# every subcommand answers --help with its usage and exit 0
for c in init serve keygen member append get prove checkpoint verify fsck witness; do
  check "willing $c --help" sh -c "'$W' $c --help | grep -q '^usage: willing $c'"
done
check "willing with no command: usage on stderr, exit 2" sh -c "'$W' 2>&1 >/dev/null | grep -q usage; [ \$? -eq 0 ] && ! '$W' 2>/dev/null"

ukpub=$("$W" keygen --out "$T/uk.key" --member uk | awk '/^public key:/ {print $3}')
"$W" keygen --out "$T/fr.key" --member fr >/dev/null
check "key files are written mode 0600" [ "$(stat -c %a "$T/uk.key")" = 600 ]
check "keygen never overwrites a key file" sh -c "! '$W' keygen --out '$T/uk.key' 2>/dev/null"
# a standard PKCS#8 (RFC 8410) key: OpenSSL reads it and derives the same public key
sslpub=$(openssl pkey -in "$T/uk.key" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)
check "the key file is PKCS#8 PEM that OpenSSL reads, with the same public key" [ "$sslpub" = "$ukpub" ]
check "operator adds a member" "$W" member add --server "$URL" --key "$OPKEY" --id uk \
  --name "United Kingdom" --role coordinator --pubkey-file "$T/uk.key"
check "operator adds a second member" "$W" member add --server "$URL" --key "$OPKEY" --id fr \
  --name "France" --role coordinator --pubkey-file "$T/fr.key"
out=$("$W" append --server "$URL" --key "$T/uk.key" --kind statement --seq 7 \
  --body '{"text":"boots on the ground and planes in the air"}')
check "a member appends a statement (index 3)" grep -q '^index 3$' <<<"$out"

out=$("$W" member list --server "$URL")
check "willing member list shows the members and their roles" sh -c "grep -q '^operator *operator' <<'X'
$out
X
grep -q '^uk *coordinator *announced *United Kingdom (entry 1)' <<'X'
$out
X"

# The same entry again: same bytes (same seq and second) give 200 and the first index.
"$W" get --server "$URL" 3 --raw >"$T/e3"
b64=$(base64 -w0 <"$T/e3")
st=$(status POST /api/v1/entries -H 'Content-Type: application/json' -d "{\"entry\":\"$b64\"}")
check "replaying the same bytes gives 200" [ "$st" = 200 ]
check "  ... with the original index" [ "$(json_field index)" = 3 ]
check "  ... and nothing new is stored" [ "$(curl -s "$URL/api/v1/entries/4" -o /dev/null -w '%{http_code}')" = 404 ]

out=$("$W" append --server "$URL" --key "$T/uk.key" --kind statement --seq 7 \
  --body '{"text":"something else"}' --json 2>&1 || true)
check "same (author, seq) with other bytes is a seq_conflict" grep -q seq_conflict <<<"$out"

# gaps in seq are allowed
check "a gap in seq is allowed" "$W" append --server "$URL" --key "$T/uk.key" --kind statement \
  --seq 100 --body '{"text":"later"}'

# a member may not add members
out=$("$W" append --server "$URL" --key "$T/fr.key" --kind member.add \
  --body '{"member":"de","name":"Germany","role":"member","key":"rhqEA6UMny/nvnG4a9hPD+t7FTc0kMoPMmeKJm6S9WQ="}' 2>&1 || true)
check "only the operator adds members (403 forbidden)" grep -q 'forbidden' <<<"$out"

# key rotation: add a second key, revoke the first, old entries stay verifiable
pk1=$("$W" get --server "$URL" 1 | sed -n 7p | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
pk2=$("$W" keygen --out "$T/uk2.key" --member uk | awk '/^public key:/ {print $3}')
check "a member adds a key of its own" "$W" append --server "$URL" --key "$T/uk.key" --kind key.add \
  --body "{\"member\":\"uk\",\"key\":\"$pk2\",\"scope\":\"sign\"}"
check "the new key signs" "$W" append --server "$URL" --key "$T/uk2.key" --kind statement --body '{"text":"new key"}'
check "the member revokes its old key" "$W" append --server "$URL" --key "$T/uk2.key" --kind key.revoke \
  --body "{\"member\":\"uk\",\"key\":\"$pk1\"}"
out=$("$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"old key"}' 2>&1 || true)
check "a revoked key is refused (revoked_key)" grep -q revoked_key <<<"$out"

# batch: all or nothing, the bad position named
for i in 1 2 3; do
  "$W" append --origin test.example/api --output "$T/b$i.note" --key "$T/fr.key" --kind statement \
    --seq $((1000 + i)) --body "{\"text\":\"batch $i\"}"
done
b1=$(base64 -w0 <"$T/b1.note"); b2=$(base64 -w0 <"$T/b2.note"); b3=$(base64 -w0 <"$T/b3.note")
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' \
  -d "{\"entries\":[\"$b1\",\"$b2\",\"bm90IGFuIGVudHJ5\"]}")
check "a batch with a bad entry is refused" [ "$st" = 400 ]
check "  ... and names its position" [ "$(json_field position)" = 2 ]
check "  ... and stores none of it" [ "$(status GET /api/v1/entries/8)" = 404 ]
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' \
  -d "{\"entries\":[\"$b1\",\"$b2\",\"$b3\"]}")
check "a good batch gives 201" [ "$st" = 201 ]
check "  ... with consecutive indexes" python3 -c "
import json; e=json.load(open('$T/body'))['entries']; assert [x['index'] for x in e]==[8,9,10], e"
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' -d "{\"entries\":[\"$b1\"]}")
check "a replayed batch gives 200" [ "$st" = 200 ]

# pipelined raw HTTP: three GETs in one write, three answers in order
port=${URL##*:}
python3 - "$port" <<'PY' >"$T/pipe"
import socket,sys
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])))
req=b"".join(b"GET /api/v1/entries/%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(3))
s.sendall(req)
data=b""
s.settimeout(2)
try:
    while data.count(b"HTTP/1.1 200")<3:
        d=s.recv(65536)
        if not d: break
        data+=d
except socket.timeout:
    pass
print(data.count(b"HTTP/1.1 200"))
i0,i1,i2=(data.find(b'"index":%d' % i) for i in range(3))
print(int(0<i0<i1<i2))
PY
check "pipelined requests are all answered" [ "$(sed -n 1p "$T/pipe")" = 3 ]
check "  ... in order" [ "$(sed -n 2p "$T/pipe")" = 1 ]

# proofs
wait_checkpoint 11
st=$(status GET "/api/v1/proof/inclusion?index=2&size=11")
check "inclusion proof" [ "$st" = 200 ]
st=$(status GET "/api/v1/proof/consistency?from=3&to=11")
check "consistency proof" [ "$st" = 200 ]
check "tlog-proof file for an entry" sh -c "'$W' prove --server '$URL' 2 | head -1 | grep -qx 'c2sp.org/tlog-proof@v1'"

# verify end to end, twice (the second checks consistency with the first)
check "verify: OK" "$W" verify "$URL" --vkey "$VKEY"
"$W" append --server "$URL" --key "$T/fr.key" --kind statement --body '{"text":"more"}' >/dev/null
wait_checkpoint 12
out=$("$W" verify "$URL" --vkey "$VKEY")
check "verify again: consistent with the size seen before" grep -q "consistent with size 11" <<<"$out"
"$W" init --db "$(db_of other)" $(key_args other) --origin "test.example/api" >"$T/other.out"
other=$(awk '/^verifier key:/ {print $3}' "$T/other.out")
check "verify with another key: FAIL" sh -c "! '$W' verify '$URL' --vkey '$other' 2>/dev/null"

# the tile API: headers
hdr=$(curl -s -D - -o /dev/null "$URL/log/tile/0/000.p/2")
check "tiles are immutable" grep -qi 'cache-control: public, max-age=31536000, immutable' <<<"$hdr"
hdr=$(curl -s -D - -o /dev/null "$URL/log/checkpoint")
check "the checkpoint has a short cache" grep -qi 'cache-control: public, max-age=1' <<<"$hdr"
check "a tile beyond the tree is 404" [ "$(status GET /log/tile/0/001)" = 404 ]
check "a non-canonical tile path is 404" [ "$(status GET /log/tile/0/x000/001)" = 404 ]

# a batch of 12 entries is checked on several threads (src/daemon/precheck.c): the answer is
# still the first refused entry's, nothing stored; then the 12 good ones in order
for i in $(seq 1 12); do
  "$W" append --origin test.example/api --output "$T/p$i.note" --key "$T/fr.key" --kind statement \
    --seq $((2000 + i)) --body "{\"text\":\"pool $i\"}"
done
"$W" append --origin other.example/api --output "$T/other.note" --key "$T/fr.key" --kind statement \
  --seq 2100 --body '{"text":"another log'"'"'s"}'
pool=() ; for i in $(seq 1 12); do pool+=("$(base64 -w0 <"$T/p$i.note")"); done
mixed=("${pool[@]}"); mixed[5]=bm90IGFuIGVudHJ5; mixed[9]=$(base64 -w0 <"$T/other.note")
list() { local IFS=,; local q=("${@/#/\"}"); q=("${q[@]/%/\"}"); echo "${q[*]}"; }
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' \
  -d "{\"entries\":[$(list "${mixed[@]}")]}")
check "a batch of 12 with entries 5 and 9 bad is refused" [ "$st" = 400 ]
check "  ... naming the first, its position and why" \
  [ "$(json_field position) $(json_field error)" = "5 malformed_entry" ]
check "  ... and stores none of it" [ "$(status GET /api/v1/entries/12)" = 404 ]
mixed=("${pool[@]}"); mixed[9]=$(base64 -w0 <"$T/other.note")
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' \
  -d "{\"entries\":[$(list "${mixed[@]}")]}")
check "  ... with entry 9 alone bad, it is named (wrong_origin)" \
  [ "$st $(json_field position) $(json_field error)" = "400 9 wrong_origin" ]
check "  ... and none stored" [ "$(status GET /api/v1/entries/12)" = 404 ]
st=$(status POST /api/v1/entries:batch -H 'Content-Type: application/json' \
  -d "{\"entries\":[$(list "${pool[@]}")]}")
check "the 12 good entries give 201, in order" [ "$st" = 201 ]
check "  ... with consecutive indexes and their own leaves" python3 -c "
import json,base64,hashlib
e=json.load(open('$T/body'))['entries']
assert [x['index'] for x in e]==list(range(12,24)), e
for i,x in enumerate(e):
    leaf=hashlib.sha256(b'\\x00'+open('$T/p%d.note' % (i+1),'rb').read()).digest()
    assert base64.b64decode(x['leaf_hash'])==leaf, (i, x)"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
check "fsck after a clean stop: OK" "$W" fsck --db "$(db_of api)"
finish
