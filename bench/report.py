#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes docs/PERFORMANCE.md from one `make bench` run, and nothing else:
#   python3 bench/report.py bench/out/results.json
# Every figure comes from that results.json, which names the commit and date of
# its run (bench/run.sh records them). Every verdict is computed from its figure
# against the target's threshold, which is written once, in TARGETS below; a
# target whose figure the run lacks reads "not measured in this run", never "met".
# Keys that other benchmarks add to results.json and that no row names are listed
# at the end as they are, so that nothing a run measured is dropped.
import json
import operator
import os
import sys

NOT_MEASURED = "not measured in this run"


def get(r, path):
    """The value at a dotted path of results.json, or None when the run lacks it."""
    v = r
    for k in path.split("."):
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


def n(x, digits=0):
    """A number with thousands separators."""
    return f"{x:,.{digits}f}"


class Target:
    """One target: its figure (a dotted path), its threshold, and how both read.

    text: the target, with {limit} where its threshold goes; unit: the figure's unit;
    op: operator.ge (at least) or operator.le/lt (at most); measured(r): the cell
    that shows the run's figures (it may assume the figure is there); scale: the
    figure is multiplied by it before comparing (a fraction as a percentage)."""

    def __init__(self, section, key, op, limit, text, unit, measured, scale=1, digits=0, note=""):
        self.section, self.key, self.op, self.limit = section, key, op, limit
        self.text, self.unit, self.measured = text, unit, measured
        self.scale, self.digits, self.note = scale, digits, note

    def limit_text(self):
        word = {operator.ge: ">=", operator.le: "<=", operator.lt: "<"}[self.op]
        return f"{word} {n(self.limit, self.digits)} {self.unit}".rstrip()

    def row(self, r):
        target = self.text.format(limit=self.limit_text())
        v = get(r, self.key)
        if v is None:
            return f"| {target} | {NOT_MEASURED} | {NOT_MEASURED} |"
        try:
            shown = self.measured(r)
        except (KeyError, TypeError, ZeroDivisionError):
            shown = f"{n(v * self.scale, max(self.digits, 2))} {self.unit}"
        ok = self.op(v * self.scale, self.limit)
        verdict = "met" if ok else "**NOT met**"
        if self.note:
            verdict += f": {self.note}"
        return f"| {target} | {shown} | {verdict} |"


def sealed_share(r):
    s, a = get(r, "sealed.entries_per_s"), get(r, "sealed_appends.entries_per_s")
    return None if s is None or not a else s / a


def alignment_cell(r):
    """pressure_alignment's cell: the p99, the build, and the first request after a write."""
    a = r["pressure_alignment"]
    kept = "the alignment kept" if a["kept_after_write"] else "**rebuilt**"
    return (f"**{a['p99_ms']:.1f} ms** over {n(a['subjects'])} subjects (median "
            f"{a['median_ms']:.1f} ms); the first request, building it, {a['seconds_cold']:.2f} s; "
            f"the first after a write of another kind (a statement) {a['after_write_ms']:.1f} ms, "
            f"{kept}")


