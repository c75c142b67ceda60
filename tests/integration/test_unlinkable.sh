#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unlinkability: in the public data, a member with no sealed pledges and a
# member with five cannot be told apart, nor a log with a member that has not
# announced from one without. Two logs, the same public members; in log A
# nobody seals, in log B member m1 seals five pledges, and a sealed member sx
# (never announced) seals one; m1 and sx seal flows on them (issue 9) and the
# host nation h1 confirms one, sealed. Every batch in both
# logs has the same number of envelopes, every envelope the same size, the
# same author and the batch's time; the public coverage, members and flows are
# the same, no public entry names a sealed flow; and an outsider's answer
# about a sealed id is the same whether it exists or not.
source "$(dirname "$0")/lib.sh"

setup() { # NAME: a ledger with members m1 m2 and an outsider key; sets URL_<NAME>
  new_ledger "$1"
  SEAL=1 start_server "$1" --seal-batch 8
  for m in m1:member m2:member m3:member h1:host; do
    [ -f "$T/${m%%:*}.key" ] || "$W" keygen --out "$T/${m%%:*}.key" --member "${m%%:*}" >/dev/null
    "$W" member add --server "$URL" --key "$OPKEY" --id "${m%%:*}" --name "${m%%:*}" \
      --role "${m##*:}" --pubkey-file "$T/${m%%:*}.key" >/dev/null
  done
}
setup una; URLA=$URL
setup unb; URLB=$URL
IDS=()
for i in 1 2 3 4 5; do
  IDS+=("$("$W" pledge add --server "$URLB" --key "$T/m1.key" --category ground_forces \
    --quantity $((1000 * i)) --unit troops | awk '/^sealed/ {print $2; exit}')")
done
"$W" keygen --out "$T/sx.key" --member sx >/dev/null
"$W" member add --server "$URLB" --key "$T/unb.db.operator.key" --sealed --id sx --name sx \
  --role member --pubkey-file "$T/sx.key" >/dev/null
SX=$("$W" pledge add --server "$URLB" --key "$T/sx.key" --category air_policing --quantity 4 \
  --unit aircraft | awk '/^sealed/ {print $2; exit}')

# sealed flows on the sealed pledges (by their pledge ids), one confirmed sealed by the host
pid_of() { "$W" pledge show --server "$URLB" --key "$T/$1.key" --json "$2" |
  python3 -c 'import json,sys,base64; c=base64.b64decode(json.load(sys.stdin)["content"]).decode(); print(json.loads(c.split("\n")[6])["pledge"])'; }
sealed_flow() { # MEMBER SEALED_PLEDGE UNIT: prints the flow's id and its sealed id
  "$W" flow add --server "$URLB" --key "$T/$1.key" --pledge "$(pid_of "$1" "$2")" --stage delivery \
    --date "$(date -u +%Y-%m)" --quantity 7 --unit "$3" --sealed |
    awk '/^flow / {f = $2} /^sealed / {s = $2} END {if (f != "" && s != "") print f "\n" s}'
}
mapfile -t F1 < <(sealed_flow m1 "${IDS[0]}" troops)
mapfile -t F2 < <(sealed_flow m1 "${IDS[1]}" troops)
mapfile -t F3 < <(sealed_flow sx "$SX" aircraft)
C1=$("$W" flow confirm --server "$URLB" --key "$T/h1.key" --flow "${F1[0]}" --received 7 \
  --date "$(date -u +%Y-%m-%d)" --sealed | awk '/^sealed/ {print $2; exit}')
check "m1 and sx seal flows on their sealed pledges, the host confirms one sealed" \
  sh -c "[ -n '${F1[1]:-}' ] && [ -n '${F2[1]:-}' ] && [ -n '${F3[1]:-}' ] && [ -n '$C1' ]"

