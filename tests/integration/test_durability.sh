#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Durability: kill -9 the daemon while 8 clients append. After a restart,
# every acknowledged index holds the same bytes, and the tree is consistent
# with every checkpoint published before the crash. Because kill -9 leaves
# the page cache intact, the daemon also runs under strace, and the trace
# must show every 201 sent after an fdatasync/fsync that covers its entry.
source "$(dirname "$0")/lib.sh"
LOADGEN=$(dirname "$W")/willing-loadgen

new_ledger dur
ORIGIN=test.example/dur
port=$(free_port)
URL=http://127.0.0.1:$port
strace -f -ttt -T -qq -s 9000 -e trace=fdatasync,fsync,pwrite64,write,writev,sendto,sendmsg \
  -o "$T/trace" "$W" serve --db "$T/dur.db" --listen 127.0.0.1:$port --interval 100 2>"$T/dur.log" &
STRACE_PID=$!
PIDS+=("$STRACE_PID")
wait_http "$URL/log/checkpoint"
SERVE_PID=$(pgrep -P "$STRACE_PID" -f 'willing serve' || pgrep -n -f "serve --db $T/dur.db")

"$W" keygen --out "$T/m.key" --member m >/dev/null
"$W" member add --server "$URL" --key "$OPKEY" --id m --name M --role member --pubkey-file "$T/m.key" >/dev/null

# record every checkpoint published while the clients append
( while true; do curl -s "$URL/log/checkpoint" >"$T/cp.$(date +%s%N)" || break; sleep 0.05; done ) &
POLL=$!
"$LOADGEN" --key "$T/m.key" --origin "$ORIGIN" --port "$port" --clients 8 --count 50000 \
  --acks "$T/acks" >"$T/load.json" 2>"$T/load.err" &
LOAD=$!
# crash in the middle of the run, once clients are being answered
acked() { [ -s "$T/acks" ] && [ "$(wc -l <"$T/acks")" -gt "$1" ]; }
WAIT_SECONDS=120 wait_for "300 acknowledgements" acked 300
kill -9 "$SERVE_PID"
wait "$LOAD" || true
kill "$POLL" 2>/dev/null || true
wait "$STRACE_PID" 2>/dev/null || true
nacks=$(wc -l <"$T/acks")
check "clients got acknowledgements before the crash ($nacks)" [ "$nacks" -gt 50 ]

# restart on the same file
start_server dur
python3 - "$URL" "$T/acks" >"$T/acks.check" <<'PY'
import json,sys,urllib.request
url,acks=sys.argv[1],sys.argv[2]
bad=0; n=0
for line in open(acks):
    idx,leaf,seq=line.split()
    e=json.load(urllib.request.urlopen("%s/api/v1/entries/%s" % (url,idx)))
    n+=1
    if e["leaf_hash"]!=leaf or e["seq"]!=int(seq): bad+=1
print(n,bad)
PY
read -r n bad <"$T/acks.check"
check "every acknowledged index holds the same entry after restart ($n checked, $bad differ)" \
  test "$bad:$n" = "0:$nacks"

# every checkpoint published before the crash is a prefix of the tree now
ncp=0; badcp=0
for f in $(ls "$T"/cp.* | sort); do
  [ -s "$f" ] || continue
  head -1 "$f" | grep -qx "$ORIGIN" || continue
  ncp=$((ncp + 1))
  cp "$f" "$T/state.cp"
  "$W" verify "$URL" --vkey "$VKEY" --state "$T/state.cp" >/dev/null 2>"$T/verify.err" || badcp=$((badcp + 1))
  [ "$ncp" -ge 12 ] && break
done
check "the tree is consistent with the checkpoints published before the crash ($ncp)" \
  sh -c "[ $badcp = 0 ] && [ $ncp -gt 2 ]"
check "fsck after the crash: OK" sh -c "kill -TERM $SERVER_PID; wait $SERVER_PID 2>/dev/null; '$W' fsck --db '$T/dur.db' >/dev/null"

# the trace: each 201 after a sync that follows the write of its entry
python3 - "$T/trace" "$T/acks" >"$T/trace.check" <<'PY'
import re,sys
trace,acks=sys.argv[1],sys.argv[2]
ev=[]   # (start, end, pid, name, text)
pending={}
line_re=re.compile(r'^(\d+)\s+(\d+\.\d+)\s+(.*)$')
for line in open(trace, errors="replace"):
    m=line_re.match(line.rstrip("\n"))
    if not m: continue
    pid,ts,rest=int(m.group(1)),float(m.group(2)),m.group(3)
    if rest.endswith("<unfinished ...>"):
        name=rest.split("(",1)[0]
        pending[(pid,name)]=(ts,rest)
        continue
    r=re.match(r'<\.\.\. (\w+) resumed>(.*)$',rest)
    if r:
        name=r.group(1)
        st,txt=pending.pop((pid,name),(ts,""))
        ev.append((st,ts,pid,name,txt+r.group(2)))
        continue
    name=rest.split("(",1)[0]
    d=re.search(r'<(\d+\.\d+)>$',rest)
    ev.append((ts,ts+(float(d.group(1)) if d else 0),pid,name,rest))
ev.sort()
syncs=[(s,e,p) for s,e,p,n,t in ev if n in("fdatasync","fsync")]
writes=[(s,p,t) for s,e,p,n,t in ev if n=="pwrite64"]
sends=[(s,t) for s,e,p,n,t in ev if n in("sendto","sendmsg","write","writev") and "201 Created" in t]
checked=bad=missing=0
for line in open(acks):
    idx,leaf,seq=line.split()
    needle="\\n%s\\n" % seq
    w=next(((s,p) for s,p,t in writes if needle in t),None)
    # strace escapes quotes in the buffers it prints
    snd=next((s for s,t in sends if '\\"index\\":%s,' % idx in t),None)
    if w is None or snd is None:
        missing+=1; continue
    sync_end=min((e for s,e,p in syncs if p==w[1] and s>=w[0]),default=None)
    checked+=1
    if sync_end is None or snd < sync_end: bad+=1
print(checked,bad,missing)
PY
read -r checked bad missing <"$T/trace.check"
check "strace: every 201 was sent after an fsync/fdatasync covering its entry ($checked checked, $missing not in the trace)" \
  sh -c "[ $bad = 0 ] && [ $checked -gt 50 ]"
finish