TARGETS = [
    # issue 2: the ledger
    Target("ledger", "appends.entries_per_s", operator.ge, 8000,
           "durable appends, 1 entry per POST, 64 keep-alive clients: {limit}", "entries/s",
           lambda r: f"**{n(r['appends']['entries_per_s'])} entries/s**, p50 "
                     f"{r['appends']['p50_ms']:.1f} ms, p99 {r['appends']['p99_ms']:.1f} ms"),
    Target("ledger", "appends.entries_per_s", operator.ge, 15000,
           "&nbsp;&nbsp;the stretch goal: {limit}", "entries/s",
           lambda r: f"{n(r['appends']['entries_per_s'])} entries/s"),
    Target("ledger", "publish.publish_p99_ms", operator.le, 1000,
           "a write covered by a published checkpoint, p99 {limit} (interval 500 ms, under load)",
           "ms",
           lambda r: f"p50 {r['publish']['publish_p50_ms']:.0f} ms, **p99 "
                     f"{r['publish']['publish_p99_ms']:.0f} ms**, max "
                     f"{r['publish']['publish_max_ms']:.0f} ms, under "
                     f"{n(r['publish_background_load']['entries_per_s'])} appends/s"),
    Target("ledger", "tiles.requests_per_s", operator.ge, 50000,
           "tiles served {limit}, keep-alive (random full level-0 tiles, wrk, 64 connections)",
           "req/s", lambda r: f"**{n(r['tiles']['requests_per_s'])} req/s** at "
                              f"{n(r['size'])} entries"),
    Target("ledger", "proofs.requests_per_s", operator.ge, 50000,
           "proofs served {limit}, keep-alive (random inclusion proofs)", "req/s",
           lambda r: f"**{n(r['proofs']['requests_per_s'])} req/s** at {n(r['size'])} entries"),
    Target("ledger", "proof_single_ms.p99", operator.lt, 1,
           "at 1 M entries: one proof, p99 {limit} (one keep-alive client)", "ms",
           lambda r: f"p50 {r['proof_single_ms']['p50']:.2f} ms, p99 "
                     f"{r['proof_single_ms']['p99']:.2f} ms", digits=0),
    Target("ledger", "verify_threads_speedup", operator.ge, 1.8,
           "`verify` replaying every entry with its signature checks on every core: {limit} "
           "the one-core rate (issue 13, on 2 cores)", "x",
           lambda r: f"**{r['verify_threads_speedup']:.2f} x**: "
                     f"{n(r['verify_replay_entries_per_s'])} entries/s on "
                     f"{r['verify']['threads']} threads, "
                     f"{n(r['verify_one_thread_entries_per_s'])} on one "
                     f"({n(r['verify']['size'])} entries)", digits=1),
    Target("ledger", "verify_tree_entries_per_s", operator.ge, 1e6,
           "at 1 M entries: `verify` recomputing tiles and root {limit}", "entries/s",
           lambda r: f"**{n(r['verify_tree_entries_per_s'])} entries/s** "
                     f"({r['verify']['phases']['hash_tree_and_root']:.3f} s for "
                     f"{n(r['verify']['size'])} entries)"),
    Target("ledger", "serve_rss_kib", operator.lt, 64,
           "at 1 M entries: daemon resident memory {limit}", "MiB",
           lambda r: f"{r['serve_rss_kib'] / 1024:.1f} MiB after the read benchmarks "
                     f"({r['serve_rss_after_start_kib'] / 1024:.1f} MiB just started)",
           scale=1 / 1024),
    Target("ledger", "serve_ready_ms", operator.lt, 1000,
           "at 1 M entries: `willing serve` ready {limit}", "ms",
           lambda r: f"{r['serve_ready_ms']} ms (start to first answered request)"),
    # issue 14: a bounded WAL; bench/run.sh emits
    #   "wal_soak": {"seconds": S, "wal_max_bytes": B, "db_bytes": B}
    Target("ledger", "wal_soak.wal_max_bytes", operator.le, 256,
           "the WAL stays bounded over a 10-minute soak of mixed load (appends, proofs, tiles): "
           "{limit}", "MiB",
           lambda r: f"largest WAL {r['wal_soak']['wal_max_bytes'] / 2**20:.1f} MiB, database "
                     f"{r['wal_soak']['db_bytes'] / 2**20:.0f} MiB after "
                     f"{r['wal_soak']['seconds'] / 60:.0f} min", scale=1 / 2**20),
    # issue 14: a normal client from 127.0.0.2 while 2,000 connections send a header line
    # every 8 s (bench/slow_attack.py), from one address and from 40
    *[t for key, who in (("slow_attack", "from one address (the per-address cap refuses most)"),
                         ("slow_attack_40_addresses",
                          "from 40 addresses (all admitted, cut at the header deadline)"))
      for t in (
        Target("ledger", f"{key}.normal_client_under_attack.p99_ms", operator.lt, 50,
               "a normal client's p99 {limit} while 2,000 connections send a header line "
               f"every 8 s, {who}", "ms",
               lambda r, k=key: f"**p99 {r[k]['normal_client_under_attack']['p99_ms']:.1f} ms**, "
                                f"p50 {r[k]['normal_client_under_attack']['p50_ms']:.1f} ms "
                                f"(without the attack: p99 "
                                f"{r[k]['normal_client_baseline']['p99_ms']:.1f} ms); the "
                                f"attacker's connections cut or refused: "
                                f"{n(r[k]['attacker']['closed_by_server'])}; ulimit -n "
                                f"{r[k]['ulimit_n']}"),
        Target("ledger", f"{key}.normal_client_under_attack.failed", operator.le, 0,
               "&nbsp;&nbsp;the normal client's requests that failed meanwhile: {limit}",
               "", lambda r, k=key: f"{r[k]['normal_client_under_attack']['failed']} of "
                                    f"{r[k]['normal_client_under_attack']['requests']}"),
      )],
    # issue 13: beyond one machine (bench/issue13.sh): a bulk-loaded log of 10 M entries, its
    # mirror on nginx, PostgreSQL
    Target("beyond", "big_serve.after_proofs.rss_kib", operator.lt, 64,
           "at 10 M entries (bulk-loaded, `willing-bulkload`): daemon resident memory {limit}",
           "MiB",
           lambda r: f"**{r['big_serve']['after_proofs']['rss_kib'] / 1024:.1f} MiB** after 10 s "
                     f"of proofs (peak {r['big_serve']['after_proofs']['hwm_kib'] / 1024:.1f} "
                     f"MiB; {r['big_serve']['started']['rss_kib'] / 1024:.1f} MiB just started) "
                     f"at {n(r['big_serve']['size'])} entries; the log loaded in "
                     f"{r['big_load']['seconds']:.0f} s ({n(r['big_load']['entries_per_s'])} "
                     f"entries/s, {r['big_load']['db_bytes'] / 2**30:.1f} GiB)",
           scale=1 / 1024),
    Target("beyond", "big_serve.proof_single_ms.p99", operator.lt, 1,
           "at 10 M entries: one proof, p99 {limit} (one keep-alive client)", "ms",
           lambda r: f"p50 {r['big_serve']['proof_single_ms']['p50']:.2f} ms, **p99 "
                     f"{r['big_serve']['proof_single_ms']['p99']:.2f} ms**; 64 connections "
                     f"(wrk): {n(r['big_serve']['proofs']['requests_per_s'])} req/s"
                     + (f"; once the daemon had read its tree's "
                        f"{n(r['big_serve']['warm_up']['tiles'])} full tiles at start "
                        f"({r['big_serve']['warm_up']['mib']} MiB in "
                        f"{r['big_serve']['warm_up']['seconds']:.1f} s)"
                        if r['big_serve'].get('warm_up') else "")),
    Target("beyond", "big_verify_tiles.entries_per_s", operator.ge, 1e6,
           "the mirror of it (`willing mirror --db`) served by nginx, audited by `verify "
           "--tiles-only` (tiles and root): {limit}", "entries/s",
           lambda r: f"**{n(r['big_verify_tiles']['entries_per_s'])} entries/s** "
                     f"({r['big_verify_tiles']['command_seconds']:.2f} s for "
                     f"{n(r['big_verify_tiles']['size'])} entries, the command from start to "
                     f"verdict, {r['big_verify_tiles'].get('connections', 1)} connection(s)); "
                     f"the mirror written in {r['big_mirror']['seconds']:.0f} s "
                     f"({n(r['big_mirror']['files'])} files)"),
    Target("beyond", "appends_pg.entries_per_s", operator.ge, 8000,
           "durable appends on the local PostgreSQL, 1 entry per POST, 64 keep-alive clients: "
           "{limit}", "entries/s",
           lambda r: f"**{n(r['appends_pg']['entries_per_s'])} entries/s**, p50 "
                     f"{r['appends_pg']['p50_ms']:.1f} ms, p99 {r['appends_pg']['p99_ms']:.1f} "
                     f"ms; the daemon used {r['appends_pg']['server_cpu_share'] * 100:.0f} % of "
                     f"the cores"),
    Target("beyond", "failover_ms", operator.lt, 5000,
           "fail-over: the writer killed with -9, a standby on the same PostgreSQL database "
           "acknowledges a write {limit}", "ms",
           lambda r: f"**{n(r['failover_ms'])} ms** (kill to the first acknowledged append)"),
    # issue 3: the coalition register
    Target("register", "clearing.seconds", operator.lt, 1,
           "clearing 100,000 pledges with random conditions {limit} (`willing-clearbench`)", "s",
           lambda r: f"{r['clearing']['seconds']:.3f} s (200 members); "
                     f"{r['clearing_20_members']['seconds']:.3f} s (20 members)"),
    Target("register", "coverage.cached_p99_ms", operator.lt, 10,
           "coverage for the coordinator at 100,000 sealed pledges (200 members, 9 requirements, "
           "signed requests over HTTP), register unchanged: p99 {limit}", "ms",
           lambda r: f"**p50 {r['coverage']['cached_p50_ms']:.2f} ms, p99 "
                     f"{r['coverage']['cached_p99_ms']:.2f} ms** (requirements only, `limit=0`); "
                     f"with the first page of 1,000 pledges p50 "
                     f"{r['coverage']['page_1000_p50_ms']:.2f} ms, p99 "
                     f"{r['coverage']['page_1000_p99_ms']:.2f} ms"),
    Target("register", "coverage.right_after_change_ms", operator.lt, 10,
           "&nbsp;&nbsp;the same, for the first request right after a change (a fact recorded): "
           "{limit}", "ms",
           lambda r: f"{r['coverage']['right_after_change_ms']:.0f} ms; "
                     f"{r['coverage']['1.5s_after_change_ms']:.1f} ms 1.5 s later; the first "
                     f"request after start {r['coverage']['first_ms']:.0f} ms"),
    Target("register", "sealed_share", operator.ge, 80,
           "sealed submissions within 20 % of plain appends' throughput: {limit}", "%",
           lambda r: f"**{n(r['sealed']['entries_per_s'])} sealed submissions/s** against "
                     f"{n(r['sealed_appends']['entries_per_s'])} appends/s on the same fresh "
                     f"ledger (**{sealed_share(r) * 100:.0f} %**); p99 "
                     f"{r['sealed']['p99_ms']:.1f} ms", scale=100),
    # issue 9: flows
    Target("flows", "iati_export.view_seconds", operator.lt, 2,
           "IATI 2.03 export of 10,000 activities {limit}, streamed from a ledger file as "
           "`GET /api/v1/flows/iati` does (`willing-iatibench`)", "s",
           lambda r: f"**{r['iati_export']['view_seconds']:.3f} s** for "
                     f"{n(r['iati_export']['activities'])} activities, "
                     f"{n(r['iati_export']['transactions'])} transactions, "
                     f"{r['iati_export']['bytes'] / 1048576:.1f} MiB in "
                     f"{n(r['iati_export']['view_pieces'])} pieces of at most "
                     f"{r['iati_export']['view_largest_piece'] / 1024:.0f} KiB, byte for byte "
                     f"the whole-document writer's ({r['iati_export']['export_seconds']:.3f} s "
                     f"in memory); read back in {r['iati_export']['import_seconds']:.3f} s, "
                     f"every amount the same"),
    Target("flows", "flows_import.seconds", operator.lt, 5,
           "import of 100,000 flow rows into a fresh ledger {limit} (`willing flows import-csv`, "
           "all or nothing per request)", "s",
           lambda r: f"**{r['flows_import']['seconds']:.2f} s** in "
                     + (f"{r['flows_import']['requests']} requests (one request of "
                        f"{n(r['flows_import']['rows_per_request_refused'][0])} rows passes the "
                        f"batch ceiling and is refused before sending); "
                        if r['flows_import']['rows_per_request_refused']
                        else "one request (the whole file, all or nothing); ")
                     + f"CPU: the command {r['flows_import']['cli_cpu_seconds']:.2f} s, the "
                     f"server {r['flows_import']['server_cpu_seconds']:.2f} s; "
                     f"{r['flows_import']['failed']} requests failed"),
    Target("flows", "flow_views.worst_plain_p99_ms", operator.lt, 20,
           "every flows view over 1,000,000 flows (list pages, one flow, summary by member, "
           "category and month, instruments; public, member, all) p99 {limit} "
           "(`willing-flowbench`)", "ms",
           lambda r: f"**worst p99 {r['flow_views']['worst_plain_p99_ms']:.1f} ms**; the store "
                     f"filled at {n(r['flow_views']['fill_flows_per_second'])} flows/s"),
    Target("flows", "flow_views.worst_p99_ms", operator.lt, 20,
           "&nbsp;&nbsp;the same with the summary converted into EUR (daily rates) {limit}", "ms",
           lambda r: f"worst p99 {r['flow_views']['worst_p99_ms']:.0f} ms"),
    *[Target("flows", f"flows_summary_concurrency.{who}_scaling", operator.ge, 1.3,
             f"summaries by member as {text} do not wait on one lock: 16 keep-alive clients "
             "(wrk) get {limit} one client's throughput (the ledger of the import above)", "x",
             lambda r, w=who: f"**{r['flows_summary_concurrency'][w + '_scaling']:.2f} x**: "
                              f"{n(r['flows_summary_concurrency'][w]['c16']['requests_per_s'])} "
                              f"req/s (mean "
                              f"{r['flows_summary_concurrency'][w]['c16']['mean_latency_ms']:.1f}"
                              f" ms) against "
                              f"{n(r['flows_summary_concurrency'][w]['c1']['requests_per_s'])} "
                              f"req/s (mean "
                              f"{r['flows_summary_concurrency'][w]['c1']['mean_latency_ms']:.2f}"
                              f" ms); non-2xx "
                              f"{r['flows_summary_concurrency'][w]['c16']['non_2xx']}",
             digits=1)
      for who, text in (("public", "the public"), ("member", "a signed-in member"))],
    # issue 10: the deal's zones
    Target("deal", "zones.p99_us", operator.lt, 50,
           "containment of a point in any of 1,000 zones {limit} (GEOS prepared geometries in "
           "an STRtree, `willing-zonebench`)", "µs",
           lambda r: f"**p99 {r['zones']['p99_us']:.1f} µs**, p50 {r['zones']['p50_us']:.1f} µs "
                     f"over {n(r['zones']['queries'])} random points in {n(r['zones']['zones'])} "
                     f"zones; the whole answer (zones and sites within 50 km, JSON) p99 "
                     f"{r['zones']['answer_p99_us']:.0f} µs; index built in "
                     f"{r['zones']['build_ms']:.0f} ms"),
    Target("deal", "deal_page.worst_p99_ms", operator.lt, 20,
           "the deal page's data {limit}: p99 of GET /api/v1/deals/<id> and GET /api/v1/zones "
           "on a deal of 10 versions, 20 parties and 1,000 zones, the real daemon, one "
           "keep-alive client (`bench/dealbench.py`)", "ms",
           lambda r: f"**worst p99 {r['deal_page']['worst_p99_ms']:.1f} ms**: the deal p50 "
                     f"{r['deal_page']['deal']['p50_ms']:.1f} ms, p99 "
                     f"{r['deal_page']['deal']['p99_ms']:.1f} ms "
                     f"({r['deal_page']['deal']['bytes'] / 1024:.0f} KiB); the zones p50 "
                     f"{r['deal_page']['zones']['p50_ms']:.1f} ms, p99 "
                     f"{r['deal_page']['zones']['p99_ms']:.1f} ms "
                     f"({r['deal_page']['zones']['bytes'] / 1048576:.1f} MiB, as the public: "
                     f"{n(r['deal_page']['sites'])} sites coarse); the list p99 "
                     f"{r['deal_page']['list']['p99_ms']:.1f} ms, the map's oblasts p99 "
                     f"{r['deal_page']['oblasts']['p99_ms']:.1f} ms "
                     f"({r['deal_page']['oblasts']['bytes'] / 1024:.0f} KiB)"),
    # issue 11: monitors' reports
    Target("monitor", "incidents.seconds", operator.lt, 5,
           "correlation of 1,000,000 monitors' reports into incidents {limit} (a front of about "
           "300 km over 30 days, mixed precisions; `willing-incidentbench`)", "s",
           lambda r: f"**{r['incidents']['seconds']:.2f} s** for {n(r['incidents']['reports'])} "
                     f"reports (joined {r['incidents']['add_seconds']:.2f} s, every incident "
                     f"with its tree {r['incidents']['incidents_seconds']:.2f} s) on "
                     f"{r['incidents'].get('cores', 1)} cores "
                     f"({r['incidents'].get('one_thread_seconds', 0):.2f} s on one, "
                     f"{'the same links' if r['incidents'].get('same_as_one_thread') else '**not the same links**'}): "
                     f"{n(r['incidents']['incidents'])} incidents, the largest of "
                     f"{n(r['incidents']['largest_incident'])} reports", digits=0),
    Target("monitor", "incidents.single_p99_us", operator.lt, 1000,
           "a new report into the existing incidents {limit} (p99, one at a time into the "
           "1,000,000)", "µs",
           lambda r: f"**p99 {r['incidents']['single_p99_us']:.0f} µs**, p50 "
                     f"{r['incidents']['single_p50_us']:.1f} µs, max "
                     f"{r['incidents']['single_max_us'] / 1000:.1f} ms over "
                     f"{n(r['incidents']['singles'])} reports of the last day"),
    Target("monitor", "monitor_views.daily.p99_ms", operator.lt, 1000,
           "the daily report for a day of 10,000 reports {limit} (p99 of 20 builds, uncached, "
           "with 1,000 zones and the oblasts' map, written as JSON; `willing-monitorbench`)", "ms",
           lambda r: f"**p99 {r['monitor_views']['daily']['p99_ms']:.0f} ms**, p50 "
                     f"{r['monitor_views']['daily']['p50_ms']:.0f} ms "
                     f"({r['monitor_views']['daily']['bytes'] / 1048576:.1f} MiB, "
                     f"{n(r['monitor_views']['daily']['annex'])} reports in the annex)"),
    Target("monitor", "monitor_views.map.worst_p99_ms", operator.lt, 200,
           "the map's data for a day of 10,000 reports {limit} (p99 of 50 calls at each of zoom "
           "6, 10 and 13, uncached, written as JSON)", "ms",
           lambda r: "**worst p99 %.0f ms**: " % r['monitor_views']['map']['worst_p99_ms'] +
                     ", ".join(f"zoom {z} p50 {r['monitor_views']['map'][f'zoom_{z}']['p50_ms']:.0f}"
                               f" ms, p99 {r['monitor_views']['map'][f'zoom_{z}']['p99_ms']:.0f} ms "
                               f"({n(r['monitor_views']['map'][f'zoom_{z}']['clusters'])} clusters,"
                               f" {n(r['monitor_views']['map'][f'zoom_{z}']['points'])} points)"
                               for z in (6, 10, 13))),
    # issue 12: economic pressure
    Target("pressure", "screening.seconds", operator.lt, 2,
           "screening of 10,000 names against more than 50,000 name keys {limit} (ICU folding, "
           "BGN and ICAO transliterations, the documented score; `willing-namesbench`)", "s",
           lambda r: f"**{r['screening']['seconds']:.2f} s** for {n(r['screening']['screenings'])} "
                     f"names over {n(r['screening']['name_keys'])} keys of "
                     f"{n(r['screening']['subjects'])} subjects (p50 "
                     f"{r['screening']['p50_us']:.0f} µs, p99 {r['screening']['p99_us']:.0f} µs; "
                     f"{n(r['screening']['listed_found'])} of "
                     f"{n(r['screening']['listed_asked'])} listed names found as another list "
                     f"spells them); index built in {r['screening']['index_seconds']:.2f} s",
           digits=0),
    Target("pressure", "screening_http.seconds", operator.lt, 2,
           "a CSV of 10,000 names screened through the daemon {limit} (POST "
           "/api/v1/pressure/screen, JSON answer, the index already built for the data version; "
           "`bench/screenbench.py`)", "s",
           lambda r: f"**{r['screening_http']['seconds']:.2f} s** for "
                     f"{n(r['screening_http']['names'])} names over "
                     f"{n(r['screening_http']['name_keys'])} keys of "
                     f"{n(r['screening_http']['subjects'])} subjects "
                     f"({n(r['screening_http']['names_with_candidates'])} with candidates, "
                     f"{r['screening_http']['json_bytes'] / 1048576:.1f} MiB of JSON); as CSV "
                     f"{r['screening_http']['seconds_csv']:.2f} s; the first request, building "
                     f"the index, {r['screening_http']['seconds_cold']:.2f} s", digits=2),
    Target("pressure", "pressure_alignment.p99_ms", operator.lt, 100,
           "the alignment view (GET /api/v1/pressure/alignment) of 3 members x 5,000 "
           "designations, p99 once built {limit} (`bench/alignbench.py`)", "ms",
           alignment_cell, digits=1),
    Target("pressure", "pressure_import.seconds", operator.lt, 3,
           "OFAC's whole SDN list (2024-05-03, one sdn.csv) imported through the log {limit} "
           "(`willing pressure import-ofac` on a fresh ledger: read, compared with the log, "
           "signed, posted in one request, sequenced)", "s",
           lambda r: f"**{r['pressure_import']['seconds']:.2f} s** for "
                     f"{n(r['pressure_import']['subjects'])} subjects "
                     f"({r['pressure_import']['bytes'] / 1048576:.1f} MiB) in "
                     f"{n(r['pressure_import']['entries'])} entries (CPU: the CLI "
                     f"{r['pressure_import']['cli_cpu_seconds']:.2f} s, the daemon "
                     f"{r['pressure_import']['server_cpu_seconds']:.2f} s); the same file again, "
                     f"every designation read back and compared, "
                     f"{r['pressure_import']['seconds_again']:.2f} s, "
                     + ("refused as already_imported" if r['pressure_import']['again_refused']
                        else "NOT refused"), digits=2),
    Target("pressure", "ofac_read.seconds", operator.lt, 3,
           "OFAC's whole SDN list read from its four CSV files and indexed {limit} (the import's "
           "reading part; `willing-ofacbench`)", "s",
           lambda r: f"**{r['ofac_read']['seconds']:.2f} s**: {n(r['ofac_read']['entries'])} "
                     f"entries, {n(r['ofac_read']['aliases'])} aliases, "
                     f"{n(r['ofac_read']['addresses'])} addresses "
                     f"({r['ofac_read']['bytes'] / 1048576:.1f} MiB) read in "
                     f"{r['ofac_read']['read_seconds']:.2f} s, {n(r['ofac_read']['name_keys'])} "
                     f"name keys indexed in {r['ofac_read']['index_seconds']:.2f} s", digits=0),
    # issue 4: the console
    Target("console", "console_first_page.bytes", operator.lt, 300,
           "the first page {limit} transferred (HTML, CSS, ES modules, the API's JSON)", "KiB",
           lambda r: f"{r['console_first_page']['bytes'] / 1024:.0f} KiB", scale=1 / 1024),
    Target("console", "console_first_page.load_p50_ms", operator.lt, 200,
           "the first page's load event, p50 {limit} on loopback (Debian Chromium headless, a "
           "fresh browser context each run, the 100,000-pledge ledger)", "ms",
           lambda r: f"load event p50 {r['console_first_page']['load_p50_ms']} ms, p99 "
                     f"{r['console_first_page']['load_p99_ms']} ms over "
                     f"{r['console_first_page']['runs']} runs; the page's data shown p50 "
                     f"{r['console_first_page']['data_shown_p50_ms']} ms, p99 "
                     f"{r['console_first_page']['data_shown_p99_ms']} ms"),
]