shape() { # the public shape of a log's envelopes: per batch, count and sizes and authors
  python3 - "$1" <<'PY'
import base64,json,sys,urllib.request,collections
url=sys.argv[1]
size=int(urllib.request.urlopen(url+"/log/checkpoint").read().decode().split("\n")[1])
b=collections.defaultdict(list)
for i in range(size):
    e=json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))
    if e["kind"]=="sealed":
        # a batch is k envelopes, or a multiple of k when more were due (k = 8
        # here): group its slots by 8 so both logs' batches compare whatever
        # number of submissions fell in one interval
        slot=e["seq"]-e["time"]*1000000
        b[(e["time"],slot//8)].append((len(base64.b64decode(e["entry"])),e["author"],slot%8))
out=set()
for t,v in b.items():
    out.add((len(v),tuple(sorted(set((s,a) for s,a,_ in v))),tuple(sorted(x for _,_,x in v))))
print(len(b)); print(sorted(out))
PY
}
# wait until all six are published, and both logs have published two batches
URL=$URLB
for id in "${IDS[@]}"; do wait_envelope "$T/m1.key" "$id"; done
wait_envelope "$T/sx.key" "$SX"
for id in "${F1[1]}" "${F2[1]}"; do wait_envelope "$T/m1.key" "$id"; done
wait_envelope "$T/sx.key" "${F3[1]}"
wait_envelope "$T/h1.key" "$C1"
two_batches() { shape "$1" >"$2" && [ "$(head -1 "$2")" -ge 2 ]; }
wait_for "two batches in log A" two_batches "$URLA" "$T/a.shape"
wait_for "two batches in log B" two_batches "$URLB" "$T/b.shape"
check "both logs published several batches ($(head -1 "$T/a.shape"), $(head -1 "$T/b.shape"))" \
  sh -c "[ $(head -1 "$T/a.shape") -ge 2 ] && [ $(head -1 "$T/b.shape") -ge 2 ]"
check "every batch in both logs: 8 envelopes, one size, one author, seq slots 0-7" \
  sh -c "[ \"\$(sed -n 2p '$T/a.shape')\" = \"\$(sed -n 2p '$T/b.shape')\" ] && grep -q \"(8, (([0-9]*, 'operator'),), (0, 1, 2, 3, 4, 5, 6, 7))\" '$T/b.shape' && [ \$(sed -n 2p '$T/b.shape' | grep -o '(8,' | wc -l) = 1 ]"
curl -s "$URLA/api/v1/coverage" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["pledges"], o["requirements"])' >"$T/a.cov"
curl -s "$URLB/api/v1/coverage" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["pledges"], o["requirements"])' >"$T/b.cov"
check "the public coverage is the same" cmp -s "$T/a.cov" "$T/b.cov"
# (their entry indices may differ: each log's sealer publishes a batch every second,
# empty or not, so a batch may fall between two member.add entries in one log only)
members() { curl -s "$1/api/v1/members" | python3 -c 'import json,sys; print([(m["member"],m["name"],m["role"],m["status"]) for m in json.load(sys.stdin)["members"]])'; }
check "the public members list is the same (the sealed member is in neither)" \
  [ "$(members "$URLA")" = "$(members "$URLB")" ]
flows() { printf '%s ' "$(curl -s -o "$T/f.json" -w '%{http_code}' "$1/api/v1/flows")"; cat "$T/f.json"; }
check "the public flows are the same (none: every flow of log B is sealed)" \
  [ "$(flows "$URLA")" = "$(flows "$URLB")" ]
public_text() { # every public entry's bytes, announced contents decoded, as text
  python3 - "$1" <<'PY'
import base64,json,sys,urllib.request
url=sys.argv[1]
size=int(urllib.request.urlopen(url+"/log/checkpoint").read().decode().split("\n")[1])
for i in range(size):
    print(base64.b64decode(json.load(urllib.request.urlopen("%s/api/v1/entries/%d"%(url,i)))["entry"]).decode(errors="replace"))
PY
}
public_text "$URLB" >"$T/b.txt"
check "no public entry names a sealed flow or its pledge" \
  sh -c "! grep -q -e '${F1[0]}' -e '${F2[0]}' -e '${F3[0]}' -e '$(pid_of m1 "${IDS[0]}")' '$T/b.txt'"
URL=$URLB
"$W" whoami --server "$URLB" --key "$T/m2.key" >/dev/null
a=$("$W" pledge show --server "$URLB" --key "$T/m2.key" "${IDS[0]}" 2>&1 || true)
b=$("$W" pledge show --server "$URLB" --key "$T/m2.key" "$(printf 'ab%062d' 0)" 2>&1 || true)
check "another member gets the same answer for a real id and a made-up one" \
  [ "$(sed 's/[0-9a-f]\{64\}/ID/' <<<"$a")" = "$(sed 's/[0-9a-f]\{64\}/ID/' <<<"$b")" ]
finish
