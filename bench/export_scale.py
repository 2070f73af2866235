"""Export at scale: the real path from `kg ingest` of a synthetic corpus to the page ready in
headless Chromium, with every packaged query the page, the tables and the CLI run timed on the
ingested store.

    .venv/bin/python bench/export_scale.py [--sizes 1000 10000] [--work /tmp/kg-scale]
                                           [--workers 1] [--runs 3] [--timeout 600] [--reuse]

For each size N (articles), in one run:

- makes the corpus (`make_corpus.py`, article N the same whatever the size) and times
  `kg ingest CORPUS --store STORE` in a child process: the baseline of every ratio printed;
- times every packaged query on that store, reading every row through kg as the CLI does: the
  page's `edges` and `nodes`, the tables' `events`, `stats`, `entities`, and each named query
  with the parameters a user would try first (NER, RETREAT, 2020-01-01 to 2024-12-31). Each runs
  in a child process killed after --timeout seconds, so a query that would run for an hour is
  reported as such rather than stalling the run;
- times `kg export --format html`, `events-csv` and `canonical-csv` in a child process each;
- opens the exported page from disk in headless Chromium (the browser tests' options: every
  network request fails) --runs times and reads window.kgReadyAt (ms from navigation start until
  the page has drawn, after physics has settled where it runs).

--reuse keeps a store an earlier run ingested into --work (same size and workers) and reports
the ingest time that run recorded. Not a test: pytest does not collect bench/.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, run_stamp
from _perf import machine_check
from make_corpus import ensure_corpus

PACKAGED = ("edges", "nodes", "events", "stats", "entities")
DEFAULTS = {"country": "NER", "type": "RETREAT", "from": "2020-01-01", "to": "2024-12-31"}
EXPORTS = ("html", "events-csv", "canonical-csv")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def kg(*args: str) -> float:
    """Run the kg CLI of this checkout in a child process; its wall time in seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, check=True,
                   stdout=sys.stderr)
    return time.perf_counter() - t0


def ingested(work: Path, n: int, workers: int, reuse: bool) -> tuple[Path, float, str]:
    """The store of n synthetic articles, its `kg ingest` wall time, and where that time comes
    from (this run, or the run that built the store when --reuse finds it)."""
    corpus = ensure_corpus(work / f"corpus-{n}", n)
    store, record = work / f"store-{n}", work / f"store-{n}.json"
    if reuse and record.is_file() and store.is_dir():
        meta = json.loads(record.read_text())
        if meta.get("articles") == n and meta.get("workers") == workers:
            return store, float(meta["seconds"]), f"recorded by an earlier run, {meta['stamp']}"
    shutil.rmtree(store, ignore_errors=True)
    record.unlink(missing_ok=True)
    say(f"[{n}] kg ingest (workers={workers}) ...")
    stamp = run_stamp()  # the code the ingest starts on
    seconds = kg("ingest", str(corpus), "--store", str(store), "--workers", str(workers))
    record.write_text(json.dumps({"articles": n, "workers": workers, "seconds": seconds,
                                  "stamp": stamp}))
    return store, seconds, "this run"


def _time_query(store_path: str, name: str, out: multiprocessing.Queue) -> None:
    from kg.rdf.named import named_queries, run_named
    from kg.rdf.queries import select
    from kg.rdf.store import open_store

    with open_store(store_path, must_exist=True) as store:
        t0 = time.perf_counter()
        if name in PACKAGED:
            rows = sum(1 for _ in select(store, name))
        else:
            params = {p.name: DEFAULTS[p.name] for p in named_queries()[name].params}
            rows = sum(1 for _ in run_named(store, name, params))
        out.put((time.perf_counter() - t0, rows))


