# SPDX-License-Identifier: Apache-2.0
# Sourced by test_daily.sh and tests/browser/test_daily_console.sh, after lib.sh: a ledger
# (NAME given as $1) with two monitors and a coordinator, a buffer zone bz around Donetsk,
# and eight reports around the day 2026-03-29 (R1..R8, their entry indexes; R5 and R6 fall
# outside that day's period, 16:45Z on the 29th and 17:20Z on the 28th). Every figure the
# tests expect follows from these by hand. t ISO: unix seconds.
new_ledger "$1"
start_server "$1"
for m in mon:monitor mon2:monitor coord:coordinator; do new_member "${m%%:*}" "${m##*:}"; done

# a buffer zone around Donetsk (37.6-38.0 E, 47.9-48.2 N), illustrative
printf '{"type":"Polygon","coordinates":[[[37.6,47.9],[38.0,47.9],[38.0,48.2],[37.6,48.2],[37.6,47.9]]]}' >"$T/bz.geojson"
"$W" zone set --server "$URL" --key "$T/coord.key" --zone bz --type buffer --geometry "$T/bz.geojson" \
  --text "illustrative" >/dev/null

t() { date -u -d "$1" +%s; } # an ISO time as unix seconds
post_report() { # MEMBER BODY: the index of the report logged
  rm -f "$T/r.note"
  "$W" append --output "$T/r.note" --origin "$LEDGER_ORIGIN" --key "$T/$1.key" --kind monitor.report \
    --body "$2" >/dev/null
  st=$(status POST /api/v1/entries -H 'Content-Type: application/json' \
    --data "{\"entry\":\"$(base64 -w0 "$T/r.note")\"}")
  [ "$st" = 201 ] || { echo "report refused: $st $(cat "$T/body")" >&2; return 1; }
  json_field index
}
at() { echo "\"location\":{\"lon\":$1,\"lat\":$2,\"radius_m\":500}"; }

# Day 2026-03-29 (EET until 01:00 UTC, EEST after): its period is [03-28 17:30Z, 03-29 16:30Z)
R1=$(post_report mon "{\"observed\":$(t 2026-03-29T08:00:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\",\"count\":5}")
R2=$(post_report mon2 "{\"observed\":$(t 2026-03-29T09:00:00Z),\"precision_s\":3600,$(at 37.75 48.05),\"type\":\"weapon_in_violation\",\"weapon\":{\"type\":\"tank\",\"count\":3}}")
R3=$(post_report mon "{\"observed\":$(t 2026-03-29T10:00:00Z),\"precision_s\":600,\"location\":{\"oblast\":\"zaporizhzhia\",\"settlement\":\"Vasylivka\"},\"type\":\"restriction\",\"restriction\":\"denial\",\"text\":\"denied passage at a checkpoint\"}")
R4=$(post_report mon "{\"observed\":$(t 2026-03-29T12:00:00Z),\"precision_s\":3600,$(at 36.23 49.99),\"type\":\"civilian_casualties\",\"count\":2}")
R5=$(post_report mon "{\"observed\":$(t 2026-03-29T16:45:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"explosion\",\"count\":7}")
R6=$(post_report mon2 "{\"observed\":$(t 2026-03-28T17:20:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"projectile\"}")
R7=$(post_report mon2 "{\"observed\":$(t 2026-03-28T17:40:00Z),\"precision_s\":600,$(at 37.80 48.02),\"type\":\"projectile\"}")
R8=$(post_report mon "{\"observed\":$(t 2026-03-29T16:29:00Z),\"precision_s\":600,$(at 30.52 50.45),\"type\":\"bursts_shots\",\"count\":4}")
check "eight reports logged" [ -n "$R8" ]

