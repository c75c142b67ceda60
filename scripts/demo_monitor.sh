#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitors' part of the demo ledger (scripts/demo.sh calls it): three fictional
# monitoring teams, and an illustrative, fictional week of their reports (about 350, a
# quarter of the events seen by two teams, so the map shows incidents)
# around the demo deal's contact line and buffer zone, every report's text marked
# ILLUSTRATIVE; then UCDP's recorded history of Ukraine (tests/fixtures/ucdp, CC BY 4.0,
# credited wherever it is shown) imported by the coordinator as the baseline. The
# reports are signed offline by their monitors (willing append --output) and posted in
# one batch, all or none. The week ends now, so /monitor opens on it.
# Usage: scripts/demo_monitor.sh WILLING URL DIR DB ORIGIN
set -euo pipefail
W=$1 URL=$2 dir=$3 DB=$4 ORIGIN=$5
SRC=$(cd "$(dirname "$0")/.." && pwd)

for m in alpha:Alpha bravo:Bravo charlie:Charlie; do
  id=mon-${m%%:*}
  "$W" keygen --out "$dir/keys/$id.key" --member "$id" >/dev/null
  "$W" member add --server "$URL" --key "$DB.operator.key" --id "$id" --role monitor \
    --name "Monitoring team ${m##*:} (fictional)" --pubkey-file "$dir/keys/$id.key" >/dev/null
done

# The week's reports, one line each: MONITOR<TAB>BODY. Seeded, so every demo has the same
# places and types; the times are counted back from now.
mkdir -p "$dir/reports"
python3 - "$(date +%s)" >"$dir/reports/bodies.tsv" <<'PY'
import json, random, sys
now = int(sys.argv[1]); rnd = random.Random(20261202)
line = [(37.0, 50.0), (37.5, 49.0), (38.0, 48.0), (37.5, 47.0)]  # the demo's contact line
hot = [(37.25, 49.5), (37.9, 48.2), (37.7, 47.4)]                 # where it is loudest
types = [("explosion", 34), ("projectile", 15), ("muzzle_flash", 10), ("bursts_shots", 20),
         ("weapon_in_violation", 8), ("restriction", 7), ("civilian_infrastructure_damage", 4),
         ("civilian_casualties", 2)]
words = {"explosion": "explosions heard and seen", "projectile": "projectiles in flight",
         "muzzle_flash": "muzzle flashes", "bursts_shots": "bursts and shots of small-arms fire",
         "weapon_in_violation": "heavy weapons seen inside the withdrawal area",
         "restriction": "the team's movement restricted",
         "civilian_infrastructure_damage": "fresh damage to a civilian building",
         "civilian_casualties": "civilian casualties reported to the team"}
oblasts = ["donetsk", "luhansk", "kharkiv", "zaporizhzhia"]
def near_line():
    if rnd.random() < 0.45:
        x, y = rnd.choice(hot); return x + rnd.gauss(0, 0.04), y + rnd.gauss(0, 0.03)
    i = rnd.randrange(len(line) - 1); t = rnd.random()
    (x1, y1), (x2, y2) = line[i], line[i + 1]
    return x1 + t * (x2 - x1) + rnd.uniform(-0.3, 0.3), y1 + t * (y2 - y1) + rnd.uniform(-0.1, 0.1)
