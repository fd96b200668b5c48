"""``python -m benchmarks``: every figure against its target (see benchmarks/run_all.py)."""

from __future__ import annotations

import sys

from benchmarks.run_all import main

sys.exit(main())
