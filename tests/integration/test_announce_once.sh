#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sealed content is announced once: a second announcement of the same sealed
# entry (another entry, same salt and content) is refused with 409
# already_announced as JSON, and nothing is stored.
source "$(dirname "$0")/lib.sh"

new_ledger once
SEAL=1 start_server once --seal-batch 4
ORIGIN=test.example/once
"$W" keygen --out "$T/xa.key" --member xa >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id xa --name xa --role member \
  --pubkey-file "$T/xa.key" >/dev/null
ID=$("$W" pledge add --server "$URL" --key "$T/xa.key" --category logistics --quantity 4 \
  --unit aircraft | awk '/^sealed/ {print $2; exit}')
wait_envelope "$T/xa.key" "$ID" "$T/show.json" || true
check "the pledge's envelope is published" grep -q '"envelope": [0-9]' "$T/show.json"
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$ID" 2>&1 || true)
check "its author announces it" grep -q '^index [0-9]' <<<"$out"

# the same announcement again, as another entry (another seq), straight to the API
body=$(python3 - "$T/show.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(json.dumps({"sealed": s["envelope"], "salt": s["salt"], "content": s["content"]}))
PY
)
"$W" append --origin "$ORIGIN" --output "$T/again.note" --key "$T/xa.key" --kind announce --body "$body"
python3 -c 'import base64,json,sys; print(json.dumps({"entry": base64.b64encode(open(sys.argv[1],"rb").read()).decode()}))' \
  "$T/again.note" >"$T/req.json"
size_before=$(curl -fs "$URL/api/v1/entries?kind=announce" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
st=$(status POST /api/v1/entries -H 'Content-Type: application/json' --data-binary @"$T/req.json")
check "a second announcement of the same sealed entry is refused (409)" [ "$st" = 409 ]
check "  ... with a JSON error naming it" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
assert b["error"] == "already_announced" and "announced already" in b["message"], b' "$T/body"
size_after=$(curl -fs "$URL/api/v1/entries?kind=announce" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
check "  ... and nothing is stored (announcements: $size_before, then $size_after)" \
  [ "$size_before $size_after" = "1 1" ]
out=$("$W" pledge announce --server "$URL" --key "$T/xa.key" "$ID" 2>&1 || true)
check "the CLI's second announce is refused too" grep -q already_announced <<<"$out"
check "the server keeps serving" [ "$(status GET /log/checkpoint)" = 200 ]
finish
