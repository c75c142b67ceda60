#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sealed pledges end to end: a member seals a conditional pledge and gets an
# operator-signed receipt at once; the sealer publishes it in a batch of
# identical-looking envelopes (padded with dummies, constant size, shuffled);
# its author, the coordinator and the members it names can read it, nobody
# else can tell it exists; its author announces it, and a third party checks
# the commitment from public data alone.
source "$(dirname "$0")/lib.sh"

new_ledger seal
SEAL=1 start_server seal --seal-batch 4
ORIGIN=test.example/seal
for m in gb:coordinator fr:member xa:member de:member us:member; do
  id=${m%%:*}; role=${m##*:}
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done

out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category ground_forces --quantity 2000 \
  --unit troops --condition "all(requires(us), at_least(5, ground_forces))" \
  --place "Western Ukraine" --period 2026-Q2 --caveat "no combat role" --readers fr)
ID=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
check "a member seals a conditional pledge" [ ${#ID} = 64 ]
check "  ... and gets a receipt signed by the operator at once, which the CLI verifies" \
  sh -c "grep -q '^willing.receipts/v1$' <<'X'
$out
X
grep -q '^receipt verified' <<'X'
$out
X"
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category ground_forces --quantity 10 \
  --unit troops --condition "not(requires(us))" 2>&1 || true)
check "a 'not' condition is refused before anything is sent" grep -q 'never be undone' <<<"$out"
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category ground_forces --quantity 10 \
  --unit troops --place "50.45, 30.52" 2>&1 || true)
check "coordinates are refused: places stay coarse" grep -q 'no coordinates' <<<"$out"

# wait for its batch
wait_envelope "$T/xa.key" "$ID"
"$W" pledge show --server "$URL" --key "$T/xa.key" "$ID" >"$T/show.json"
ENV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["envelope"])' "$T/show.json")
check "the sealer published its envelope (index $ENV)" grep -qx '[0-9][0-9]*' <<<"$ENV"
wait_checkpoint $((ENV + 1))
"$W" pledge show --server "$URL" --key "$T/xa.key" "$ID" >"$T/show2.json"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["envelope_proof"], end="")' "$T/show2.json" >"$T/env.tlog-proof"
"$W" get --server "$URL" "$ENV" --raw >"$T/env.entry"
check "the receipt is completed by the envelope's tlog-proof, which verifies offline" \
  "$W" prove --check "$T/env.tlog-proof" --vkey "$VKEY" "$T/env.entry"

# every sealed envelope in the log: the same size, batches of a multiple of 4
python3 - "$URL" >"$T/env.txt" <<'PY'
import base64,json,sys,urllib.request,collections
url=sys.argv[1]
size=int(urllib.request.urlopen(url+"/log/checkpoint").read().decode().split("\n")[1])
sizes=set(); batches=collections.Counter()
for i in range(size):
    e=json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))
    if e["kind"]=="sealed":
        sizes.add(len(base64.b64decode(e["entry"]))); batches[e["time"]]+=1
print(len(sizes), all(v%4==0 for v in batches.values()), len(batches))
PY
read -r nsizes mult nb <"$T/env.txt"
check "every envelope has the same size" [ "$nsizes" = 1 ]
check "every batch holds a multiple of 4 envelopes ($nb batches, dummies included)" [ "$mult" = True ]

# who may read it
check "its author reads it" grep -q '"author": "xa"' "$T/show.json"
check "a member it names reads it" sh -c "'$W' pledge show --server '$URL' --key '$T/fr.key' $ID | grep -q '\"author\": \"xa\"'"
check "the coordinator reads it" sh -c "'$W' pledge show --server '$URL' --key '$T/gb.key' $ID | grep -q '\"author\": \"xa\"'"
a=$("$W" pledge show --server "$URL" --key "$T/de.key" "$ID" 2>&1 || true)
b=$("$W" pledge show --server "$URL" --key "$T/de.key" "$(printf '%064d' 0)" 2>&1 || true)
check "another member cannot read it, nor tell it from nothing" \
  sh -c "grep -q 'no sealed content' <<'X'
$a
X
[ \"\$(sed 's/[0-9a-f]\{64\}/ID/' <<'X'
$a
X
)\" = \"\$(sed 's/[0-9a-f]\{64\}/ID/' <<'X'
$b
X
)\" ]"
st=$(status GET "/api/v1/sealed/$ID")
check "unauthenticated: 401" [ "$st" = 401 ]

