#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The daemon's front door under a slow or greedy client (issue 14 point 9):
# connections that never finish their headers are closed at the header
# deadline; one address cannot hold more than its share of connections; a
# normal client is answered meanwhile; a body is refused before it is read
# when its route is unknown or takes less; bodies in memory have a budget.
# Speed under attack is measured in `make bench` (bench/slow_attack.py).
source "$(dirname "$0")/lib.sh"
SLOW=$SRC/bench/slowloris.py

new_ledger lim
start_server lim --header-timeout 2 --client-timeout 10 --max-connections 200 \
  --max-per-address 50 --body-budget 33
port=${URL##*:}

# answered_from ADDR: a request from another loopback address, retried until
# answered (a refused connection is retried), with a deadline
answered_from() {
  for _ in $(seq 1 100); do
    [ "$(curl -s --interface "$1" --max-time 5 -o /dev/null -w '%{http_code}' "$URL/log/checkpoint")" = 200 ] &&
      return 0
    sleep 0.2
  done
  return 1
}
# slow_attack NAME ARGS: slow-header connections (one header line a second,
# well inside the idle timeout) in the background, until the server has
# closed them all; returns when every connection has been tried
slow_attack() {
  local name=$1; shift
  rm -f "$T/$name.ready"
  python3 "$SLOW" --port "$port" --interval 1 --duration 60 --ready-file "$T/$name.ready" "$@" \
    >"$T/$name.json" &
  ATTACK=$!
  for _ in $(seq 1 200); do [ -e "$T/$name.ready" ] && return 0; sleep 0.05; done
  return 1
}
all_cut() { # the attacker's report: every connection closed by the server, none answered
  python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
assert r["opened"]>=int(sys.argv[2]) and r["answered"]==0 and r["open_at_end"]==0, r' "$T/$1.json" "$2"
}

# 300 slow connections from one address: the address gets 50, the rest are
# refused; the 50 are closed at the header deadline though they keep sending
slow_attack one --conns 300
ok=0
for _ in $(seq 1 20); do answered_from 127.0.0.2 && ok=$((ok + 1)); done
check "a client at another address is answered during a one-address slow attack ($ok/20)" [ "$ok" = 20 ]
wait $ATTACK
check "every slow connection was closed before its headers were done: $(cat "$T/one.json")" all_cut one 300

# 300 slow connections from 10 addresses (30 each, under the per-address cap)
# fill the 200 connections: the header deadline frees them for a normal client
slow_attack many --conns 300 --sources 10
check "a normal client is answered once the deadline has cut a full house" answered_from 127.0.0.2
wait $ATTACK
check "every slow connection from 10 addresses was closed: $(cat "$T/many.json")" all_cut many 300
check "and a client at the attacker's address is answered afterwards" answered_from 127.0.0.1

# unread REQUEST_HEAD: sends only a request's headers and prints "STATUS ERROR"
# of the answer (it must come without the body being sent)
unread() {
  printf "$1" | python3 -c '
import json,socket,sys
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read())
s.settimeout(5)
data=b""
try:
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        d=s.recv(65536)
        if not d: break
        data+=d
except OSError:
    pass
head,_,body=data.partition(b"\r\n\r\n")
try:
    print(head.split(b" ")[1].decode(), json.loads(body)["error"])
except Exception:
    print("none", data[:80])' "$port"
}
expect_unread() { # expect_unread "case" "STATUS ERROR" REQUEST_HEAD
  local got
  got=$(unread "$3")
  if [ "$got" = "$2" ]; then ok "$1: $got, unread"; else not_ok "$1: want $2, got $got"; fi
}
post_head() { printf 'POST %s HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n' "$1" "$2"; }
expect_unread "8 MB to an unknown route" "404 not_found" "$(post_head /nope:batch 8000000)"
expect_unread "8 MB to the read-only log" "405 method_not_allowed" "$(post_head /log/checkpoint 8000000)"
expect_unread "a body over the login route's own ceiling" "413 body_too_large" "$(post_head /api/v1/login 100000)"
# each route's ceiling is its own row's: 10 kB is refused unread by the login route (4 KiB),
# read and judged by the entries route (128 KiB)
expect_unread "10 kB to the login route" "413 body_too_large" "$(post_head /api/v1/login 10000)"
python3 -c 'import sys; sys.stdout.write("{\"entry\":\"" + "A" * 9988 + "\"}")' >"$T/10k.json"
code=$(status POST /api/v1/entries -H 'Content-Type: application/json' --data-binary @"$T/10k.json")
judged() { [ "$code" = 400 ] && ! grep -q body_too_large "$T/body"; }
check "the same 10 kB to /api/v1/entries is read and judged ($code $(head -c 60 "$T/body"))" judged
expect_unread "a body over the batch ceiling" "413 body_too_large" "$(post_head /api/v1/entries:batch 34000000)"
expect_unread "a GET with a body" "413 body_too_large" \
  'GET /log/checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n'
