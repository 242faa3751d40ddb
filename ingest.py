"""Build the Mozaïekcoach index: ``python ingest.py [--rebuild] [--check]``."""
from __future__ import annotations

import argparse
import sys

from assistant.util.logsetup import quiet_third_party


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de zoekindex over het tijdschrift.")
    parser.add_argument("--rebuild", action="store_true", help="altijd opnieuw bouwen")
    parser.add_argument("--check", action="store_true",
                        help="alleen controleren: exit 1 als de index ontbreekt of verouderd is")
    args = parser.parse_args(argv)
    quiet_third_party()
    from assistant.cli.ingest import run
    return run(rebuild=args.rebuild, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
