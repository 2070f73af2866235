"""Peak memory of `kg export` to the RDF formats at two store sizes: flat means it streams.

    .venv/bin/python bench/export_memory.py [--triples 75000 300000] [--seed-articles 10]
                                            [--formats nquads turtle trig jsonld]
                                            [--no-baseline] [--no-server]

Builds two embedded stores without spaCy at scale, as store_scale.py does: it ingests
--seed-articles generated articles (bench/make_corpus.py), replicates their named graphs with
renamed IRIs into one N-Quads file of the larger --triples size, and bulk loads that file and its
first lines (the smaller size, ending at an article boundary) into two new stores. Then, for each
store and format, it runs `python -m kg.cli export --store DIR --format FMT -o FILE` in a
subprocess, reads that process's peak resident set (ru_maxrss from os.wait4, in a small launcher
process) and checks that the file holds every quad of the store (turtle: parses).

- **floor**: a bare Python process that opens the store with pyoxigraph and reads every quad,
  writing nothing: what reading the store costs the storage engine itself (RocksDB's caches of
  blocks, indexes and filters, which grow with the store and then level off).
- **baseline**: the export as kg did it before it streamed (every quad copied from the store into
  an rdflib Dataset, then serialised; kept here as `old_write_rdf`), N-Quads, run the same way on
  the same stores. --no-baseline skips it (it is the slow part).
- **server**: the same `kg export` of an `oxigraph serve` (started here on a free local port)
  holding each size in turn; only kg's client process is measured. --no-server skips it.

It prints, per export, the peak RSS at each size, their ratio, the growth in MB per 100,000
triples and the seconds. The interpreter with kg imported takes a fixed 130 MB or so, so the
growth column is the one to read. Flat: every streamed export grows by at most a tenth of what
the in-memory export grows (without the baseline: at most 4 MB per 100k more than the floor).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from _common import run_stamp
from _perf import machine_check
from make_corpus import ensure_corpus
from store_scale import clean_up, head_lines, post_nquads, seed_graphs, start_server, write_nquads

OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
# What reading the whole store costs the storage engine itself (RocksDB's block cache and the
# index and filter blocks of the files it opens grow with the store, then level off): the floor
# a streaming export cannot go below.
FLOOR = "import sys, pyoxigraph\nfor _ in pyoxigraph.Store(sys.argv[1]):\n    pass\n"
# Flat: a streamed export grows by at most this share of what the in-memory export grows (or,
# without the baseline, by at most SLACK_MB per 100,000 triples more than the floor).
MAX_SHARE, SLACK_MB = 0.1, 4.0


def old_write_rdf(store_dir: str, fmt: str, out: str) -> None:
    """kg's export before it streamed: the whole store in an rdflib graph, then serialised."""
    from rdflib import Dataset, Graph, URIRef

    from kg.rdf.store import Store
    from kg.rdf.vocab import PREFIXES

    store = Store(store_dir, must_exist=True)
    target: Graph | Dataset = Graph() if fmt == "turtle" else Dataset()
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns)
    for s, p, o, g in store.quads():
        if isinstance(target, Dataset):
            target.graph(URIRef(str(g))).add((s, p, o))
        else:
            target.add((s, p, o))
    with open(out, "wb") as stream:
        target.serialize(stream, format={"jsonld": "json-ld"}.get(fmt, fmt))
    store.close()


# Linux carries a process's peak RSS across fork and exec, so a child forked from this (large)
# process would report at least this process's size: a small launcher forks the export instead
# and reports its own child's peak.
LAUNCHER = ("import os, subprocess, sys\n"
            "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
            "_, status, usage = os.wait4(child.pid, 0)\n"
            "print(usage.ru_maxrss)\n"
            "sys.exit(os.waitstatus_to_exitcode(status))\n")


def measured(cmd: list[str], log: Path) -> tuple[float, float]:
    """Peak RSS (MB) of a process running `cmd`, and its wall seconds; exits if it fails."""
    start = time.perf_counter()
    with open(log, "wb") as err:
        done = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], stdout=subprocess.PIPE,
                              stderr=err, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read_text(errors='replace')[-2000:]}")
    return int(done.stdout) / 1024, time.perf_counter() - start


def quads_in(path: Path, fmt: str) -> int:
    return sum(1 for _ in ox.parse(path=path, format=OX_FORMATS[fmt]))