SECTIONS = [
    ("ledger", "The ledger (issues 2 and 14)"),
    ("register", "The coalition register (issue 3)"),
    ("console", "The console (issue 4)"),
    ("flows", "Flows (issue 9)"),
    ("deal", "The deal (issue 10)"),
    ("monitor", "Monitors' reports (issue 11)"),
    ("pressure", "Economic pressure: screening (issue 12)"),
    ("beyond", "Beyond one machine (issue 13)"),
]
# keys of results.json the text below reads beside the targets' own
USED = {"limits", "cpu", "done", "commit", "date", "worktree_clean", "clearing_20_members",
        "appends_server_cpu_share", "appends_loadgen_cpu_share", "batch", "bulk_load",
        "publish", "publish_background_load", "size", "db_bytes", "checkpoint_reads",
        "serve_hwm_kib", "serve_rss_after_start_kib", "verify", "verify_replay_entries_per_s",
        "verify_one_thread", "verify_one_thread_entries_per_s",
        "sealed_appends", "sealed", "sealed_signed_requests", "coverage_seed",
        "proof_single_ms", "slow_attack_serve_rss_kib", "big_load", "big_mirror"}


def derive(r):
    """Figures computed from others, so that a target can name them."""
    share = sealed_share(r)
    if share is not None:
        r["sealed_share"] = share


