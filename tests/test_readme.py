"""The README never lies: its Python examples run, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(line for block in SHELL_BLOCKS for line in block.splitlines()
                        if "pytest" in line and "pip install" in line)
    command = test_command.split("&&", 2)[-1].strip()  # after creating and activating the venv
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_shows_the_demo_command_first() -> None:
    first = SHELL_BLOCKS[0]
    assert "mentorrules demo" in first


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"example-{i}" for i in
                                                       range(len(PYTHON_BLOCKS))])
def test_readme_python_examples_run(block: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example", "TMP": tmp_path})


YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("block", [b for b in YAML_BLOCKS if "extends:" in b])
def test_readme_program_examples_load(block: str) -> None:
    import mentorrules

    program = mentorrules.load_program_text(block, "README.md")
    assert program.calendar.terms
