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
# every inclusion proof of the API, for every index, checked by an independent
# RFC 9162 verifier (Python) against the signed root; twice, to cross the caches
size=$(curl -s "$URL/log/checkpoint" | sed -n 2p)
out=$(python3 - "$URL" <<'PY'
import base64,hashlib,json,sys,urllib.request
url=sys.argv[1]
cp=urllib.request.urlopen(url+"/log/checkpoint").read().decode().split("\n")
size,root=int(cp[1]),base64.b64decode(cp[2])
H=lambda b: hashlib.sha256(b).digest()
def verify(leaf,i,n,proof):
    fn,sn,r=i,n-1,leaf
    for p in proof:
        if sn==0: return False
        if fn&1 or fn==sn:
            r=H(b"\x01"+p+r)
            while not fn&1 and fn!=0: fn>>=1; sn>>=1
        else:
            r=H(b"\x01"+r+p)
        fn>>=1; sn>>=1
    return sn==0 and r==root
bad=0
for rnd in range(2):
    for i in range(size):
        e=json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))
        leaf=H(b"\x00"+base64.b64decode(e["entry"]))
        pr=json.load(urllib.request.urlopen("%s/api/v1/proof/inclusion?index=%d&size=%d"%(url,i,size)))
        if not verify(leaf,i,size,[base64.b64decode(x) for x in pr["proof"]]): bad+=1
print(bad)
PY
)
check "all $size API inclusion proofs verify independently" [ "$out" = 0 ]
finish