def machine(r):
    L = r.get("limits")
    if not L:
        return NOT_MEASURED + "\n"
    return (
        "| limit | figure |\n|---|---|\n"
        f"| CPU | {L['cpus']} cores, \"{r.get('cpu', '?')}\" |\n"
        f"| Ed25519 verifications/s, one core (libsodium) | {n(L['ed25519_verify_per_s'])} |\n"
        f"| SHA-256 (OpenSSL EVP, 1 MiB blocks) | {n(L['sha256_mb_per_s'])} MB/s |\n"
        f"| Merkle node hashes/s, one core | {L['merkle_nodes_per_s'] / 1e6:.2f} M |\n"
        f"| fdatasync/s (4 KiB pwrite + fdatasync, same disk as the ledger) | "
        f"{n(L['fdatasync_per_s'])} |\n")


def sentences(r, parts):
    """The sentences whose figures the run has (each part: (keys, function))."""
    out = []
    for keys, fn in parts:
        if all(get(r, k) is not None for k in keys):
            out.append(fn(r))
        else:
            out.append(f"({', '.join(keys)}: {NOT_MEASURED}.)")
    return " ".join(out)


def ledger_text(r):
    return sentences(r, [
        (["appends.entries_per_s", "limits.ed25519_verify_per_s", "appends_server_cpu_share",
          "appends_loadgen_cpu_share"],
         lambda r: f"While appending, the daemon used {r['appends_server_cpu_share'] * 100:.0f} % "
                   f"of the 2 cores and the load generator "
                   f"{r['appends_loadgen_cpu_share'] * 100:.0f} %; the append rate is "
                   f"{r['appends']['entries_per_s'] / r['limits']['ed25519_verify_per_s']:.2f} "
                   f"of one core's Ed25519 verification rate (each entry is verified once)."),
        (["batch.entries_per_s"],
         lambda r: f"The batch endpoint (1,000 entries per request, 4 clients) took "
                   f"{n(r['batch']['entries_per_s'])} entries/s."),
        (["checkpoint_reads.requests_per_s", "size", "db_bytes"],
         lambda r: f"The checkpoint is served at {n(r['checkpoint_reads']['requests_per_s'])} "
                   f"req/s; the ledger at {n(r['size'])} entries is "
                   f"{r['db_bytes'] / 2**20:.0f} MiB."),
        (["slow_attack_serve_rss_kib"],
         lambda r: f"During the slow-header attacks the daemon's resident memory was "
                   f"{r['slow_attack_serve_rss_kib'] / 1024:.1f} MiB."),
        (["verify.wall_seconds", "verify.phases", "verify.threads", "verify_replay_entries_per_s",
          "verify_one_thread.wall_seconds", "verify_one_thread_entries_per_s"],
         lambda r: f"`verify` in full on {r['verify']['threads']} threads took "
                   f"{r['verify']['wall_seconds']:.1f} s: fetching every entry bundle and tile "
                   f"{r['verify']['phases']['fetch_entries']:.1f} s (on its own thread, beside "
                   f"the checks), the tree and root {r['verify']['phases']['hash_tree_and_root']:.2f} s "
                   f"(on the sequencer), replaying every entry through the ledger's rules with "
                   f"the signatures checked ahead on the threads "
                   f"({n(r['verify_replay_entries_per_s'])} entries/s); on one thread "
                   f"{r['verify_one_thread']['wall_seconds']:.1f} s "
                   f"({n(r['verify_one_thread_entries_per_s'])} entries/s, bounded by one core's "
                   f"Ed25519 verification rate)."),
    ])


