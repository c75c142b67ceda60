#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interop: the Go checksum database packages from Debian (sumdb/note and
# sumdb/tlog, built offline) verify the daemon's checkpoint signature, an
# entry's note signature, and inclusion and consistency proofs from tiles.
source "$(dirname "$0")/lib.sh"

export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$T/gocache GOFLAGS=
export GOTOOLCHAIN=local
go build -o "$T/tlogcheck" "$SRC/tests/interop/tlogcheck.go"

new_ledger iop
start_server iop
mvk=$("$W" keygen --out "$T/uk.key" --member uk | awk '/^verifier key:/ {print $3}')
"$W" member add --server "$URL" --key "$OPKEY" --id uk --name UK --role member --pubkey-file "$T/uk.key" >/dev/null
for i in $(seq 1 5); do
  "$W" append --server "$URL" --key "$T/uk.key" --kind statement --body "{\"text\":\"early $i\"}" >/dev/null
done
wait_checkpoint 7
curl -s "$URL/log/checkpoint" >"$T/old.cp"
# grow past a full tile (256) so that level-1 tiles and partials are exercised
"$W" keygen --out "$T/m.key" --member m >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id m --name M --role member --pubkey-file "$T/m.key" >/dev/null
"$(dirname "$W")/willing-loadgen" --key "$T/m.key" --origin test.example/iop --port "${URL##*:}" \
  --count 600 --clients 4 >/dev/null
"$W" append --server "$URL" --key "$T/uk.key" --kind statement --body '{"text":"late"}' >/dev/null
wait_checkpoint 609
out=$("$T/tlogcheck" "$URL" "$VKEY" "$mvk" 3 "$T/old.cp" 2>&1) && ok "Go sumdb/tlog verifies the log" || not_ok "Go sumdb/tlog: $out"
echo "$out"
idx=$(( $(curl -s "$URL/log/checkpoint" | sed -n 2p) - 1 ))
out=$("$T/tlogcheck" "$URL" "$VKEY" "$mvk" "$idx" "$T/old.cp" 2>&1) && ok "Go verifies the last entry too" || not_ok "Go, last entry: $out"
finish
