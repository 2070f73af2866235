#!/usr/bin/env python3
"""Score kg on the shared dev sets: overall, per article, per event type, confusions, error causes.

For each dev set (by default both shared ones: `EVAL/dev`, the Sahel, and `EVAL/dev-world`, all
regions), runs the equivalent of `kg extract DEV --format events-csv` in-process, then scores the CSV
with the shared scorer (`score.py`, imported from --eval), so the overall and per-article figures are
the scorer's own. On top of them it prints, per set:

* per gold type: gold lines, matched, recall (a line with alternatives such as ACCUSE|REJECT is
  counted once, under its joined label);
* per predicted type: distinct predicted triples, correct, precision;
* confusions: for each predicted triple that matches no gold line but whose (source, target) match
  a gold line's actors (in either order for symmetric types), the pair (gold type -> predicted
  type), counted once per predicted triple and pair;
* error causes: every missed gold line and every spurious predicted triple (distinct, as the scorer
  counts them) gets one cause, the first that applies, computed from the CSV and the gold files only
  with the scorer's own functions (`read_gold`, `read_pred`, `actor_keys`, `matches`, `lookup`):

  missed gold line
    1. actor not linked: one of its actors (source or target; '-' and '*' excepted) has none of its
       alternative keys among the actor keys of any row of the CSV for that article -- kg never
       linked that actor there;
    2. wrong type: a predicted triple of that article has the same actors (the scorer's matching,
       either order for a symmetric predicted type) but another type;
    3. wrong or missing recipient: a predicted triple has a gold type and the same source, another
       target (or none);
    4. wrong source: a predicted triple has a gold type and the same target, another source;
    5. no event read: none of the above.
  spurious predicted triple: the same tests 2-4 against the article's gold lines (wrong type, wrong
  or missing recipient, wrong source), else 6. unsupported: no gold line shares its actors.

  Causes 2-4 look at one side of a pair only, so a spurious triple and the gold line it missed
  usually both count under the same cause.

Usage (from the repository root):
    .venv/bin/python bench/dev_score.py [--eval ../shared/eval] [--dev DIR ...]

    --dev may be given several times; without it both EVAL/dev and EVAL/dev-world are scored, each
    with its own tables, and the run ends with one summary line per set ("dev: P=.. R=.. F1=..",
    "dev-world: ...").
"""

from __future__ import annotations

import argparse
import csv
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


MISSED_CAUSES = ("actor not linked", "wrong type", "wrong or missing recipient", "wrong source",
                 "no event read")
SPURIOUS_CAUSES = ("wrong type", "wrong or missing recipient", "wrong source", "unsupported")
ANY = frozenset({"*"})


