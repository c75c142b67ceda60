# SPDX-License-Identifier: Apache-2.0
"""The benchmarks' daemon: `willing serve` of a ledger on a free loopback port, returned
once its checkpoint answers (used by dealbench.py and screenbench.py)."""
import http.client
import socket
import subprocess
import time


def start(w, db, log, env=None):
    """(the server's Popen, its port); the caller terminates it."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server = subprocess.Popen([w, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port],
                              stderr=open(log, "w"), env=env)
    for _ in range(500):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/log/checkpoint")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.01)
    return server, port