expect_unread "a body of the wrong type" "415 unsupported_media_type" \
  'POST /api/v1/entries HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n'

# 16 clients each push 8 MB at an unknown route at once: the server's memory
# does not grow by what they send
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
before=$(hwm)
python3 - "$port" <<'PY'
import socket,sys,threading
def push():
    s=socket.create_connection(("127.0.0.1",int(sys.argv[1])))
    s.sendall(b"POST /nope:batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8000000\r\n\r\n")
    try:
        for _ in range(125):
            s.sendall(b" "*64000)
        s.recv(100)
    except OSError:
        pass
    s.close()
ts=[threading.Thread(target=push) for _ in range(16)]
for t in ts: t.start()
for t in ts: t.join()
PY
after=$(hwm)
check "16 x 8 MB to an unknown route: peak memory grew by $(( (after - before) / 1024 )) MiB (< 32)" \
  [ $((after - before)) -lt 32768 ]

# the body budget (33 MiB) counts bytes that came, not bytes promised: one
# address promises 33 MiB in two requests (their headers answered 100
# Continue) and sends none of it, and a 100 KB body from another address is
# still read (400, not 503 busy). One 18 MB body held, a second one is 503
# with Retry-After, unread; once the first is gone, an 18 MB body is read again
python3 - "$port" >"$T/budget" <<'PY'
import socket,sys,time
port=int(sys.argv[1])
head=b"POST /api/v1/entries:batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 18000000\r\n\r\n"
def answer(s):
    s.settimeout(10)
    data=b""
    try:
        while not data.rstrip().endswith(b"}"):
            d=s.recv(65536)
            if not d: break
            data+=d
    except OSError:
        pass
    return data
def post(path, cl, more=b""):
    return (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n%s\r\n" % (path, cl, more))
holders=[]
for cl in (32*1024*1024, 1048000):
    s=socket.create_connection(("127.0.0.1",port))
    s.sendall(post(b"/api/v1/entries:batch", cl, b"Expect: 100-continue\r\n"))
    s.settimeout(10)
    holders.append((s, s.recv(100)[:12].decode()))
v=socket.create_connection(("127.0.0.1",port),source_address=("127.0.0.2",0))
v.sendall(post(b"/api/v1/entries", 100000)+b"{"+b" "*99998+b"}")
a=answer(v)
print("promised:", " ".join(h for _,h in holders), "then", a.split(b" ")[1].decode() if a else "none")
for s,_ in holders: s.close()
first=socket.create_connection(("127.0.0.1",port))
first.sendall(head.replace(b"\r\n\r\n",b"\r\nExpect: 100-continue\r\n\r\n"))
first.settimeout(10)
cont=first.recv(100)  # 100 Continue: its headers are in
first.sendall(b"["+b" "*17999998)  # all but its last byte: held, against the budget
# a second 18 MB body, asking first (Expect): continued until the first one's
# bytes are in, then 503 unread
for _ in range(100):
    second=socket.create_connection(("127.0.0.1",port))
    second.sendall(head.replace(b"\r\n\r\n",b"\r\nExpect: 100-continue\r\n\r\n"))
    second.settimeout(10)
    a=second.recv(65536)
    if not a.startswith(b"HTTP/1.1 100"):
        a+=answer(second)
        break
    second.close()
    time.sleep(0.1)
print("second:" if cont.startswith(b"HTTP/1.1 100") else "first not continued:", a.split(b" ")[1].decode() if a else "none",
      "retry-after" if b"\r\nRetry-After: 1\r\n" in a else "no-retry-after",
      "busy" if b'"error":"busy"' in a else "not-busy")
first.close()
# the server gives the budget back when it sees the close: wait for that, with a deadline
deadline=time.monotonic()+30
while True:
    s=socket.create_connection(("127.0.0.1",port))
    s.sendall(head)
    try:
        s.sendall(b" "*17999999+b"[")
    except OSError:
        pass
    a=answer(s)
    s.close()
    if b'"error":"busy"' not in a or time.monotonic()>deadline:
        break
    time.sleep(0.1)
print("third:", a.split(b" ")[1].decode() if a else "none", a.split(b"\r\n\r\n",1)[-1][:60].decode())
PY
check "bodies promised and not sent hold no budget ($(sed -n 1p "$T/budget"))" \
  grep -q '^promised: HTTP/1.1 100 HTTP/1.1 100 then 400$' "$T/budget"
check "a body over the budget: 503 busy with Retry-After, unread ($(sed -n 2p "$T/budget"))" \
  grep -q '^second: 503 retry-after busy$' "$T/budget"
check "once the budget is back, an 18 MB body is read ($(sed -n 3p "$T/budget"))" \
  grep -q '^third: 400 .*malformed_json' "$T/budget"
check "and the server still serves" [ "$(status GET /log/checkpoint)" = 200 ]
finish
