"""``python -m kg.dictionaries --source DIR``: regenerate kg/data/gazetteer/generated/."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from kg.dictionaries.importer import write
from kg.errors import KGError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.dictionaries", description=__doc__)
    parser.add_argument("--source", type=Path, required=True,
                        help="folder holding petrarch2/dictionaries/ (e.g. ../shared/external)")
    parser.add_argument("--target", type=Path,
                        default=Path(str(resources.files("kg") / "data" / "gazetteer" / "generated")),
                        help="output folder (default: the package's gazetteer/generated)")
    args = parser.parse_args(argv)
    try:
        counts = write(args.source, args.target)
    except KGError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{args.target / name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
