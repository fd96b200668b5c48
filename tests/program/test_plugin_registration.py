"""A third-party package registers a rule kind and a program through entry points.

The package is made at test time: the module and program from tests/data/plugin
copied into a folder with a ``*.dist-info`` (METADATA and entry_points.txt), the
folder put on ``sys.path``: what ``pip install`` leaves in site-packages.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mentorrules.errors import ProgramError
from mentorrules.program.loader import load_program, load_program_text
from mentorrules.program.registry import registered
from mentorrules.program.schema import program_schema
from mentorrules.rules import registry
from mentorrules.rules.registry import PluginError, kinds

PLUGIN = Path(__file__).parent.parent / "data" / "plugin"

ENTRY_POINTS = """\
[mentorrules.rules]
peer-hours = peer_hours:KIND

[mentorrules.programs]
peerschool = peer_hours:PROGRAM
"""


def install(site: Path, monkeypatch: pytest.MonkeyPatch, entry_points: str = ENTRY_POINTS,
            name: str = "mentorrules_peer_hours") -> None:
    """Lay out an installed distribution in ``site`` and put it on sys.path."""
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(PLUGIN / "peer_hours.py", site / "peer_hours.py")
    shutil.copy(PLUGIN / "peerschool.yaml", site / "peerschool.yaml")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 0.1\n", "utf-8")
    (info / "entry_points.txt").write_text(entry_points, "utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "peer_hours", raising=False)
    registry.reset()


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    install(tmp_path / "site", monkeypatch)
    yield tmp_path / "site"
    sys.modules.pop("peer_hours", None)
    registry.reset()  # rediscovered without the plug-in once monkeypatch restores sys.path


PROGRAM = """\
extends: umms
id: with-plugin
rules:
  - id: hours
    kind: peer-hours
    hours: {hours}
    channels: {channels}
"""


@pytest.mark.usefixtures("plugin")
def test_kind_is_discovered() -> None:
    found = kinds()
    assert "peer-hours" in found
    assert found["peer-hours"].name == "peer-hours"
    assert "reply-window" in found  # the built-ins are still there


def test_kind_is_gone_without_the_package(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        install(tmp_path / "site", patch)
        assert "peer-hours" in kinds()
    sys.modules.pop("peer_hours", None)
    registry.reset()
    assert "peer-hours" not in kinds()


@pytest.mark.usefixtures("plugin")
def test_program_using_the_kind_loads_with_typed_options() -> None:
    program = load_program_text(PROGRAM.format(hours=20, channels="[in_person]"))
    spec = program.rule("hours")
    assert spec.kind == "peer-hours"
    assert spec.options.hours == 20  # type: ignore[attr-defined]
    assert type(spec.options).__module__ == "peer_hours"
    assert program.to_data()["rules"][-1]["hours"] == 20


@pytest.mark.usefixtures("plugin")
@pytest.mark.parametrize(
    ("hours", "channels", "where", "path", "fragment"),
    [
        ("twenty", "[]", (6, 12), "rules[hours].hours",
         "expected a whole number, got the text 'twenty'"),
        ("0", "[]", (6, 12), "rules[hours].hours", "greater than or equal to 1"),
        ("20", "in_person", (7, 15), "rules[hours].channels", "expected a list"),
        ("20", "[pager]", (7, 16), "rules[hours].channels[0]", "unknown channel 'pager'"),
    ],
)
def test_options_are_validated(hours: str, channels: str, where: tuple[int, int], path: str,
                               fragment: str) -> None:
    with pytest.raises(ProgramError) as caught:
        load_program_text(PROGRAM.format(hours=hours, channels=channels))
    (problem,) = caught.value.problems
    assert (problem.location.line, problem.location.column) == where
    assert problem.location.key_path == path
    assert fragment in problem.message


@pytest.mark.usefixtures("plugin")
def test_unknown_option_of_a_plugin_kind_suggests_the_right_one() -> None:
    with pytest.raises(ProgramError) as caught:
        load_program_text(PROGRAM.format(hours=20, channels="[]").replace("hours: 20", "hour: 20"))
    messages = [p.message for p in caught.value.problems]
    assert any("unknown key 'hour' (did you mean 'hours'?)" in m for m in messages), messages


@pytest.mark.usefixtures("plugin")
def test_program_registered_by_the_package_loads_by_name() -> None:
    entry = registered()["peerschool"]
    assert entry.provider == "mentorrules-peer-hours"
    program = load_program("peerschool")
    assert program.id == "peerschool"
    assert program.rule("twenty-hours").options.hours == 20  # type: ignore[attr-defined]
    assert program.rule("monthly-contact").kind == "contact-cadence"  # from umms


@pytest.mark.usefixtures("plugin")
def test_other_programs_may_extend_the_registered_one() -> None:
    program = load_program_text("extends: peerschool\nid: grandchild\n"
                                "rules:\n  - {id: twenty-hours, hours: 25}\n")
    assert program.rule("twenty-hours").options.hours == 25  # type: ignore[attr-defined]


@pytest.mark.usefixtures("plugin")
def test_schema_has_a_branch_for_the_plugin_kind() -> None:
    branches = program_schema()["$defs"]["Program"]["properties"]["rules"]["items"]["oneOf"]
    branch = next(b for b in branches if b["properties"]["kind"]["const"] == "peer-hours")
    assert set(branch["required"]) == {"id", "kind", "hours"}
    assert branch["properties"]["hours"]["minimum"] == 1


def test_an_entry_point_that_is_not_a_kind_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path / "site", monkeypatch,
            entry_points="[mentorrules.rules]\nbroken = peer_hours:NOT_A_KIND\n",
            name="mentorrules_broken")
    try:
        with pytest.raises(PluginError, match="is not a rule kind"):
            kinds()
    finally:
        sys.modules.pop("peer_hours", None)
        registry.reset()


def test_programs_are_looked_up_once_per_sys_path(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorrules.program import registry as programs

    calls = []
    real = programs.entry_points

    def counting(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(programs, "entry_points", counting)
    monkeypatch.syspath_prepend(str(tmp_path))  # a new path: looked up again
    assert "umms" in registered()
    assert "umms" in registered()
    load_program("umms")
    assert len(calls) == 1
    install(tmp_path / "site", monkeypatch)  # a plug-in on the path: found at the next call
    try:
        assert "peerschool" in registered()
        assert len(calls) == 2
    finally:
        sys.modules.pop("peer_hours", None)
        registry.reset()
