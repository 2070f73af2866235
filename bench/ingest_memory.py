"""Peak memory of ingesting many articles in one process, and whether it grows with the count.

    .venv/bin/python bench/ingest_memory.py [--articles 2000] [--corpus DIR] [--workers 1]

Ingests a generated corpus (bench/make_corpus.py; made in /tmp/kg-corpus-N if missing) with one
`kg.api.ingest` call into a new embedded store, as `kg ingest DIR` does. After every stored article
(the progress callback) it reads the process's resident set (VmRSS); at each quarter of the
articles it also reads the peak so far (ru_maxrss). It prints, per quarter, the peak and the
highest sampled RSS within that quarter, and the ratio of the last quarter's highest RSS to the
first's (flat memory: close to 1). The peak it reports is taken after the ingest returns, so it
covers the compaction that ends a long run. With --workers N the pool's processes are not
counted.

Targets (issue): peak <= 1.5 GB ingesting 10,000 articles (`--articles 10000`, about 10 minutes
on two cores), and not growing with the article count.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import run_stamp
from _perf import peak_rss_mb, rss_mb
from make_corpus import ensure_corpus

from kg import api
from kg.nlp.pipeline import load_nlp
from kg.records import Article

MAX_PEAK_MB, MAX_GROWTH = 1536.0, 1.1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, help="default /tmp/kg-corpus-N (generated if missing)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    corpus = ensure_corpus(args.corpus or Path(f"/tmp/kg-corpus-{args.articles}"), args.articles)
    print(f"ingest_memory: {args.articles} articles from {corpus}, workers={args.workers}; "
          f"{run_stamp()}")

    before = rss_mb()
    load_nlp()
    loaded = rss_mb()
    quarters = [max(1, round(args.articles * q / 4)) for q in (1, 2, 3, 4)]
    done, high = 0, 0.0
    rows: list[tuple[int, float, float, float]] = []  # articles, seconds, peak so far, quarter RSS
    start = time.perf_counter()

    def progress(_: Article) -> None:
        nonlocal done, high
        done += 1
        high = max(high, rss_mb())
        if done in quarters:
            rows.append((done, time.perf_counter() - start, peak_rss_mb(), high))
            high = 0.0

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    try:
        report = api.ingest([str(corpus)], str(workdir / "store"), progress=progress,
                            workers=args.workers)
        final_peak = peak_rss_mb()  # with the compaction that ends a long run
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if report.errors:
        print(f"{len(report.errors)} articles failed, first: {report.errors[0]}")

    compacted = f" (of which compacting at the end {report.compact_seconds:.0f}s)" \
        if report.compact_seconds else ""
    print(f"RSS before loading the model {before:.0f} MB, after {loaded:.0f} MB; "
          f"{report.triples} triples written in {report.seconds:.0f}s{compacted}")
    print(f"\n{'articles':>9}{'seconds':>9}{'peak so far MB':>16}{'highest RSS in quarter MB':>27}")
    for n, secs, peak, quarter in rows:
        print(f"{n:>9}{secs:9.0f}{peak:16.0f}{quarter:27.0f}")
    peak, growth = max(rows[-1][2], final_peak), rows[-1][3] / rows[0][3]
    print(f"\npeak {peak:.0f} MB   target <= {MAX_PEAK_MB:.0f} MB: "
          f"{'met' if peak <= MAX_PEAK_MB else 'MISSED'}"
          f"{'' if args.articles >= 10_000 else f' (at {args.articles} articles, not 10,000)'}")
    print(f"growth, last quarter / first quarter highest RSS: {growth:.2f}x   "
          f"flat (<= {MAX_GROWTH}x): {'met' if growth <= MAX_GROWTH else 'MISSED'}")
    print(f"summary: {args.articles} articles, peak {peak:.0f} MB, growth {growth:.2f}x, "
          f"+{(rows[-1][3] - rows[0][3]) / (rows[-1][0] - rows[0][0]) * 1000:.0f} KB per article "
          f"after the first quarter")


if __name__ == "__main__":
    main()
