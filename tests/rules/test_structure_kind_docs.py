"""The docstring of each structure rule kind is its manual: it must stay true.

Each names the kind on its first line, shows passing and failing cases, and
has a YAML example that loads when laid over the built-in UMMS program.
"""

from __future__ import annotations

import textwrap

import pytest

import mentorrules as mr
from mentorrules.rules import registry

KINDS = ["recruitment", "unit-composition", "faculty-per-unit", "community-alignment",
         "cohort-size", "membership", "referential-integrity"]


def example(doc: str) -> str:
    block = doc.split("Example::\n", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith(" "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


@pytest.mark.parametrize("name", KINDS)
def test_the_docstring_documents_the_kind(name: str) -> None:
    doc = registry.get(name).doc
    assert doc.startswith(f"{name}: ")
    assert "Passing" in doc
    assert "Failing" in doc


@pytest.mark.parametrize("name", KINDS)
def test_the_yaml_example_loads(name: str) -> None:
    program = mr.load_program_text("extends: umms\n" + example(registry.get(name).doc))
    assert name in {spec.kind for spec in program.rules}
