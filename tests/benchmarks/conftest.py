"""The benchmarks package lives at the repository root, beside ``src/``: make it importable.

``tiny``: the smallest generated program (roster, logs), made once per test module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import SIZES, generate

    folder = tmp_path_factory.mktemp("tiny")
    generate(SIZES["tiny"], folder)
    return folder
