#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""alignbench: the members' alignment through the daemon (issue 12: the alignment view under
100 ms).

A fresh ledger of three members (gb, us, de), each designating 5,000 of 8,000 made-up
subjects (15,000 designations), written into the table as pressure.designation's apply
writes them (not through the log: signing them is the importer's benchmark): each list
spells a subject its own way ("SURNAME, Given" or "Given Surname"), a fifth carry a
passport number, listed on dates a few weeks apart. The first GET /api/v1/pressure/alignment
builds the alignment (cold); then the matrix's p99 over 200 requests once built; then a
statement (a kind the alignment does not read) is written and the first request after it
is timed (the alignment kept: data_version unchanged). Prints one JSON object for
bench/run.sh.
Usage: bench/alignbench.py path/to/willing OUT_DIR
"""
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

import benchserve

W, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]) + "/align"
POOL, EACH, RUNS = 8000, 5000, 200
MEMBERS = ["gb", "us", "de"]
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
env = dict(os.environ, XDG_STATE_HOME=OUT + "/state")
rnd = random.Random(13)  # the same ledger every run
SYL = ["ka", "ro", "mi", "sa", "tel", "an", "bar", "du", "lo", "ze", "fi", "nor", "gu", "vak",
       "hem", "ri", "po", "las", "ten", "qu", "mar", "el", "von", "ish"]


def word():
    return "".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 4))).capitalize()


pool = [(word(), word(), "P%08d" % i if i % 5 == 0 else None) for i in range(POOL)]
db = OUT + "/align.db"
subprocess.run([W, "init", "--db", db, "--origin", "bench.example/align"], check=True,
               capture_output=True, env=env)
rows = []
for k, m in enumerate(MEMBERS):
    for i in sorted(rnd.sample(range(POOL), EACH)):
        given, sur, passport = pool[i]
        name = "%s, %s" % (sur.upper(), given) if k % 2 else "%s %s" % (given, sur)
        listed = "2022-%02d-%02d" % (3 + k, 1 + i % 28)
        body = {"subject": "%s%05d" % (m, i), "type": "person", "listed": listed,
                "names": [{"name": name, "script": "Latn"}],
                "source": {"list": m, "file": "0" * 64}}
        if passport:
            body["ids"] = [{"type": "passport", "value": passport}]
        rows.append((m, body["subject"], 1, 1, m, "person", listed, None,
                     json.dumps(body, separators=(",", ":"))))
con = sqlite3.connect(db)
con.executemany("INSERT INTO designations VALUES (?,?,?,?,?,?,?,?,?)", rows)
con.commit()
con.close()

server, port = benchserve.start(W, db, OUT + "/serve.log", env)
url = "http://127.0.0.1:%d" % port


def run(*args):
    subprocess.run([W, *args], check=True, capture_output=True, env=env)


def get():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    c.request("GET", "/api/v1/pressure/alignment")
    r = c.getresponse()
    data = r.read()
    t = time.perf_counter() - t0
    if r.status != 200:
        raise SystemExit("alignbench: %d %s" % (r.status, data[:300]))
    return t, json.loads(data)


try:
    for m in MEMBERS:
        run("keygen", "--out", "%s/%s.key" % (OUT, m), "--member", m)
        run("member", "add", "--server", url, "--key", db + ".operator.key", "--id", m,
            "--name", m, "--role", "member", "--pubkey-file", "%s/%s.key" % (OUT, m))
    cold, o = get()
    times = sorted(get()[0] for _ in range(RUNS))
    run("append", "--server", url, "--key", OUT + "/gb.key", "--kind", "statement",
        "--body", '{"text":"a write the alignment does not read"}')
    after, o2 = get()
    print(json.dumps({
        "members": len(MEMBERS), "designations": len(rows), "subjects": o["subjects"],
        "seconds_cold": round(cold, 3), "p99_ms": round(times[int(RUNS * 0.99) - 1] * 1000, 2),
        "median_ms": round(times[RUNS // 2] * 1000, 2),
        "after_write_ms": round(after * 1000, 2),
        "kept_after_write": o2["data_version"] == o["data_version"]}))
finally:
    server.terminate()
    server.wait()
