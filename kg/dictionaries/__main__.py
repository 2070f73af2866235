"""Regenerate every dictionary-derived data file with one command:

    python -m kg.dictionaries --source ../shared/external            # both
    python -m kg.dictionaries actors --source ../shared/external     # gazetteer/generated/ only
    python -m kg.dictionaries cameo --source ../shared/external      # rules/generated/ only
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from kg.errors import KGError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.dictionaries", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="?", choices=("all", "actors", "cameo"), default="all",
                        help="which data to regenerate (default: all)")
    parser.add_argument("--source", type=Path, required=True,
                        help="folder holding petrarch2/ and plover/ (e.g. ../shared/external)")
    parser.add_argument("--target", type=Path,
                        default=Path(str(resources.files("kg") / "data" / "gazetteer" / "generated")),
                        help="actors: output folder (default: the package's gazetteer/generated)")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="cameo: the repository root the rules are written under")
    args = parser.parse_args(argv)
    try:
        if args.which in {"all", "actors"}:
            from kg.dictionaries.importer import write

            for name, count in write(args.source, args.target).items():
                print(f"{args.target / name}: {count} rows")
        if args.which in {"all", "cameo"}:
            from kg.dictionaries import cameo

            count = cameo.write(args.source, args.root)
            print(f"{args.root / cameo.OUTPUT}: {count} patterns")
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
