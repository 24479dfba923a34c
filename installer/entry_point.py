"""The frozen application's entry: the same `main` as the `facilitator` console command."""

import sys

from facilitator.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
