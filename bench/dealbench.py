#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""dealbench: the deal page's data under 20 ms (issue 10), against the real daemon.

Builds a realistic ledger with the CLI, as users write it: 1,000 zones (900 buffer and
exclusion polygons of 24 to 64 vertices scattered over Ukraine's box, 100 protected sites
shown coarse to the public), a deal of 10 versions each naming every zone, 20 parties
(the host nation among them) and a text and two annexes; every party signs each version
but the last's host, which signs the tenth last (in force). Then times, one keep-alive
client at a time, every request the deal page makes: GET /api/v1/deals, /api/v1/deals/<id>,
/api/v1/zones (as the public: sites coarse) and the map's /geo/ukraine-oblasts.geojson.
Prints one JSON object for bench/run.sh (p50 and p99 in ms, bytes, per request).
Usage: bench/dealbench.py path/to/willing OUT_DIR
"""
import concurrent.futures
import http.client
import json
import math
import os
import random
import subprocess
import sys
import time

import benchserve

W, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ZONES, SITES, VERSIONS, PARTIES, RUNS = 1000, 100, 10, 20, 300
os.makedirs(OUT + "/deal", exist_ok=True)
env = dict(os.environ, XDG_STATE_HOME=OUT + "/deal/state")


def run(*args):
    r = subprocess.run([W, *args], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit("dealbench: willing %s: %s" % (args[0], r.stderr.strip()[-300:]))
    return r.stdout


def parallel(calls):
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        return list(ex.map(lambda a: run(*a), calls))


db = OUT + "/deal/deal.db"
run("init", "--db", db, "--origin", "bench.example/deal")
server, port = benchserve.start(W, db, OUT + "/deal/serve.log")
url = "http://127.0.0.1:%d" % port
try:
    key = lambda m: OUT + "/deal/" + m + ".key"
    parties = ["ua"] + ["p%02d" % i for i in range(1, PARTIES)]
    for m, role in [("co", "coordinator"), *[(p, "host" if p == "ua" else "party") for p in parties]]:
        run("keygen", "--out", key(m), "--member", m)
        run("member", "add", "--server", url, "--key", db + ".operator.key", "--id", m,
            "--name", m, "--role", role, "--pubkey-file", key(m))

    rnd = random.Random(10)  # the same ledger every run

    def star(lon, lat, r, n):  # a valid polygon: radii around one centre, angles in order
        ring = []
        for i in range(n):
            a, k = 2 * math.pi * i / n, r * (0.6 + 0.4 * rnd.random())
            ring.append([round(lon + k * math.cos(a) / math.cos(math.radians(lat)), 5),
                         round(lat + k * math.sin(a), 5)])
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}

    calls = []
    for i in range(ZONES):
        lon, lat = 22.5 + 17.5 * rnd.random(), 44.5 + 7.5 * rnd.random()
        path = "%s/deal/z%04d.geojson" % (OUT, i)
        args = ["zone", "set", "--server", url, "--key", key("co"), "--zone", "z%04d" % i,
                "--geometry", path]
        if i < SITES:
            geometry = {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]}
            args += ["--type", "site", "--category", ["energy", "water", "port", "nuclear"][i % 4],
                     "--precision-km", "10"]
        else:
            geometry = star(lon, lat, 0.05 + 0.25 * rnd.random(), rnd.randint(24, 64))
            args += ["--type", "buffer" if i % 2 else "exclusion"]
        with open(path, "w") as f:
            json.dump(geometry, f)
        calls.append(args)
    t0 = time.perf_counter()
    indexes = [int(o.split()[1]) for out in parallel(calls) for o in out.splitlines()
               if o.startswith("index ")]
    fill = time.perf_counter() - t0
    assert len(indexes) == ZONES, len(indexes)
    zone_args = [a for i in sorted(indexes) for a in ("--zone", str(i))]
    for v in range(1, VERSIONS + 1):
        docs = []
        for name in ("text", "annex-a", "annex-b"):
            docs.append("%s/deal/%s-%d.txt" % (OUT, name, v))
            with open(docs[-1], "w") as f:
                f.write("Illustrative bench document %s, version %d\n" % (name, v) * 200)
        run("deal", "propose", "--server", url, "--key", key("co"), "--deal", "bench",
            "--title", "Bench agreement, version %d" % v, "--text", docs[0],
            "--annex", "Annex A=" + docs[1], "--annex", "Annex B=" + docs[2],
            *[a for p in parties for a in ("--party", p)], *zone_args, "--public")
        # every party but the host signs each version; the next proposal supersedes it
        parallel([["deal", "sign", "--server", url, "--key", key(p), "--deal", "bench"]
                  for p in parties[1:]])
        if v == VERSIONS:  # the host signs the last version last: in force
            run("deal", "sign", "--server", url, "--key", key("ua"), "--deal", "bench")

    def timed(path):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ts, size = [], 0
        for i in range(RUNS + 20):
            t = time.perf_counter()
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                raise SystemExit("dealbench: GET %s: %d %s" % (path, r.status, body[:200]))
            if i >= 20:  # the first 20 warm the caches
                ts.append((time.perf_counter() - t) * 1000)
            size = len(body)
        c.close()
        ts.sort()
        return {"p50_ms": round(ts[len(ts) // 2], 3),
                "p99_ms": round(ts[min(len(ts) - 1, int(len(ts) * 0.99))], 3), "bytes": size}

    res = {"zones_set": ZONES, "sites": SITES, "versions": VERSIONS, "parties": PARTIES,
           "requests": RUNS, "zones_fill_seconds": round(fill, 1),
           "list": timed("/api/v1/deals"), "deal": timed("/api/v1/deals/bench"),
           "zones": timed("/api/v1/zones"), "oblasts": timed("/geo/ukraine-oblasts.geojson")}
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/api/v1/deals/bench")
    d = json.loads(c.getresponse().read())
    assert d["status"] == "in_force" and len(d["versions"]) == VERSIONS, d["status"]
    res["worst_p99_ms"] = max(res["deal"]["p99_ms"], res["zones"]["p99_ms"])
    print(json.dumps(res))
finally:
    server.terminate()
    server.wait()
