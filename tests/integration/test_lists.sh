#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lists are never cut short without saying so (include/willing/limits.h names
# every limit): GET /api/v1/sealed pages with `next` until every item was
# listed; a member's 17th key is refused (16 over its life, revoked ones
# included) rather than left unread; a CSV that would pass its byte limit is
# refused whole, naming the limit, never cut.
source "$(dirname "$0")/lib.sh"

new_ledger lists
SEAL=3600 start_server lists
"$W" keygen --out "$T/m.key" --member m >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id m --name M --role member --pubkey-file "$T/m.key" >/dev/null
"$W" keygen --out "$T/o.key" --member o >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id o --name O --role member --pubkey-file "$T/o.key" >/dev/null

# more sealed items than one page holds (1,000)
"$(dirname "$W")/willing-loadgen" --key "$T/m.key" --origin test.example/lists --port "${URL##*:}" \
  --count 1010 --clients 4 --sealed >/dev/null
"$W" pledge add --server "$URL" --key "$T/o.key" --category maritime --quantity 1 --unit ships >/dev/null
# page KEY [LIMIT]: follows `next` from the first page; prints items, unique ids, pages, first page's size
page() {
  python3 - "$W" "$1" "$URL" "${2:-}" <<'PY'
import json, subprocess, sys
w, key, url, limit = sys.argv[1:5]
path, ids, sizes = "/api/v1/sealed" + ("?limit=" + limit if limit else ""), [], []
while path and len(sizes) < 50:
    o = json.loads(subprocess.run([w, "fetch", "--key", key, url + path], check=True,
                                  capture_output=True).stdout)
    ids += [s["id"] for s in o["sealed"]]
    sizes.append(len(o["sealed"]))
    path = o.get("next")
print(len(ids), len(set(ids)), len(sizes), sizes[0])
PY
}
check "GET /api/v1/sealed: all 1,010 items, 1,000 in the first page, the rest behind next" \
  [ "$(page "$T/m.key")" = "1010 1010 2 1000" ]
check "?limit=400: three pages hold them all" [ "$(page "$T/m.key" 400)" = "1010 1010 3 400" ]
check "another member's list: only its own item" [ "$(page "$T/o.key")" = "1 1 1 1" ]
oid=$("$W" fetch --key "$T/o.key" "$URL/api/v1/sealed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sealed"][0]["id"])')
for bad in 'limit=0' 'limit=1001' 'limit=x' 'after=zz' "after=$oid"; do
  st=$("$W" fetch --key "$T/m.key" --status "$URL/api/v1/sealed?$bad" 2>/dev/null | head -1 || true)
  check "GET /api/v1/sealed?$bad: 400" grep -q '^400' <<<"$st"
done

# keys: 16 over a member's life; the 17th is refused, not left unread
addkey() {
  local pk
  pk=$("$W" keygen --out "$T/k$1.key" --member m | awk '/^public key:/ {print $3}')
  "$W" append --server "$URL" --key "$T/m.key" --kind key.add --json \
    --body "{\"member\":\"m\",\"key\":\"$pk\",\"scope\":\"${2:-login}\"}" 2>&1 || true
}
for i in $(seq 2 15); do addkey "$i" >/dev/null; done
out=$(addkey 16 sign)
check "the 16th key is added" grep -q '"index"' <<<"$out"
check "a member's 16 keys all sign: the last one added works" sh -c "\"$W\" whoami --server $URL --key $T/k16.key >/dev/null"
out=$(addkey 17)
check "the 17th key is refused: 409 too_many_keys, naming the limit" \
  python3 -c 'import sys; o=sys.argv[1]; sys.exit(0 if "too_many_keys" in o and "16 keys" in o and "409" in o else 1)' "$out"

# CSV: a listing past WL_CSV_MAX_BYTES (8 MiB) is refused, naming the limit. 360
# statements of 4,000 control characters, each 24 KB as JSON in the CSV (8.7 MB)
"$W" keygen --out "$T/big.key" --member big >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id big --name B --role member --pubkey-file "$T/big.key" >/dev/null
"$(dirname "$W")/willing-loadgen" --key "$T/big.key" --origin test.example/lists --port "${URL##*:}" \
  --count 360 --clients 2 --body-bytes 4000 --control-pad >/dev/null
st=$(status GET '/api/v1/entries?author=big&limit=360&format=csv')
check "a CSV past 8 MiB: 400 too_large naming the limit" \
  sh -c "[ $st = 400 ] && grep -q WL_CSV_MAX_BYTES '$T/body'"
st=$(status GET '/api/v1/entries?author=big&limit=300&format=csv')
check "fewer rows: the CSV whole (a header and 300 rows)" \
  sh -c "[ $st = 200 ] && python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=\"\"))); sys.exit(0 if len(r) == 301 and all(len(x) == 6 for x in r) else 1)' '$T/body'"
finish
