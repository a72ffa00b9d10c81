"""``python -m bench``: run the benchmarks (``bench/run`` sets up the venvs first)."""

import sys

from bench.runner import main

sys.exit(main())