def clear(base: str) -> None:
    request = urllib.request.Request(f"{base}/update", data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, nargs=2, default=[75_000, 300_000],
                    metavar=("SMALL", "LARGE"))
    ap.add_argument("--seed-articles", type=int, default=10)
    ap.add_argument("--formats", nargs="+", choices=list(OX_FORMATS), default=list(OX_FORMATS))
    ap.add_argument("--no-baseline", action="store_true", help="skip the in-memory export")
    ap.add_argument("--no-server", action="store_true", help="skip oxigraph serve")
    ap.add_argument("--old-export", nargs=3, help=argparse.SUPPRESS)  # the baseline's child
    args = ap.parse_args()
    if args.old_export:
        old_write_rdf(*args.old_export)
        return
    small_target, large_target = sorted(args.triples)
    print(f"export_memory: {run_stamp()}")
    print(machine_check())

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-export-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        corpus = ensure_corpus(Path(f"/tmp/kg-corpus-{args.seed_articles}"), args.seed_articles)
        start = time.perf_counter()
        articles, shared = seed_graphs(corpus, workdir)
        data = {"large": workdir / "large.nq", "small": workdir / "small.nq"}
        large, small = write_nquads(articles, shared, large_target, data["large"], small_target)
        head_lines(data["large"], small, data["small"])
        sizes = {"small": small, "large": large}
        stores = {}
        for key, path in data.items():
            stores[key] = workdir / f"store-{key}"
            ox.Store(str(stores[key])).bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        print(f"stores: {small:,} and {large:,} quads (bulk loaded from {len(articles)} seed "
              f"article graphs replicated) in {time.perf_counter() - start:.0f}s")

        kg = [sys.executable, "-m", "kg.cli", "export"]
        old = [sys.executable, str(Path(__file__).resolve()), "--old-export"]
        rows: list[tuple[str, dict[str, tuple[float, float]]]] = []

        def measure(label: str, fmt: str, command: dict[str, list[str]]) -> None:
            cells = {}
            for key in ("small", "large"):
                out = workdir / f"out.{fmt}"
                cells[key] = measured([*command[key], str(out)], workdir / "stderr.log")
                count = quads_in(out, fmt)
                if fmt != "turtle" and count != sizes[key]:
                    raise SystemExit(f"{label}: wrote {count} quads of {sizes[key]}")
                out.unlink()
            rows.append((label, cells))

        floor = [sys.executable, "-c", FLOOR]
        rows.append(("floor: pyoxigraph reads every quad", {
            k: measured([*floor, str(stores[k])], workdir / "stderr.log") for k in stores}))
        for fmt in args.formats:
            measure(f"{fmt}, embedded", fmt, {
                k: [*kg, "--store", str(stores[k]), "--format", fmt, "-o"] for k in stores})
        if not args.no_baseline:
            measure("nquads, embedded, old in-memory export", "nquads",
                    {k: [*old, str(stores[k]), "nquads"] for k in stores})
        if not args.no_server:
            server, base = start_server(workdir / "server")
            cells: dict[str, dict[str, tuple[float, float]]] = {fmt: {} for fmt in args.formats}
            for key in ("small", "large"):
                clear(base)
                post_nquads(base, data[key])
                for fmt in args.formats:
                    out = workdir / f"out.{fmt}"
                    cells[fmt][key] = measured([*kg, "--store", base, "--format", fmt, "-o",
                                                str(out)], workdir / "stderr.log")
                    if fmt != "turtle" and quads_in(out, fmt) != sizes[key]:
                        raise SystemExit(f"{fmt}, server: the export lacks quads")
                    out.unlink()
            rows += [(f"{fmt}, oxigraph serve", cells[fmt]) for fmt in args.formats]

        per = (large - small) / 100_000
        print(f"\npeak RSS of the export process, MB, at {small:,} and {large:,} triples "
              f"({large / small:.1f}x)")
        print(f"{'export':<40}{'small':>8}{'large':>8}{'ratio':>8}{'MB/100k':>9}"
              f"{'s small':>9}{'s large':>9}")
        for label, measures in rows:
            (p_small, s_small), (p_large, s_large) = measures["small"], measures["large"]
            print(f"{label:<40}{p_small:8.0f}{p_large:8.0f}{p_large / p_small:8.2f}"
                  f"{(p_large - p_small) / per:9.1f}{s_small:9.1f}{s_large:9.1f}")
        growth = {label: (c["large"][0] - c["small"][0]) / per for label, c in rows}
        floor_growth = growth.pop("floor: pyoxigraph reads every quad")
        old_growth = growth.pop("nquads, embedded, old in-memory export", None)
        worst_label = max(growth, key=lambda label: growth[label])
        worst = growth[worst_label]
        if old_growth is not None:
            allowed, rule = old_growth * MAX_SHARE, (f"{MAX_SHARE:.0%} of the in-memory export's "
                                                     f"{old_growth:.0f}")
        else:
            allowed, rule = floor_growth + SLACK_MB, (f"the floor's {floor_growth:.1f} + "
                                                      f"{SLACK_MB:.0f}")
        print(f"\nflat (growth <= {rule} MB per 100k triples) for every streamed export: "
              f"{'met' if worst <= allowed else 'MISSED'} (most: {worst_label}, {worst:.1f} MB; "
              f"reading the store alone: {floor_growth:.1f} MB)")
        table = dict(rows)
        nquads, baseline = table.get("nquads, embedded"), table.get(
            "nquads, embedded, old in-memory export")
        summary = f"summary: {small:,} -> {large:,} triples: "
        if nquads:
            summary += (f"kg export nquads peak {nquads['small'][0]:.0f} -> "
                        f"{nquads['large'][0]:.0f} MB "
                        f"({nquads['large'][0] / nquads['small'][0]:.2f}x)")
        if baseline:
            summary += (f", the old in-memory export {baseline['small'][0]:.0f} -> "
                        f"{baseline['large'][0]:.0f} MB "
                        f"({baseline['large'][0] / baseline['small'][0]:.2f}x)")
        print(summary + f"; streamed exports grow at most {worst:.1f} MB per 100k triples, "
              f"reading the store alone {floor_growth:.1f}")
    finally:
        clean_up(server, workdir)


if __name__ == "__main__":
    main()
