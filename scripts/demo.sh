#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates the demo ledger for `make run` when there is none: the operator, a
# few members, and public statements (illustrative data, each with its
# source). Appends go through a real daemon on a temporary loopback port.
# Usage: scripts/demo.sh path/to/willing path/to/willing.db
set -euo pipefail
W=$(readlink -f "$1")
DB=$2
[ -e "$DB" ] && exit 0

dir=$(dirname "$DB")
mkdir -p "$dir/keys"
chmod 700 "$dir" "$dir/keys"
ORIGIN=demo.willing.example/coalition
echo "demo: creating $DB (illustrative data)" >&2
"$W" init --db "$DB" --origin "$ORIGIN" --operator cell --name "Coordination cell (illustrative)" \
  | tee "$dir/verifier-key.txt" >&2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$W" serve --db "$DB" --listen 127.0.0.1:$port --interval 100 2>"$dir/demo-load.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fs -o /dev/null "$URL/log/checkpoint" && break; sleep 0.05; done

member() { # id role name
  "$W" keygen --out "$dir/keys/$1.key" --member "$1" >/dev/null
  "$W" member add --server "$URL" --key "$DB.operator.key" --id "$1" --role "$2" --name "$3" \
    --pubkey-file "$dir/keys/$1.key" >/dev/null
}
say() { # id text source
  local body
  body=$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1], "source": sys.argv[2], "illustrative": True}, ensure_ascii=False))' "$2" "$3")
  local key=$dir/keys/$1.key
  [ "$1" = cell ] && key=$DB.operator.key
  "$W" append --server "$URL" --key "$key" --kind statement --body "$body" >/dev/null
}

member gb coordinator "United Kingdom"
member fr coordinator "France"
member ua host "Ukraine"
member it member "Italy"
member pl member "Poland"
say cell "Demo ledger: illustrative data, not real commitments. willing is not for classified information." \
  "willing demo"
say gb "Co-lead, with France, of the coalition of the willing; prepared to back a peace deal with boots on the ground and planes in the air, together with others." \
  "UK Prime Minister, press conference after the London summit on Ukraine, 2 March 2025"
say fr "Co-lead, with the United Kingdom, of the work on security guarantees for Ukraine." \
  "London summit on Ukraine, 2 March 2025; Paris meeting of the coalition, 27 March 2025"
say ua "Ukraine must be at the table in any talks; it is the host nation of any reassurance force." \
  "London summit on Ukraine, 2 March 2025"
say it "Will not send ground troops." "Italian government statements, March 2025"
say pl "Will lead on logistics; no troops to Ukraine." "Polish government statements, 2025"

for _ in $(seq 1 40); do
  [ "$(curl -fs "$URL/log/checkpoint" | sed -n 2p)" -ge 12 ] && break
  sleep 0.05
done
echo "demo: $(curl -fs "$URL/log/checkpoint" | sed -n 2p) entries; member keys in $dir/keys/" >&2
