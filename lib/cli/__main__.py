"""`python -m lib.cli` runs the `triangulate` command."""

import sys

from lib.cli import main

sys.exit(main())
