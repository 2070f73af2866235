"""Regenerate dictionary-derived rule data: ``python -m kg.dictionaries cameo --source DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import KGError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.dictionaries")
    sub = parser.add_subparsers(dest="which", required=True)
    cameo = sub.add_parser("cameo", help="PETRARCH2's CAMEO verb patterns -> cameo_verbs.jsonl")
    cameo.add_argument("--source", type=Path, default=Path("../shared/external"),
                       help="folder holding petrarch2/ and plover/")
    cameo.add_argument("--root", type=Path, default=Path("."), help="the repository root")
    args = parser.parse_args(argv)
    try:
        if args.which == "cameo":
            from kg.dictionaries import cameo as importer

            count = importer.write(args.source, args.root)
            print(f"wrote {count} patterns to {args.root / importer.OUTPUT}")
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
