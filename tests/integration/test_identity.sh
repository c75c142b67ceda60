#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The identity module end to end (lib/identity, src/daemon/identity.c, src/cli/identity.c).
# Members and their status (issue 3, point 1): a member the operator adds
# sealed is invited and appears in nothing public (members list, entries,
# errors), yet signs private requests and seals pledges; it tells the
# coordinator privately that it is willing; it announces when it decides, and
# then anyone replaying the public log knows it and can check its announced
# pledges; an announced pledge may not name a member that has not announced.
# Drafts stay with their author until submitted.
source "$(dirname "$0")/lib.sh"

new_ledger mem
SEAL=1 start_server mem --seal-batch 4
for m in gb:coordinator us:member de:member; do
  id=${m%%:*}; role=${m##*:}
  "$W" keygen --out "$T/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$OPKEY" --id "$id" --name "$id" --role "$role" \
    --pubkey-file "$T/$id.key" >/dev/null
done
"$W" keygen --out "$T/xa.key" --member xa >/dev/null
"$W" keygen --out "$T/xb.key" --member xb >/dev/null
size0=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
out=$("$W" member add --server "$URL" --key "$OPKEY" --id xa --name "Xanadu (fictional)" \
  --role member --pubkey-file "$T/xa.key" --sealed)
check "the operator adds a member sealed, and gets a receipt" grep -q '^receipt verified' <<<"$out"
"$W" member add --server "$URL" --key "$OPKEY" --id xb --name "Xebec (fictional)" \
  --role member --pubkey-file "$T/xb.key" --sealed >/dev/null

pub=$(curl -s "$URL/api/v1/members")
check "the public member list does not show sealed members" \
  sh -c "! grep -q '\"xa\"\|Xanadu\|\"xb\"' <<'X'
$pub
X"
all=$("$W" member list --server "$URL" --key "$T/gb.key")
check "the coordinator sees them, invited" grep -q '^xa .* invited .*(sealed)' <<<"$all"
mine=$("$W" member list --server "$URL" --key "$T/xa.key")
check "a sealed member sees itself, not the other sealed one" \
  sh -c "grep -q '^xa ' <<'X'
$mine
X
! grep -q '^xb ' <<'X'
$mine
X"
out=$("$W" whoami --server "$URL" --key "$T/xa.key")
check "a sealed member's officer signs private requests" grep -q xa <<<"$out"

"$W" member willing --server "$URL" --key "$T/xa.key" >/dev/null
all=$("$W" member list --server "$URL" --key "$T/gb.key")
check "it tells the coordinator privately that it is willing" grep -q '^xa .* willing ' <<<"$all"
pub2=$(curl -s "$URL/api/v1/members")
check "  ... and the public list is unchanged" [ "$pub" = "$pub2" ]

# its public entries are refused: it does not exist in public yet
out=$("$W" append --server "$URL" --key "$T/xa.key" --kind statement --body '{"text":"hello"}' 2>&1 || true)
check "a sealed member cannot sign public entries (not_announced)" grep -q not_announced <<<"$out"
"$W" keygen --out "$T/forger.key" --member xa >/dev/null
f1=$("$W" append --server "$URL" --key "$T/forger.key" --kind statement --body '{"text":"x"}' 2>&1 || true)
"$W" keygen --out "$T/nobody.key" --member zz >/dev/null
f2=$("$W" append --server "$URL" --key "$T/nobody.key" --kind statement --body '{"text":"x"}' 2>&1 || true)
check "a forger learns nothing: the same answer as for a member that does not exist" \
  [ "$(sed 's/[0-9a-f]\{8\}/K/; s/xa/M/' <<<"$f1")" = "$(sed 's/[0-9a-f]\{8\}/K/; s/zz/M/' <<<"$f2")" ]

# it seals pledges; one names xb (not announced) in its condition
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category air_defence --quantity 40 \
  --unit systems --condition "requires(xb)")
P1=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category air_defence --quantity 20 \
  --unit systems --condition "requires(us)")
P2=$(awk '/^sealed/ {print $2; exit}' <<<"$out")
check "a sealed member seals pledges" test "${#P1}:${#P2}" = 64:64

# --json everywhere a script would want it
out=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category training --quantity 3 \
  --unit teams --json)
