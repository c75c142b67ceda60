#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# A slow-header attacker, for tests/integration/test_http_limits.sh and
# `make bench`: opens --conns connections from --source to the daemon and,
# on each, sends a request line and then one header line every --interval
# seconds, never finishing the headers. With --reconnect a connection the
# server closes is opened again (a real attacker's loop); without it the run
# ends as soon as the server has closed every connection. Prints one JSON
# line: how many were opened, closed by the server, still open at the end,
# and answered (a server that answers an unfinished request is wrong).
import argparse
import errno
import json
import resource
import selectors
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--source", default="127.0.0.1")
ap.add_argument("--sources", type=int, default=1,
                help="spread over this many addresses, 127.0.0.10 and up (default: --source)")
ap.add_argument("--conns", type=int, default=2000)
ap.add_argument("--interval", type=float, default=8.0)
ap.add_argument("--duration", type=float, default=30.0)
ap.add_argument("--reconnect", action="store_true")
ap.add_argument("--ready-file", help="touched once every connection has been tried once")
a = ap.parse_args()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < a.conns + 64 and hard > soft:  # one descriptor a connection
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, a.conns + 64), hard))

sel = selectors.DefaultSelector()
stats = {"opened": 0, "refused": 0, "closed_by_server": 0, "answered": 0, "lines_sent": 0}
conns = {}  # socket -> [next time to send a line, lines sent]
retry = []  # times at which to open a replacement


def open_one(now):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    src = a.source if a.sources <= 1 else "127.0.0.%d" % (10 + stats["opened"] % a.sources)
    try:
        s.bind((src, 0))
        s.connect_ex((a.host, a.port))
    except OSError:
        s.close()
        stats["refused"] += 1
        retry.append(now + 1.0)
        return
    stats["opened"] += 1
    conns[s] = [now, 0]  # next time to send a line, lines sent
    sel.register(s, selectors.EVENT_READ)


def lost(s, now, answered):
    sel.unregister(s)
    del conns[s]
    s.close()
    stats["answered" if answered else "closed_by_server"] += 1
    if a.reconnect:
        retry.append(now + 1.0)


t0 = time.monotonic()
now = t0
for i in range(a.conns):
    open_one(now)
if a.ready_file:
    open(a.ready_file, "w").close()
while now - t0 < a.duration and (conns or retry):
    for key, _ in sel.select(timeout=0.05):
        s = key.fileobj
        try:
            d = s.recv(4096)
        except OSError:
            d = b""
        lost(s, time.monotonic(), d.startswith(b"HTTP/"))
    now = time.monotonic()
    for s, st in list(conns.items()):
        if now < st[0]:
            continue
        line = b"X-a: b\r\n" if st[1] else b"GET /log/checkpoint HTTP/1.1\r\nHost: x\r\n"
        try:
            s.send(line)
            stats["lines_sent"] += 1
            st[0], st[1] = now + a.interval, st[1] + 1
        except (BlockingIOError, InterruptedError):
            st[0] = now + 0.1
        except OSError as e:
            if e.errno == errno.ENOTCONN:  # still connecting
                st[0] = now + 0.1
            else:
                lost(s, now, False)
    while retry and retry[0] <= now:
        retry.pop(0)
        open_one(now)
stats["open_at_end"] = len(conns)
stats["seconds"] = round(time.monotonic() - t0, 1)
print(json.dumps(stats))
