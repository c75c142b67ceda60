#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# `make bench`, issue 14 point 9: a normal client's latency while 2,000
# connections send one header line every 8 s (and reconnect when cut or
# refused), from one address (most are refused by the per-address cap) or
# spread over SOURCES addresses 127.0.0.10 and up (all admitted, cut at the
# header deadline). The client asks from 127.0.0.2, so the per-address cap
# that stops the attacker does not apply to it; each request opens a fresh
# connection, as a newcomer's would. Prints one JSON object.
# Usage: slow_attack.py PORT [SECONDS [SOURCES]]
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

port = int(sys.argv[1])
secs = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
sources = int(sys.argv[3]) if len(sys.argv) > 3 else 1
here = os.path.dirname(os.path.abspath(__file__))


def probe(n, gap):
    ts, failed = [], 0
    for _ in range(n):
        t = time.perf_counter()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=("127.0.0.2", 0))
            c.request("GET", "/log/checkpoint")
            r = c.getresponse()
            r.read()
            c.close()
            if r.status != 200:
                failed += 1
        except OSError:
            failed += 1
        ts.append((time.perf_counter() - t) * 1000)
        time.sleep(gap)
    ts.sort()
    return {
        "requests": n,
        "failed": failed,
        "p50_ms": round(ts[n // 2], 3),
        "p99_ms": round(ts[min(n - 1, (n * 99) // 100)], 3),
        "max_ms": round(ts[-1], 3),
    }


base = probe(200, 0.01)
ready = tempfile.mktemp()
att = subprocess.Popen(
    [sys.executable, os.path.join(here, "slowloris.py"), "--port", str(port), "--conns", "2000",
     "--interval", "8", "--reconnect", "--sources", str(sources), "--duration", str(secs + 15), "--ready-file", ready],
    stdout=subprocess.PIPE, text=True)
while not os.path.exists(ready):
    time.sleep(0.05)
os.unlink(ready)
time.sleep(10)  # past the header deadline: the attacker is in its reconnect loop
under = probe(int(secs * 20), 0.05)
att.wait()
print(json.dumps({
    "attack_connections": 2000,
    "attack_addresses": sources,
    "attack_header_interval_s": 8,
    "ulimit_n": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    "attacker": json.loads(att.stdout.read()),
    "normal_client_baseline": base,
    "normal_client_under_attack": under,
    "normal_client_p99_ms": under["p99_ms"],
}))
