"""Generate the demo community: ``python seed.py --db demo.db [--seed N] [--residents N] ...``."""

from __future__ import annotations

import sys

from frontdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["seed", *sys.argv[1:]]))