# someone else cannot announce it, even holding salt and content
mkdir -p "$T/state2/willing/sealed"
cp "$XDG_STATE_HOME/willing/sealed/$ID.json" "$T/state2/willing/sealed/"
out=$(XDG_STATE_HOME=$T/state2 "$W" pledge announce --server "$URL" --key "$T/fr.key" "$ID" 2>&1 || true)
check "another member announcing it is refused (not_your_content)" grep -q 'not_your_content' <<<"$out"
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$ID")
AIDX=$(awk '/^index/ {print $2}' <<<"$out")
check "its author announces it" [ -n "$AIDX" ]

# a third party checks it from public data alone
python3 - "$URL" "$AIDX" >"$T/third.txt" <<'PY'
import base64,hashlib,json,sys,urllib.request
url,ai=sys.argv[1],int(sys.argv[2])
ent=lambda i: json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))
a=ent(ai); text=base64.b64decode(a["entry"]).decode()
body=json.loads(text.split("\n")[6])
s=ent(body["sealed"]); sbody=json.loads(base64.b64decode(s["entry"]).decode().split("\n")[6])
c=hashlib.sha256(b"willing.seal/v1"+base64.b64decode(body["salt"])+base64.b64decode(body["content"])).digest()
content=base64.b64decode(body["content"]).decode()
print(s["kind"], base64.b64encode(c).decode()==sbody["commitment"], content.split("\n")[3], json.loads(content.split("\n")[6])["quantity"])
PY
check "a third party recomputes the commitment from public data: $(cat "$T/third.txt")" \
  grep -qx 'sealed True xa 2000' "$T/third.txt"
out=$("$W" pledge list --server "$URL" --key "$T/xa.key")
check "willing pledge list shows the pledge kept here, published" grep -q "^$ID  pledge ground_forces 2000 troops  published" <<<"$out"

# an announcement with the wrong salt is refused, and nothing is stored
size0=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
out=$("$W" append --server "$URL" --key "$T/xa.key" --kind announce \
  --body "{\"sealed\":$ENV,\"salt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"content\":\"AAAA\"}" 2>&1 || true)
check "an announcement with the wrong salt: commitment_mismatch" grep -q commitment_mismatch <<<"$out"

# a signed sealed submission replayed byte for byte is refused (its nonce is spent)
python3 - "$XDG_STATE_HOME/willing/sealed/$ID.json" >"$T/replay.json" <<'PY'
import json,sys
k=json.load(open(sys.argv[1])); print(json.dumps({"salt":k["salt"],"content":k["content"]},separators=(",",":")), end="")
PY
"$W" fetch --key "$T/xa.key" --data @"$T/replay.json" --print-headers "$URL/api/v1/sealed" >"$T/rh"
first=$(curl -s -o "$T/r1" -w '%{http_code}' -X POST "$URL/api/v1/sealed" -H 'Content-Type: application/json' \
  -H "$(sed -n 1p "$T/rh")" -H "$(sed -n 2p "$T/rh")" -H "$(sed -n 3p "$T/rh")" --data-binary @"$T/replay.json")
again=$(curl -s -o "$T/r2" -w '%{http_code}' -X POST "$URL/api/v1/sealed" -H 'Content-Type: application/json' \
  -H "$(sed -n 1p "$T/rh")" -H "$(sed -n 2p "$T/rh")" -H "$(sed -n 3p "$T/rh")" --data-binary @"$T/replay.json")
check "the same sealed content on a fresh signature: 200 (already sealed)" [ "$first" = 200 ]
check "the same signed request again: 401 replayed_request" sh -c "[ $again = 401 ] && grep -q replayed_request '$T/r2'"
out=$(curl -s -X POST "$URL/api/v1/sealed" -H 'Content-Type: application/json' \
  -H "$(sed -n 1p "$T/rh")" -H "$(sed -n 2p "$T/rh")" -H "$(sed -n 3p "$T/rh")" --data-binary '{"salt":"x","content":"y"}')
check "a body that does not match the signed Content-Digest is refused" grep -q content_digest <<<"$out"

