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

# the map's files: Leaflet and the simplified boundaries, each from its own directory only
code() { curl --path-as-is -s -o "$T/got" -w '%{http_code} %{content_type}' "$URL$1"; }
check "GET /vendor/leaflet/leaflet.esm.js: Leaflet from libjs-leaflet, as JavaScript" \
  sh -c '[ "$1" = "200 text/javascript; charset=utf-8" ] && grep -q "export {" "$2"' _ \
  "$(code /vendor/leaflet/leaflet.esm.js)" "$T/got"
check "GET /geo/ukraine-oblasts.geojson: the 27 oblasts as the build simplified them" \
  sh -c '[ "$1" = "200 application/geo+json" ] && python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"features\"])==27
assert all(f[\"properties\"][\"name\"] for f in d[\"features\"])" "$2"' _ \
  "$(code /geo/ukraine-oblasts.geojson)" "$T/got"
for bad in /vendor/leaflet/../leaflet/leaflet.css /vendor/leaflet/../../../../etc/passwd \
  /vendor/leaflet/%2e%2e/leaflet/leaflet.js /geo/../deal.html /vendor/leaflet//leaflet.css \
  /vendor/leaflet/leaflet.js.map /geo/ukraine-oblasts.geojson.tmp; do
  check "GET $bad: 404, nothing outside the directory or of an unknown type" \
    sh -c '[ "${1%% *}" = 404 ]' _ "$(code "$bad")"
done

cd "$SRC/tests/browser"
if node deal.mjs "$URL" "$T" "$S1" "$S2" "$(sha "$T/text1.txt")" "$(sha "$T/a1.txt")" \
  "$(sha "$T/text2.txt")"; then
  ok "the deal page in Chromium (deal.mjs)"
else
  not_ok "the deal page in Chromium (deal.mjs)"
fi

# the page's data follows the register: a zone set after the list and the containment
# index were read (and kept) is in both at once
has_late() { curl -fs "$URL$1" | grep -q '"late-1"'; }
check "the zones list and contains do not name a zone before it is set" \
  sh -c '! curl -fs "$1/api/v1/zones" | grep -q late-1 && ! curl -fs "$1/api/v1/zones/contains?lon=25.05&lat=45.05" | grep -q late-1 &&
    ! "$2" zone list --server "$1" --key "$3" | grep -q late-1' _ "$URL" "$W" "$T/co.key"
printf '{"type":"Polygon","coordinates":[[[25,45],[25.1,45],[25.1,45.1],[25,45.1],[25,45]]]}' >"$T/late.geojson"
zone --zone late-1 --type exclusion --geometry "$T/late.geojson" >/dev/null
check "GET /api/v1/zones names the zone set after it was last read" has_late /api/v1/zones
check "GET /api/v1/zones/contains finds the point in the zone set after the index was built" \
  has_late "/api/v1/zones/contains?lon=25.05&lat=45.05"
check "  ... and the coordinator's exact list too" sh -c \
  "'$W' zone list --server '$URL' --key '$T/co.key' | grep -q late-1"
finish
