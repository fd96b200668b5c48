"""Every broken program in tests/data/bad-programs fails with the error EXPECTED.yaml gives.

One file, one problem (``many-problems.yaml`` proves all problems come at once).
Each expectation pins the first problem's 1-based ``line`` and ``column``, the key
path the message names and a fragment of the message, so a change that makes an
error vaguer or moves it breaks a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mentorrules.errors import ProgramError
from mentorrules.program.loader import load_program

BAD = Path(__file__).parent.parent / "data" / "bad-programs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((BAD / "EXPECTED.yaml").read_text("utf-8"))
FILES = sorted(p.name for p in BAD.iterdir() if p.name != "EXPECTED.yaml")


def test_every_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == FILES
    assert len(FILES) >= 30


@pytest.mark.parametrize("name", FILES)
def test_bad_program(name: str) -> None:
    expected = EXPECTED[name]
    with pytest.raises(ProgramError) as caught:
        load_program(BAD / name)
    error = caught.value
    first = error.problems[0]
    where = first.location
    text = str(error)

    assert Path(where.file or "").name == expected.get("file", name), text
    assert (where.line, where.column) == (expected["line"], expected["column"]), text
    assert expected["message"] in first.message, text
    assert expected["message"] in text
    if expected.get("also"):
        assert expected["also"] in text
    if expected["path"] is None:
        assert where.key_path == ""
    else:
        assert where.key_path == expected["path"]
        assert f"at {expected['path']}: " in text
    assert len(error.problems) == expected.get("count", 1), [str(p) for p in error.problems]
    # The error says where (file:line:column) and what to do next.
    assert f"{where.file}:{where.line}:{where.column}" in text
    assert first.hint, text


def test_problems_are_in_file_order() -> None:
    error = _error("many-problems.yaml")
    lines = [p.location.line or 0 for p in error.problems]
    assert lines == sorted(lines)


def test_error_attributes_name_the_first_problem() -> None:
    error = _error("unknown-top-key.yaml")
    assert error.file is not None
    assert error.file.endswith("unknown-top-key.yaml")
    assert (error.line, error.column, error.key_path) == (4, 1, "timezon")


def _error(name: str) -> ProgramError:
    with pytest.raises(ProgramError) as caught:
        load_program(BAD / name)
    return caught.value
