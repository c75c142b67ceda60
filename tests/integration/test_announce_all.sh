#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A sealed member's announcement reveals all of its membership (issue 14,
# point 5): the operator's sealed key.add that comes 65th among the sealed
# items naming the member (after 63 of its own sealed member.status) is
# announced with its member.add, and that key then signs in public. The
# daemon used to read the first 64 items only and left the key sealed.
source "$(dirname "$0")/lib.sh"

new_ledger all
SEAL=1 start_server all --seal-batch 4
"$W" keygen --out "$T/xa.key" --member xa >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id xa --name xa --role member \
  --pubkey-file "$T/xa.key" --sealed >/dev/null
for i in $(seq 63); do
  "$W" member willing --server "$URL" --key "$T/xa.key" >/dev/null
done
K2=$("$W" keygen --out "$T/xa2.key" --member xa | awk '/^public key:/ {print $3}')
"$W" seal --server "$URL" --key "$OPKEY" --kind key.add \
  --body "{\"member\":\"xa\",\"key\":\"$K2\",\"scope\":\"sign\"}" >/dev/null
items=$("$W" fetch --key "$T/xa.key" "$URL/api/v1/sealed?limit=1000" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sealed"]))')
check "65 sealed items name xa, its second key the last ($items)" [ "$items" = 65 ]

announce() {
  "$W" member announce --server "$URL" --key "$T/xa.key" >"$T/announce.out" 2>&1 ||
    ! grep -Eq 'not_yet_published|announce after that' "$T/announce.out"
}
WAIT_SECONDS=90 wait_for "the envelopes of xa's membership, to announce" announce
check "xa announces itself" grep -q '^xa announced' "$T/announce.out"
n=$(curl -fs "$URL/api/v1/entries?kind=announce" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
check "both its member.add and the 65th item, its key.add, are announced ($n)" [ "$n" = 2 ]
out=$("$W" append --server "$URL" --key "$T/xa2.key" --kind statement --body '{"text":"hi"}' 2>&1 || true)
check "the announced second key signs in public" grep -q '^index [0-9]' <<<"$out"
check "the server keeps serving" [ "$(status GET /log/checkpoint)" = 200 ]
finish
