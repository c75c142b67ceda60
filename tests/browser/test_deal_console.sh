#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The deal page in Chromium (tests/browser/deal.mjs), against the real daemon with a
# deal written by the CLI as in the demo: zones and sites (willing zone set, from the
# illustrative fixtures), a first public version signed by the second party, then a
# private amendment with another title, text and annex and more zones, signed by both
# parties, Ukraine (the host) last; a witness cosigns the checkpoints. The page must show
# the versions and what changed, each signature and when, "in force since" with the
# witness-cosigned checkpoint; documents downloaded and checked in the browser ("matches",
# and a mismatch when the bytes served differ); private documents to a party only; the
# map with the oblasts and every zone, loaded from 127.0.0.1 alone; sites coarse to the
# public, exact to the host nation.
# Usage: test_deal_console.sh path/to/willing
source "$(dirname "$0")/../integration/lib.sh"

[ -x /usr/bin/chromium ] || { echo "not ok - /usr/bin/chromium missing: run scripts/deps.sh --test"; exit 1; }
[ -d "$SRC/tests/browser/node_modules/playwright-core" ] ||
  { echo "not ok - playwright-core missing: run scripts/deps.sh --test"; exit 1; }

FX=$SRC/tests/fixtures/zones
new_ledger dl
start_witness w1
start_server dl --witness "$WURL+$WVK"
new_member co coordinator
new_member ua host
new_member os party
new_member xa member
for id in ua xa; do
  pk=$("$W" keygen --out "$T/$id-login.key" --member "$id" --scope login | awk '/^public key:/ {print $3}')
  "$W" append --server "$URL" --key "$T/$id.key" --kind key.add \
    --body "{\"member\":\"$id\",\"key\":\"$pk\",\"scope\":\"login\"}" >/dev/null
done

zone() { "$W" zone set --server "$URL" --key "$T/co.key" "$@" | awk '/^index / {print $2}'; }
CL=$(zone --zone contact --type contact_line --geometry "$FX/contact_line.geojson" --text "illustrative")
WU=$(zone --zone wl-ua --type withdrawal_line --side ua --measured-from contact --geometry "$FX/withdrawal_north.geojson")
WO=$(zone --zone wl-os --type withdrawal_line --side os --measured-from contact --geometry "$FX/withdrawal_south.geojson")
BU=$(zone --zone buffer-1 --type buffer --geometry "$FX/buffer.geojson")
EX=$(zone --zone excl-1 --type exclusion --geometry "$FX/exclusion.geojson")
SE=$(zone --zone plant-1 --type site --category energy --precision-km 10 --geometry "$FX/site_energy.geojson")
SW=$(zone --zone water-1 --type site --category water --precision-km 10 --geometry "$FX/site_water.geojson")
check "seven zone versions set with the CLI" sh -c '[ -n "$1" ] && [ -n "$7" ]' _ "$CL" "$WU" "$WO" "$BU" "$EX" "$SE" "$SW"

printf 'Draft agreement, first version (test copy, illustrative)\n' >"$T/text1.txt"
printf 'Draft agreement, second version (test copy, illustrative)\n' >"$T/text2.txt"
printf 'Annex A: the lines (first)\n' >"$T/a1.txt"
printf 'Annex A: the lines (second)\n' >"$T/a2.txt"
printf 'Annex B: protected sites\n' >"$T/b2.txt"
"$W" deal propose --server "$URL" --key "$T/co.key" --deal accord --title "Draft agreement" \
  --text "$T/text1.txt" --annex "Annex A=$T/a1.txt" --party ua --party os \
  --zone "$CL" --zone "$WU" --zone "$WO" --public >"$T/p1.txt"
"$W" deal sign --server "$URL" --key "$T/os.key" --deal accord >"$T/s0.txt"
"$W" deal propose --server "$URL" --key "$T/co.key" --deal accord --title "Draft agreement, amended" \
  --text "$T/text2.txt" --annex "Annex A=$T/a2.txt" --annex "Annex B=$T/b2.txt" --party ua --party os \
  --zone "$CL" --zone "$WU" --zone "$WO" --zone "$BU" --zone "$EX" --zone "$SE" --zone "$SW" >"$T/p2.txt"
"$W" deal sign --server "$URL" --key "$T/os.key" --deal accord >"$T/s1.txt"
"$W" deal sign --server "$URL" --key "$T/ua.key" --deal accord >"$T/s2.txt"
signed_at() { curl -fs "$URL/api/v1/deals/accord" | python3 -c '
import json,sys; v=json.load(sys.stdin)["versions"][1]
print([p["signed"]["index"] for p in v["parties"] if p["member"]==sys.argv[1]][0])' "$1"; }
S1=$(signed_at os)
S2=$(signed_at ua)
check "two versions proposed; the second signed by os (entry $S1), then Ukraine (entry $S2)" \
  sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt "$1" ]' _ "$S1" "$S2"
cosigned() { curl -fs "$URL/api/v1/deals/accord" | python3 -c '
import json,sys; d=json.load(sys.stdin); assert d["status"]=="in_force" and d["in_force_since"]["cosigned"], d' 2>/dev/null; }
wait_for "a witness-cosigned checkpoint after Ukraine's signature" cosigned
sha() { sha256sum "$1" | cut -c1-64; }

cd "$SRC/tests/browser"
if node deal.mjs "$URL" "$T" "$S1" "$S2" "$(sha "$T/text1.txt")" "$(sha "$T/a1.txt")" \
  "$(sha "$T/text2.txt")"; then
  ok "the deal page in Chromium (deal.mjs)"
else
  not_ok "the deal page in Chromium (deal.mjs)"
fi
finish