def register_text(r):
    return sentences(r, [
        (["sealed_signed_requests.entries_per_s", "sealed_appends.entries_per_s"],
         lambda r: f"With an RFC 9421 signed request on top of each sealed submission "
                   f"(optional): {n(r['sealed_signed_requests']['entries_per_s'])}/s "
                   f"({r['sealed_signed_requests']['entries_per_s'] / r['sealed_appends']['entries_per_s'] * 100:.0f} %"
                   f" of appends), a second Ed25519 verification and a nonce write each."),
    ])


def others(r):
    named = {t.key.split(".")[0] for t in TARGETS} | USED
    rest = [(k, v) for k, v in r.items() if k not in named]
    if not rest:
        return ""
    rows = "".join(f"| `{k}` | `{json.dumps(v)}` |\n" for k, v in rest)
    return ("\n## Other figures of this run\n\nKeys of results.json that no target above names, "
            "as they are:\n\n| key | value |\n|---|---|\n" + rows)


def render(r):
    derive(r)
    commit = r.get("commit") or "(not recorded)"
    if r.get("worktree_clean") is False:
        commit += " with uncommitted changes"
    date = r.get("date") or "(not recorded)"
    body = []
    for sec, title in SECTIONS:
        rows = "\n".join(t.row(r) for t in TARGETS if t.section == sec)
        body.append(f"## {title}\n\n| target | measured | verdict |\n|---|---|---|\n{rows}\n")
        if sec == "ledger":
            body.append(ledger_text(r) + "\n")
        if sec == "register":
            body.append(register_text(r) + "\n")
    met = sum(1 for t in TARGETS if get(r, t.key) is not None and
              t.op(get(r, t.key) * t.scale, t.limit))
    measured = sum(1 for t in TARGETS if get(r, t.key) is not None)
    return f"""# Performance

<!-- generated by bench/report.py from bench/out/results.json: do not edit by hand -->

Every figure and verdict below comes from **one run** of `make bench` (bench/run.sh):
commit `{commit}`, {date}, on the machine described below. `make bench` measures
against the real daemon on loopback and writes `bench/out/results.json`;
`bench/report.py` writes this file from it and computes each verdict from the figure
and the threshold in its row. The load generator (`bench/loadgen.c`) pre-signs its
entries (and signed requests) before the clock starts and shares the 2 cores with the
daemon; wrk does too. The ledger of the read targets had {n(r['size']) if 'size' in r else '?'}
entries. Of {len(TARGETS)} targets, {measured} were measured in this run and
{met} met.

## The machine (measured in the same run)

{machine(r)}
{chr(10).join(body)}{others(r)}
## What made the difference (the design, from development; not figures of this run)

- **Group commit with suspended connections.** Workers verify signatures in
  parallel; one sequencer thread commits everything queued since its last round in
  one transaction and only then resumes the connections, and no answer precedes
  durability (the durability test checks this in an strace of every 201). Sealed
  submissions are suspended the same way.
- **Checkpoints signed from a read snapshot.** Signing under the write lock starved
  the publisher under full load; the publisher reads a snapshot and hands the row to
  the sequencer, so the p99 is the interval.
- **Full tiles as one row.** One blob per full tile, instead of 256 hash rows.
- **Proofs.** One read snapshot per proof; tile blobs that also hold the levels inside
  each tile; a shared cache of subtree hashes; the small JSON answer written directly.
- **Sealed submissions.** An index on nonce expiry; the sealer publishes big batches
  in chunks of 512 envelopes; the content's own signature authenticates a submission;
  one receipt tree per sequencer round (64 leaves, blinded); no JSON library on the
  hot path.
- **Coverage.** An index by pledge id; sealed contents streamed in one query, parsed
  incrementally; the cleared views cached per change of the register, rebuilt by a
  background warmer a second after the last change.

## Reproduce

```sh
make bench                       # BENCH_ENTRIES=200000 for a quick run
python3 bench/report.py bench/out/results.json   # rewrites this file from that run
```
"""


def main():
    if len(sys.argv) != 2:
        print("usage: bench/report.py bench/out/results.json", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        r = json.load(f)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = render(r)
    with open(os.path.join(root, "docs", "PERFORMANCE.md"), "w") as f:
        f.write(text)
    for t in TARGETS:
        v = get(r, t.key)
        verdict = NOT_MEASURED if v is None else ("met" if t.op(v * t.scale, t.limit) else "NOT met")
        print(f"- {t.text.format(limit=t.limit_text()).replace('&nbsp;', '')}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