for day in range(7):
    for mon in ("mon-alpha", "mon-bravo", "mon-charlie"):
        for _ in range(rnd.randint(11, 17)):
            t = rnd.choices([t for t, _ in types], [w for _, w in types])[0]
            observed = now - day * 86400 - rnd.randint(900, 86400 - 60)
            b = {"observed": observed, "precision_s": rnd.choice([600, 600, 1800, 3600])}
            if t == "restriction" and rnd.random() < 0.5:
                b["location"] = {"oblast": rnd.choice(oblasts)}
            else:
                x, y = near_line()
                b["location"] = {"lon": round(x, 4), "lat": round(y, 4),
                                 "radius_m": rnd.choice([500, 1000, 2000, 5000])}
            b["type"] = t
            if t == "restriction":
                b["restriction"] = rnd.choice(["denial", "delay", "conditional", "jamming_gps", "jamming_drone"])
            elif t == "weapon_in_violation":
                b["weapon"] = {"type": rnd.choice(["tank", "artillery", "mlrs", "mortar"]), "count": rnd.randint(1, 6)}
            else:
                b["count"] = rnd.randint(1, 30) if t in ("explosion", "bursts_shots") else rnd.randint(1, 5)
                if rnd.random() < 0.5:
                    b["direction"] = rnd.choice(["N", "NE", "E", "SE", "S", "SW", "W", "NW"])
                    b["distance_m"] = rnd.choice([500, 1000, 2000, 3000, 5000])
            b["text"] = ("ILLUSTRATIVE: fictional report made up for willing's demo, not a real "
                         "observation: " + words[t] + ".")
            print(mon + "\t" + json.dumps(b, separators=(",", ":")))
            # a quarter of what is seen is seen by another team too: one incident of two
            if t != "restriction" and "lon" in b["location"] and rnd.random() < 0.25:
                c = json.loads(json.dumps(b))
                c["observed"] += rnd.randint(60, 480)
                c["location"]["lon"] = round(c["location"]["lon"] + rnd.uniform(-0.004, 0.004), 4)
                c["location"]["lat"] = round(c["location"]["lat"] + rnd.uniform(-0.003, 0.003), 4)
                other = rnd.choice([m for m in ("mon-alpha", "mon-bravo", "mon-charlie") if m != mon])
                print(other + "\t" + json.dumps(c, separators=(",", ":")))
PY

# each signed by its monitor, offline (a seq of its own each, so they may be signed side by
# side), then posted in one batch: all stored or none
base=$(($(date +%s) * 1000000))
n=0
while IFS=$'\t' read -r mon body; do
  n=$((n + 1))
  printf '%s\n' "$body" >"$dir/reports/$n.json"
  rm -f "$dir/reports/$n.note"
  printf '%s %s %s\n' "$n" "$mon" "$((base + n))"
done <"$dir/reports/bodies.tsv" >"$dir/reports/jobs.txt"
xargs -P "$(nproc)" -L 1 sh -c '"$0" append --origin "$1" --output "$2/$4.note" --key "$3/$5.key" \
  --kind monitor.report --seq "$6" --body "@$2/$4.json" >/dev/null' \
  "$W" "$ORIGIN" "$dir/reports" "$dir/keys" <"$dir/reports/jobs.txt"
python3 - "$dir/reports" "$n" >"$dir/reports/batch.json" <<'PY'
import base64, json, sys
d, n = sys.argv[1], int(sys.argv[2])
print(json.dumps({"entries": [base64.b64encode(open(f"{d}/{i}.note", "rb").read()).decode()
                              for i in range(1, n + 1)]}))
PY
st=$(curl -s -o "$dir/reports/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$dir/reports/batch.json" "$URL/api/v1/entries:batch")
if [ "$st" != 201 ] && [ "$st" != 200 ]; then
  echo "demo: the monitors' reports were refused ($st): $(head -c 300 "$dir/reports/answer.json")" >&2
  exit 1
fi
rm -f "$dir"/reports/[0-9]*.json "$dir"/reports/*.note "$dir/reports/batch.json" "$dir/reports/jobs.txt"
echo "demo: $n illustrative monitors' reports over the last 7 days (3 fictional teams)" >&2

# UCDP's history as the baseline (CC BY 4.0: Uppsala Conflict Data Program)
"$W" history import-ucdp --server "$URL" --key "$dir/keys/gb.key" \
  "$SRC/tests/fixtures/ucdp/ged-ukraine.csv" >"$dir/reports/ucdp-import.txt"
echo "demo: UCDP's recorded events of Ukraine imported as history (UCDP GED, CC BY 4.0)" >&2