check "pledge add --json: the receipt, verified" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if o["receipt_verified"] and o["body"]["category"]=="training" else 1)' "$out"
out=$("$W" pledge list --server "$URL" --key "$T/xa.key" --json)
check "pledge list --json: the pledges kept here" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if len([p for p in o if p["kind"]=="pledge"])==3 else 1)' "$out"
out=$("$W" member list --server "$URL" --key "$T/gb.key" --json)
check "member list --json: the coordinator's view" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if o["view"]=="coordinator" and any(m["member"]=="xa" and m["sealed"] for m in o["members"]) else 1)' "$out"

# drafts: kept here, nothing sent, until submitted
n0=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
out=$("$W" pledge add --key "$T/xa.key" --category logistics --quantity 12 --unit ships --draft)
D=$(awk '/^draft/ {print $2}' <<<"$out")
check "a draft is kept locally (mode 0600)" \
  [ "$(stat -c %a "$XDG_STATE_HOME/willing/drafts/$D.json")" = 600 ]
check "  ... listed by willing pledge drafts" sh -c "'$W' pledge drafts | grep -q '^$D logistics'"
out=$("$W" pledge submit --server "$URL" --key "$T/xa.key" "$D")
check "  ... and sealed when submitted (the draft is gone)" \
  sh -c "grep -q '^sealed ' <<'X'
$out
X
[ ! -e '$XDG_STATE_HOME/willing/drafts/$D.json' ]"

# announcing before the membership's envelope is out is refused; wait for the batch
wait_envelope "$T/xa.key" "$P2"
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$P2" 2>&1 || true)
check "a pledge cannot be announced before its member announces" grep -q not_announced <<<"$out"

# refused (409 not_yet_published) until the batch of its sealed member.add is out
announce() {
  "$W" member announce --server "$URL" --key "$T/xa.key" >"$T/announce.out" 2>&1 ||
    ! grep -Eq 'not_yet_published|announce after that' "$T/announce.out"
}
wait_for "the membership's envelope, to announce" announce
check "the member announces itself" grep -q '^xa announced' "$T/announce.out"
pub=$(curl -s "$URL/api/v1/members")
check "  ... and is now in the public list, announced" \
  python3 -c 'import json,sys; m=[x for x in json.loads(sys.argv[1])["members"] if x["member"]=="xa"]; sys.exit(0 if m and m[0]["status"]=="announced" else 1)' "$pub"
check "  ... xb still is not" sh -c "! grep -q '\"xb\"' <<'X'
$pub
X"
out=$("$W" member announce --server "$URL" --key "$T/xa.key" 2>&1 || true)
check "announcing twice is refused" grep -q "already a public member" <<<"$out"

out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$P1" 2>&1 || true)
check "an announced pledge may not name an unannounced member (names_unannounced)" \
  grep -q names_unannounced <<<"$out"
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$P2")
check "its pledge naming a public member is announced" grep -q '^index' <<<"$out"

# a third party replays the public log: xa's key and announced pledge verify
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
wait_checkpoint "$size"
out=$("$W" verify "$URL" --vkey "$VKEY" 2>&1 || true)
echo "$out" >"$T/verify.out"; check "a third party replays the whole public log (verify)" grep -q "OK:" <<<"$out"

cov=$(curl -s "$URL/api/v1/coverage")
check "its announced pledge counts in the public coverage" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if [p for p in o["pledges"] if p["member"]=="xa"] else 1)' "$cov"
out=$("$W" fetch --key "$T/gb.key" "$URL/api/v1/coverage?view=coordinator&limit=1&offset=1")
check "the coordinator's coverage pages its pledges (pledges_total, offset, limit)" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if o["pledges_total"]==4 and len(o["pledges"])==1 and o["offset"]==1 else 1)' "$out"
st=$(status GET "/api/v1/coverage?limit=x")
check "a malformed page is a 400" [ "$st" = 400 ]

# withdrawn: in public, by the member
"$W" member withdraw --server "$URL" --key "$T/xa.key" >/dev/null
pub=$(curl -s "$URL/api/v1/members")
check "an announced member withdraws in public" \
  python3 -c 'import json,sys; m=[x for x in json.loads(sys.argv[1])["members"] if x["member"]=="xa"]; sys.exit(0 if m[0]["status"]=="withdrawn" else 1)' "$pub"
cov=$(curl -s "$URL/api/v1/coverage")
check "  ... and its pledges stop counting (the cached view follows the change)" \
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(1 if [p for p in o["pledges"] if p["member"]=="xa"] else 0)' "$cov"
finish