def linked_keys(score: ModuleType, pred_csv: Path) -> dict[str, set[str]]:
    """Every actor key of every CSV row (typed or not), per article, by the scorer's actor_keys."""
    keys: dict[str, set[str]] = {}
    with open(pred_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found = keys.setdefault(row["article"].strip(), set())
            for side in ("source", "target"):
                found |= score.actor_keys(row[f"{side}_actor"], row[f"{side}_country"],
                                          row.get(f"{side}_wikidata"))
    return keys


def near_cause(score: ModuleType, pred: tuple, gold: tuple) -> str | None:
    """The cause tests 2-4 of the docstring for one (predicted, gold) pair that does not match."""
    psrc, ptyp, ptgt = pred
    gsrc, gtyp, gtgt = gold
    if ptyp not in gtyp:
        same = any(score.matches((psrc, t, ptgt), gold) for t in gtyp) or (
            ptyp in score.SYMMETRIC and any(score.matches((ptgt, t, psrc), gold) for t in gtyp))
        return "wrong type" if same else None
    if score.matches(pred, (gsrc, gtyp, ANY)):
        return "wrong or missing recipient"
    if score.matches(pred, (ANY, gtyp, gtgt)):
        return "wrong source"
    return None


def first_cause(causes: set[str], order: tuple[str, ...], default: str) -> str:
    """The earliest of `causes` in `order`, else `default`."""
    return next((c for c in order if c in causes), default)


def cause_table(score: ModuleType, dev: Path, pred_csv: Path) -> tuple[Counter[str], Counter[str]]:
    """Missed gold lines and spurious predicted triples counted by cause (see the docstring)."""
    preds = score.read_pred(pred_csv)
    linked = linked_keys(score, pred_csv)
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for gold_file in sorted(dev.glob("*.gold")):
        article, gold = score.read_gold(gold_file)
        plist = sorted(set(score.lookup(preds, article)), key=str)
        keys = score.lookup(linked, article) or set()
        for g in gold:
            if any(score.matches(p, g) for p in plist):
                continue
            if any(side - {"-", "*"} and not side & keys for side in (g[0], g[2])):
                missed["actor not linked"] += 1
                continue
            causes = {c for p in plist if (c := near_cause(score, p, g))}
            missed[first_cause(causes, MISSED_CAUSES, "no event read")] += 1
        for p in plist:
            if any(score.matches(p, g) for g in gold):
                continue
            causes = {c for g in gold if (c := near_cause(score, p, g))}
            spurious[first_cause(causes, SPURIOUS_CAUSES, "unsupported")] += 1
    return missed, spurious


def margins(counts: Counter[str], k: int | None = None) -> str:
    """'A 3, B 2, ...': the k largest counts, ties in name order."""
    return ", ".join(f"{t} {n}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def score_set(score: ModuleType, eval_dir: Path, dev: Path) -> str:
    """Extract and score one dev set, print its tables; return its summary line."""
    name = dev.name
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pred_csv = Path(tmp) / "pred.csv"
        n_articles = extract_csv(dev, pred_csv)
        seconds = time.perf_counter() - start
        print(f"==== {name} ({dev})")
        print(f"== Per article and overall (shared scorer {eval_dir / 'score.py'})")
        score.score(str(dev), str(pred_csv))
        gold_n, gold_ok, pred_n, pred_ok, confusion = type_tables(score, dev, pred_csv)
        missed, spurious = cause_table(score, dev, pred_csv)

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

    print("\n== Error causes (first that applies; see the docstring)")
    causes = list(dict.fromkeys((*MISSED_CAUSES, *SPURIOUS_CAUSES)))
    rows = [[c, str(missed[c]) if c in MISSED_CAUSES else "-",
             str(spurious[c]) if c in SPURIOUS_CAUSES else "-", str(missed[c] + spurious[c])]
            for c in causes]
    rows.append(["total", str(sum(missed.values())), str(sum(spurious.values())),
                 str(sum(missed.values()) + sum(spurious.values()))])
    print(format_table(["cause", "missed gold", "spurious", "total"], rows))

    p, r, f = prf(sum(pred_ok.values()), sum(pred_n.values()),
                  sum(gold_ok.values()), sum(gold_n.values()))
    top = margins(by_pred, 3) or "none"
    print(f"\n{name}: {n_articles} articles extracted in {seconds:.1f}s\n")
    return (f"{name}: P={p:.2f} R={r:.2f} F1={f:.2f} (gold {sum(gold_n.values())}, predicted "
            f"{sum(pred_n.values())}, matched {sum(gold_ok.values())}); {sum(confusion.values())} "
            f"type confusions, most often predicted as {top}; missed by cause: "
            f"{margins(missed, 2) or 'none'}; spurious: {margins(spurious, 2) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval",
                        help="directory holding score.py (default: ../shared/eval from the repo)")
    parser.add_argument("--dev", type=Path, action="append", default=None,
                        help="dev articles and .gold files; may be given several times "
                             "(default: EVAL/dev and EVAL/dev-world)")
    args = parser.parse_args(argv)
    devs = args.dev or [args.eval / "dev", args.eval / "dev-world"]
    for dev in devs:
        if not dev.is_dir():
            raise SystemExit(f"no dev directory at {dev} (give --dev DIR)")
    score = load_scorer(args.eval)

    summaries = [score_set(score, args.eval, dev) for dev in devs]
    print(run_stamp())
    for line in summaries:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