# bad pledges sent straight to the API (willing seal does not check them first)
seal_raw() { "$W" seal --server "$URL" --key "$T/$1.key" --kind "$2" --body "$3" 2>&1 || true; }
P0='"pledge":"00000000000000000000000000000001","category":"ground_forces","quantity":"10","unit":"troops"'
total() { "$W" fetch --key "$T/gb.key" "$URL/api/v1/coverage?view=coordinator&limit=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pledges_total"])'; }
t0=$(total)
out=$(seal_raw xa pledge "{$P0,\"condition\":{\"not\":{\"requires\":\"us\"}}}")
check "raw API: a 'not' condition is refused with why" grep -q "'not' is refused: a pledge must never be undone" <<<"$out"
out=$(seal_raw xa pledge "{$P0,\"condition\":{\"at_least\":{\"n\":\"five\",\"category\":\"ground_forces\"}}}")
check "raw API: a malformed condition is refused" grep -q "'at_least' takes" <<<"$out"
out=$(seal_raw xa pledge "{$P0,\"place\":\"50.45, 30.52\"}")
check "raw API: coordinates are refused" grep -q "no coordinates" <<<"$out"
out=$(seal_raw xa pledge.list '{}')
check "raw API: an unknown sealed kind is refused" grep -q "sealed content is of kind pledge" <<<"$out"
"$W" keygen --out "$T/nm.key" --member nm >/dev/null
out=$(seal_raw nm pledge "{$P0}")
check "raw API: a pledge by a non-member is refused" grep -q 'not signed by a live signing key of nm' <<<"$out"
check "  ... and none of them stored anything (the coordinator's pledges: $t0 before, $(total) after)" [ "$(total)" = "$t0" ]

# without a signed request the content's own signature is what authenticates it
python3 - "$XDG_STATE_HOME/willing/sealed/$ID.json" >"$T/resalt.json" <<'PY'
import base64,json,os,sys
k=json.load(open(sys.argv[1])); print(json.dumps({"salt":base64.b64encode(os.urandom(32)).decode(),"content":k["content"]}), end="")
PY
n0=$(curl -s -X POST "$URL/api/v1/sealed" -H 'Content-Type: application/json' --data-binary @"$T/replay.json" -o "$T/u1" -w '%{http_code}')
check "the same submission unsigned: 200, the same receipt" sh -c "[ $n0 = 200 ] && grep -q '\"id\": *\"$ID\"' '$T/u1'"
st=$(curl -s -X POST "$URL/api/v1/sealed" -H 'Content-Type: application/json' --data-binary @"$T/resalt.json" -o "$T/u2" -w '%{http_code}')
check "the same content under another salt: 409 already_sealed" sh -c "[ $st = 409 ] && grep -q already_sealed '$T/u2'"
"$W" keygen --out "$T/forger.key" --member xa >/dev/null
out=$(XDG_STATE_HOME=$T/forger "$W" pledge add --server "$URL" --key "$T/forger.key" --category ground_forces \
  --quantity 1 --unit troops 2>&1 || true)
check "content in xa's name signed by a key xa does not hold: refused" grep -q "not signed by a live signing key of xa" <<<"$out"

# amend and withdraw: one's own pledges only
PID=$(python3 -c 'import json,sys,base64; c=base64.b64decode(json.load(open(sys.argv[1]))["content"]).decode(); print(json.loads(c.split("\n")[6])["pledge"])' "$T/show.json")
out=$("$W" pledge amend --server "$URL" --key "$T/xa.key" --category ground_forces --quantity 2500 --unit troops "$PID")
check "its author amends it" grep -q '^sealed [0-9a-f]\{64\}$' <<<"$out"
out=$("$W" pledge withdraw --server "$URL" --key "$T/fr.key" "$PID" 2>&1 || true)
check "another member cannot withdraw it (the same 404 as for no pledge)" grep -q 'no pledge .* of yours' <<<"$out"
out=$("$W" pledge amend --server "$URL" --key "$T/de.key" --category ground_forces --quantity 1 --unit troops "$PID" 2>&1 || true)
check "another member cannot amend it" grep -q 'no pledge .* of yours' <<<"$out"
"$W" coverage --server "$URL" --key "$T/gb.key" --view coordinator --json >"$T/c1.json"
check "the coordinator sees the amended pledge (2500) in place of the first (2000)" python3 -c "
import json; o=json.load(open('$T/c1.json'))
q=[p['quantity'] for p in o['pledges'] if p['member']=='xa']
assert q==['2500'], q"
NEWPID=$(python3 -c "
import json; o=json.load(open('$T/c1.json'))
print([p['pledge'] for p in o['pledges'] if p['member']=='xa'][0])")
check "its author withdraws it" sh -c "'$W' pledge withdraw --server '$URL' --key '$T/xa.key' '$NEWPID' | grep -q '^sealed'"
check "  ... and the coordinator no longer counts it" sh -c "! '$W' coverage --server '$URL' --key '$T/gb.key' --view coordinator --json | grep -q '\"member\":\"xa\"'"
check "the log verifies end to end" "$W" verify "$URL" --vkey "$VKEY"
finish
