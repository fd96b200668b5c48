"""Fixtures shared by every test folder: where the fixture files live."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """``tests/data``: real fixture files (programs, rosters, logs)."""
    return DATA