def time_query(store: Path, name: str, timeout: float) -> tuple[float | None, int]:
    """(seconds, rows) of one query read whole, in a child process; (None, 0) past `timeout`."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_time_query, args=(str(store), name, out))
    child.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                return out.get(timeout=1)
            except queue.Empty:
                if not child.is_alive():
                    raise SystemExit(f"{name}: the query's process died ({child.exitcode})")
        return None, 0
    finally:
        child.kill()
        child.join()


def page_ready(page: Path, runs: int, timeout: float) -> list[float]:
    """ms until window.kgReady, for `runs` loads of the page from disk in headless Chromium."""
    from selenium.webdriver.support.ui import WebDriverWait

    from kg.export.browser import offline_chromium

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        driver = offline_chromium(Path(tmp) / "profile")
        try:
            driver.set_page_load_timeout(timeout)
            for _ in range(runs):
                driver.get("about:blank")
                driver.get(page.as_uri())
                WebDriverWait(driver, timeout, poll_frequency=0.05).until(
                    lambda d: d.execute_script("return window.kgReady === true"))
                out.append(float(driver.execute_script("return window.kgReadyAt")))
        finally:
            driver.quit()
    return out


def measure(args: argparse.Namespace, n: int) -> dict:
    from kg.rdf.named import named_queries

    store, ingest_s, origin = ingested(args.work, n, args.workers, args.reuse)
    say(f"[{n}] ingest {ingest_s:.1f} s ({origin})")
    queries = {}
    for name in (*PACKAGED, *named_queries()):
        say(f"[{n}] query {name} ...")
        queries[name] = time_query(store, name, args.timeout)
        seconds, rows = queries[name]
        say(f"[{n}] query {name}: " + (f"{seconds:.2f} s, {rows} rows" if seconds is not None
                                        else f"stopped after {args.timeout:.0f} s"))
    exports = {}
    for fmt in EXPORTS:
        out = args.work / f"export-{n}.{'html' if fmt == 'html' else fmt + '.csv'}"
        say(f"[{n}] kg export --format {fmt} ...")
        exports[fmt] = kg("export", "--store", str(store), "--format", fmt, "-o", str(out))
        say(f"[{n}] kg export --format {fmt}: {exports[fmt]:.1f} s, "
            f"{out.stat().st_size / 1e6:.1f} MB")
    page = args.work / f"export-{n}.html"
    say(f"[{n}] page in Chromium, {args.runs} loads ...")
    ready = page_ready(page, args.runs, args.timeout)
    return {"ingest": ingest_s, "origin": origin, "queries": queries, "exports": exports,
            "ready_ms": statistics.median(ready), "ready_all": ready,
            "page_mb": page.stat().st_size / 1e6, "graph": _graph_size(page)}


def _graph_size(page: Path) -> str:
    """'nodes/edges' as the page's counts line says them."""
    import re

    m = re.search(r'class="kg-counts"[^>]*>([^<]*)<', page.read_text(encoding="utf-8"))
    return m.group(1).strip() if m else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-scale"))
    ap.add_argument("--workers", type=int, default=1, help="kg ingest --workers")
    ap.add_argument("--runs", type=int, default=3, help="page loads per size")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per query or page load")
    ap.add_argument("--reuse", action="store_true", help="keep a store ingested by a former run")
    ap.add_argument("--ingest-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"export at scale ({run_stamp()}; {os.cpu_count()} cores)")
    print(machine_check())
    results = {}
    for n in args.sizes:
        if args.ingest_only:
            ingested(args.work, n, args.workers, args.reuse)
            continue
        results[n] = measure(args, n)
    if not results:
        return 0
    print(f"\n{'query':<18}" + "".join(f"{f'{n} s':>12}{'rows':>8}" for n in results))
    for name in next(iter(results.values()))["queries"]:
        line = f"{name:<18}"
        for r in results.values():
            seconds, rows = r["queries"][name]
            line += (f"{seconds:>12.2f}{rows:>8}" if seconds is not None
                     else f"{'>' + str(int(args.timeout)):>12}{'-':>8}")
        print(line)
    print(f"\n{'articles':>8} {'ingest s':>9} " + " ".join(f"{f + ' s':>17}" for f in EXPORTS)
          + f" {'html/ingest':>11} {'page MB':>8} {'ready ms':>9}  graph")
    for n, r in results.items():
        print(f"{n:>8} {r['ingest']:>9.1f} " + " ".join(f"{r['exports'][f]:>17.1f}" for f in EXPORTS)
              + f" {r['exports']['html'] / r['ingest']:>11.3f} {r['page_mb']:>8.1f} "
              f"{r['ready_ms']:>9.0f}  {r['graph']}")
        if r["origin"] != "this run":
            print(f"{'':>8} ingest {r['origin']}")
    for n, r in results.items():
        ratio = r["exports"]["html"] / r["ingest"]
        print(f"summary {n}: export --format html {r['exports']['html']:.1f} s = {ratio:.3f}x "
              f"the ingest ({r['ingest']:.0f} s; {'within' if ratio <= 0.25 else 'OVER'} 0.25x); "
              f"page ready in {r['ready_ms'] / 1000:.2f} s "
              f"({'within' if r['ready_ms'] <= 5000 else 'OVER'} 5 s; loads "
              f"{', '.join(f'{x / 1000:.2f}' for x in r['ready_all'])} s)")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
