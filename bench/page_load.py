"""How fast the graph page opens and responds in headless Chromium, for a big and a small graph.

    .venv/bin/python bench/page_load.py [--nodes 5000] [--edges 20000] [--small 500] [--runs 3]

Builds a deterministic synthetic GraphView (random types, countries, dates and a few sources per
edge), renders the page in Python (timed), opens it from disk in headless Chromium with every
network request made to fail (the options of tests/test_html_browser.py), and measures:

- ready: ms from navigation start until the page sets window.kgReady (after the network's first
  drawing, or after stabilisation when physics is on), read from window.kgReadyAt;
- select: ms for kgNetwork.selectNodes([id]) plus a synchronous redraw, in the page;
- filter: ms to hide one entity type through the filter DataViews and redraw.

Each figure is the median of --runs page loads. The small graph is measured in the same run and
the big/small ratio printed. The graph is made in memory: bench/export_scale.py times the real
path, from kg ingest to the exported page. Not a test: pytest does not collect bench/.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import run_stamp
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from kg.export.browser import CHROMEDRIVER, CHROMIUM, have_chromium, offline_chromium
from kg.export.html import load_page_style, render_html
from kg.export.scope import event_types
from kg.export.view import EdgeView, GraphView, NodeView, SourceRef

COUNTRIES = ("NER", "MLI", "BFA", "TCD", "NGA", "SDN", "LBY", "DZA", "FRA", "USA", "RUS", "CHN",
             "TUR", "ARE", "UKR", "GBR", "DEU", "ITA", "EGY", "ETH", None)
SELECT_JS = """
const t0 = performance.now();
kgNetwork.selectNodes([arguments[0]]);
kgNetwork.redraw();
return performance.now() - t0;
"""
FILTER_JS = """
const t0 = performance.now();
kgFilters.toggleNodeType(arguments[0]);
kgNetwork.redraw();
const ms = performance.now() - t0;
kgFilters.toggleNodeType(arguments[0]);
return ms;
"""


def synthetic_view(n_nodes: int, n_edges: int, seed: int = 1) -> GraphView:
    """A random but reproducible graph with the shape of kg's: typed nodes, dated, sourced edges."""
    rng = random.Random(seed)
    node_types = sorted(load_page_style().node_types)
    types = sorted(event_types())
    nodes = tuple(
        NodeView(
            id=f"https://kg.example/id/n{i:05}",
            label=f"Actor {i}",
            type=rng.choice(node_types),
            country=rng.choice(COUNTRIES),
            aliases=(f"A{i}",) if i % 3 == 0 else (),
        )
        for i in range(n_nodes)
    )
    edges = []
    for i in range(n_edges):
        # a few hubs, as in news: half the edges touch the first 5% of the nodes
        a = rng.randrange(max(1, n_nodes // 20)) if rng.random() < 0.5 else rng.randrange(n_nodes)
        b = rng.randrange(n_nodes)
        dated = rng.random() < 0.85
        date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        sources = tuple(
            SourceRef(
                sentence=f"Sentence {k} about relation {i}, as the agency reported on the day.",
                article_title=f"Article {i % 997}-{k}",
                article_url=f"https://news.example/{i % 997}/{k}",
                article_date=date if dated else None,
                article_id=f"a{i % 997}-{k}",
                rule="bench",
            )
            for k in range(rng.randint(1, 4))
        )
        edges.append(
            EdgeView(
                id=f"https://kg.example/id/e{i:05}",
                source=nodes[a].id,
                target=nodes[b].id,
                relation="relatedTo",
                label="related to",
                event_type=rng.choice(types),
                dates=(date,) if dated else (),
                sources=sources,
            )
        )
    return GraphView(nodes, tuple(edges))


def chrome(profile: Path) -> webdriver.Chrome:
    """Headless Chromium as the browser tests start it, network requests made to fail."""
    return offline_chromium(profile)


def measure(driver: webdriver.Chrome, view: GraphView, out: Path, runs: int) -> dict[str, float]:
    """Render the page once, load it `runs` times; medians of each figure."""
    t0 = time.perf_counter()
    page = render_html(view, title=f"bench {len(view.nodes)}")
    render_s = time.perf_counter() - t0
    out.write_text(page, encoding="utf-8")
    hub, node_type = view.nodes[0].id, view.nodes[0].type
    ready, select, filt = [], [], []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(out.as_uri())
        WebDriverWait(driver, 120, poll_frequency=0.05).until(
            lambda d: d.execute_script("return window.kgReady === true")
        )
        ready.append(float(driver.execute_script("return window.kgReadyAt")))
        select.append(float(driver.execute_script(SELECT_JS, hub)))
        filt.append(float(driver.execute_script(FILTER_JS, node_type)))
    return {
        "render_s": render_s,
        "mb": len(page.encode("utf-8")) / 1e6,
        "ready_ms": statistics.median(ready),
        "select_ms": statistics.median(select),
        "filter_ms": statistics.median(filt),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--small", type=int, default=500, help="nodes of the comparison page")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not have_chromium():
        print(f"needs {CHROMIUM} and {CHROMEDRIVER}", file=sys.stderr)
        return 2
    print(f"page load benchmark ({run_stamp()})")
    sizes = [(args.small, args.small * args.edges // args.nodes), (args.nodes, args.edges)]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        driver = chrome(Path(tmp) / "profile")
        try:
            for n, m in sizes:
                results[n] = measure(driver, synthetic_view(n, m), Path(tmp) / f"g{n}.html",
                                     args.runs)
        finally:
            driver.quit()
    print(f"{'nodes':>6} {'edges':>6} {'page MB':>8} {'render s':>9} {'ready ms':>9} "
          f"{'select ms':>10} {'filter ms':>10}")
    for n, m in sizes:
        r = results[n]
        print(f"{n:>6} {m:>6} {r['mb']:>8.1f} {r['render_s']:>9.2f} {r['ready_ms']:>9.0f} "
              f"{r['select_ms']:>10.1f} {r['filter_ms']:>10.1f}")
    big, small = results[args.nodes], results[args.small]
    ratio = big["ready_ms"] / small["ready_ms"] if small["ready_ms"] else float("nan")
    verdict = "within" if big["ready_ms"] <= 5000 else "OVER"
    print(f"summary: {args.nodes} nodes/{args.edges} edges ready in {big['ready_ms'] / 1000:.2f} s "
          f"({verdict} 5 s; {ratio:.1f}x the {args.small}-node page), select "
          f"{big['select_ms']:.0f} ms, filter {big['filter_ms']:.0f} ms, render "
          f"{big['render_s']:.1f} s in Python")
    return 0


if __name__ == "__main__":
    sys.exit(main())
