#!/usr/bin/env python3
"""Score kg on the shared dev set: overall, per article, per event type, and type confusions.

Runs the equivalent of `kg extract DEV --format events-csv` in-process, then scores the CSV with the
shared scorer (`score.py`, imported from --eval), so the overall and per-article figures are the
scorer's own. On top of them it prints:

* per gold type: gold lines, matched, recall (a line with alternatives such as ACCUSE|REJECT is
  counted once, under its joined label);
* per predicted type: distinct predicted triples, correct, precision;
* confusions: for each predicted triple that matches no gold line but whose (source, target) match
  a gold line's actors (in either order for symmetric types), the pair (gold type -> predicted
  type), counted once per predicted triple and pair.

Usage (from the repository root):
    .venv/bin/python bench/dev_score.py [--eval ../shared/eval] [--dev ../shared/eval/dev]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

from _common import REPO, prf, ratio, run_stamp

from kg import api
from kg.export.table import format_table


def load_scorer(eval_dir: Path) -> ModuleType:
    """Import the shared score.py by path."""
    path = eval_dir / "score.py"
    if not path.is_file():
        raise SystemExit(f"no scorer at {path} (give --eval DIR)")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_csv(dev: Path, out: Path) -> int:
    """Write the events CSV of every article under `dev` to `out`; return the article count."""
    store, report = api.extract([str(dev)])
    for error in report.errors:
        print(f"skipped: {error}", file=sys.stderr)
    out.write_bytes(api.export(store, "events-csv", None) or b"")
    return report.articles


def type_tables(score: ModuleType, dev: Path, pred_csv: Path
                ) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str],
                           Counter[tuple[str, str]]]:
    """Gold/matched counts per gold type, predicted/correct per predicted type, and confusions."""
    preds = score.read_pred(pred_csv)
    gold_n: Counter[str] = Counter()
    gold_ok: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    pred_ok: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for gold_file in sorted(dev.glob("*.gold")):
        article, gold = score.read_gold(gold_file)
        plist = sorted(set(score.lookup(preds, article)), key=str)
        for g in gold:
            label = "|".join(sorted(g[1]))
            gold_n[label] += 1
            gold_ok[label] += any(score.matches(p, g) for p in plist)
        for p in plist:
            pred_n[p[1]] += 1
            if any(score.matches(p, g) for g in gold):
                pred_ok[p[1]] += 1
                continue
            pairs = set()
            for g in gold:
                if p[1] in g[1]:
                    continue
                # Same actors under the gold type (the scorer's own matching, including its
                # either-order rule), or reversed when the predicted type is symmetric.
                same = any(score.matches((p[0], t, p[2]), g) for t in g[1]) or (
                    p[1] in score.SYMMETRIC
                    and any(score.matches((p[2], t, p[0]), g) for t in g[1]))
                if same:
                    pairs.add(("|".join(sorted(g[1])), p[1]))
            confusion.update(pairs)
    return gold_n, gold_ok, pred_n, pred_ok, confusion


def margins(counts: Counter[str], k: int | None = None) -> str:
    """'A 3, B 2, ...': the k largest counts, ties in name order."""
    return ", ".join(f"{t} {n}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval",
                        help="directory holding score.py (default: ../shared/eval from the repo)")
    parser.add_argument("--dev", type=Path, default=None,
                        help="dev articles and .gold files (default: EVAL/dev)")
    args = parser.parse_args(argv)
    dev = args.dev or args.eval / "dev"
    if not dev.is_dir():
        raise SystemExit(f"no dev directory at {dev} (give --dev DIR)")
    score = load_scorer(args.eval)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pred_csv = Path(tmp) / "pred.csv"
        n_articles = extract_csv(dev, pred_csv)
        seconds = time.perf_counter() - start
        print(f"== Per article and overall (shared scorer {args.eval / 'score.py'})")
        score.score(str(dev), str(pred_csv))
        gold_n, gold_ok, pred_n, pred_ok, confusion = type_tables(score, dev, pred_csv)

    print("\n== Gold types (recall)")
    rows = [[t, str(gold_n[t]), str(gold_ok[t]), ratio(gold_ok[t], gold_n[t])]
            for t in sorted(gold_n, key=lambda t: (-gold_n[t], t))]
    print(format_table(["gold type", "gold", "matched", "recall"], rows))

    print("\n== Predicted types (precision, distinct triples)")
    rows = [[t, str(pred_n[t]), str(pred_ok[t]), ratio(pred_ok[t], pred_n[t])]
            for t in sorted(pred_n, key=lambda t: (-pred_n[t], t))]
    print(format_table(["predicted type", "predicted", "correct", "precision"], rows))

    print("\n== Confusions: actors match a gold line, type differs (gold -> predicted)")
    rows = [[g, p, str(n)] for (g, p), n in sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))]
    print(format_table(["gold type", "predicted type", "count"], rows) if rows else "(none)")
    by_gold: Counter[str] = Counter()
    by_pred: Counter[str] = Counter()
    for (g, q), n in confusion.items():
        by_gold[g] += n
        by_pred[q] += n
    print("totals by gold type: " + (margins(by_gold) or "none"))
    print("totals by predicted type: " + (margins(by_pred) or "none"))

    p, r, f = prf(sum(pred_ok.values()), sum(pred_n.values()),
                  sum(gold_ok.values()), sum(gold_n.values()))
    top = margins(by_pred, 3) or "none"
    print(f"\n{n_articles} articles extracted in {seconds:.1f}s; {run_stamp()}")
    print(f"dev: micro P={p:.2f} R={r:.2f} F1={f:.2f} (gold {sum(gold_n.values())}, predicted "
          f"{sum(pred_n.values())}, matched {sum(gold_ok.values())}); {sum(confusion.values())} "
          f"type confusions, most often predicted as {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
