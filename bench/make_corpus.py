"""Generate a synthetic corpus for the speed and memory benchmarks (never written into the repo).

    .venv/bin/python bench/make_corpus.py [--articles 200] [--out /tmp/kg-corpus] [--seed 1]
                                          [--dev ../shared/eval/dev]

Each article is a Markdown file with front matter (title, url https://example.org/synthetic/N,
date spread over 2020-2024) and 10-20 sentences drawn from the shared dev articles (front matter
stripped, split at sentence punctuation). In each article, each state the sentences name (by label,
alias or demonym from kg's gazetteer) is replaced, with probability one half, by another state of
the gazetteer, consistently within the article. Everything is drawn from a random generator seeded
by (--seed, article number), so article N is the same whatever --articles is. The texts are
recombined news sentences, not news: use them to time kg, never to score it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from _common import REPO

from kg.link.gazetteer import load_gazetteer

DEV = REPO.parent / "shared" / "eval" / "dev"
DEFAULT_OUT = Path("/tmp/kg-corpus")
FIRST_DAY, DAYS = dt.date(2020, 1, 1), (dt.date(2024, 12, 31) - dt.date(2020, 1, 1)).days + 1
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*\n", re.DOTALL | re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(])")
_COMPLETE = re.compile(r"[.!?][\"”’)]?$")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|No|Jr|Sr)\.$")
MARKER = ".corpus.json"  # hidden, so kg's reader skips it


def dev_sentences(dev: Path) -> list[str]:
    """Complete sentences (4 to 80 words, ending in . ! or ?) of the dev articles, in file order."""
    out: list[str] = []
    for path in sorted([*dev.glob("*.txt"), *dev.glob("*.md")]):
        body = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(para.split())
            pieces: list[str] = []
            for piece in _SENTENCE_END.split(para):
                if pieces and _ABBREVIATION.search(pieces[-1]):  # "U.S. officials", "Gen. X"
                    pieces[-1] += " " + piece
                else:
                    pieces.append(piece)
            out += [s for s in (p.strip() for p in pieces)
                    if _COMPLETE.search(s) and 4 <= len(s.split()) <= 80]
    return out


class StateSwapper:
    """Replaces the states a text names by others from the gazetteer, one mapping per article."""

    def __init__(self) -> None:
        self.states = sorted((e for e in load_gazetteer().entries.values()
                              if e.entity.type == "State"), key=lambda e: e.entity.id)
        self.by_id = {e.entity.id: e for e in self.states}
        self.forms: dict[str, tuple[str, int]] = {}  # surface form -> (state id, demonym index)
        for e in self.states:
            names = [e.entity.label, *(a for a in e.entity.aliases
                                      if len(a) >= 4 and not a.islower())]
            for name in names:
                self.forms.setdefault(name, (e.entity.id, -1))
            for i, dem in enumerate(e.demonyms):
                self.forms.setdefault(dem, (e.entity.id, i))
        alternation = "|".join(re.escape(f) for f in sorted(self.forms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    def swap(self, sentences: list[str], rng: random.Random) -> list[str]:
        chosen: dict[str, str] = {}

        def replace(m: re.Match[str]) -> str:
            state, demonym = self.forms[m.group(0)]
            if state not in chosen:
                keep = rng.random() < 0.5
                chosen[state] = state if keep else rng.choice(
                    [s.entity.id for s in self.states if s.entity.id != state])
            new = self.by_id[chosen[state]]
            if new.entity.id == state:
                return m.group(0)
            if demonym < 0 or not new.demonyms:
                return new.entity.label
            return new.demonyms[min(demonym, len(new.demonyms) - 1)]

        return [self.pattern.sub(replace, s) for s in sentences]


def articles(n: int, seed: int, dev: Path) -> Iterator[tuple[str, str]]:
    """(file name, Markdown text) of synthetic articles 1..n."""
    pool, swapper = dev_sentences(dev), StateSwapper()
    if len(pool) < 20:
        raise SystemExit(f"{dev}: found {len(pool)} usable sentences (20 needed); point --dev at "
                         f"the shared dev articles (../shared/eval/dev beside the repository)")
    for i in range(1, n + 1):
        rng = random.Random(f"{seed}:{i}")
        sentences = swapper.swap(rng.sample(pool, rng.randint(10, 20)), rng)
        paras, j = [], 0
        while j < len(sentences):
            k = rng.randint(2, 5)
            paras.append(" ".join(sentences[j:j + k]))
            j += k
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        title = " ".join(sentences[0].split()[:8]).rstrip(".,;:")
        head = (f"---\ntitle: {json.dumps(f'Synthetic {i}: {title}', ensure_ascii=False)}\n"
                f"url: https://example.org/synthetic/{i}\ndate: {day.isoformat()}\n---\n\n")
        yield f"synthetic-{i:05d}.md", head + "\n\n".join(paras) + "\n"


def make_corpus(out: Path, n: int, seed: int = 1, dev: Path = DEV) -> Path:
    """Write n articles into `out` (replacing what a previous run wrote there); return `out`."""
    out = out.resolve()
    if out == REPO or REPO in out.parents:
        raise SystemExit(f"{out}: generated corpora are not written inside the repository")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("synthetic-*.md"):
        old.unlink()
    for name, text in articles(n, seed, dev):
        (out / name).write_text(text, encoding="utf-8")
    (out / MARKER).write_text(json.dumps({"articles": n, "seed": seed, "dev": str(dev)}))
    return out


def ensure_corpus(out: Path, n: int, seed: int = 1, dev: Path = DEV) -> Path:
    """`out` holding exactly the n articles of `seed`, generated unless already there."""
    marker = out / MARKER
    try:
        meta = json.loads(marker.read_text())
        if meta == {"articles": n, "seed": seed, "dev": str(dev)} and \
                len(list(out.glob("synthetic-*.md"))) == n:
            return out
    except (OSError, ValueError):
        pass
    print(f"generating {n} articles into {out} ...", file=sys.stderr)
    return make_corpus(out, n, seed, dev)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    out = make_corpus(args.out, args.articles, args.seed, args.dev)
    files = sorted(out.glob("synthetic-*.md"))
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    print(f"wrote {len(files)} articles ({words} words with front matter, "
          f"{len(dev_sentences(args.dev))} source sentences) to {out}")


if __name__ == "__main__":
    main()
