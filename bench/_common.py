"""Helpers shared by the benchmark scripts (not part of the kg package)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def prf(correct_pred: int, predicted: int, found_gold: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where a denominator is 0)."""
    p = correct_pred / predicted if predicted else 0.0
    r = found_gold / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ratio(n: int, d: int) -> str:
    """'0.xx' or '-' when there is nothing to divide by."""
    return f"{n / d:.2f}" if d else "-"


def run_stamp() -> str:
    """When and on what code this run measured: date, commit, and whether the tree was dirty."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True,
                                  text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "kg") else ""
    return f"measured in this run, {dt.date.today().isoformat()}, on {commit}{dirty}"
