"""The merge laws of ``extends`` (see mentorrules.program.loader), for random programs.

- every parent rule id survives, in the parent's order;
- rule ids only the child has are appended, in the child's order;
- a key the child gives for a parent's rule takes the child's value;
- a key the child leaves out keeps the parent's value;
- mappings merge key by key, recursively; the calendar and other lists are replaced;
- merging an empty child changes nothing.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorrules.program.loader import load_program, load_program_text, merge
from mentorrules.program.yamlread import Mark, MarkedDict, MarkedList

IDS = st.sampled_from(["a", "b", "c", "d", "e", "f"])
OPTION_KEYS = st.sampled_from(["per", "min", "within", "channels", "severity", "enabled", "x"])
VALUES = st.one_of(st.integers(-5, 5), st.text("xyz", max_size=3), st.booleans(),
                   st.lists(st.integers(0, 3), max_size=3))


@st.composite
def rule_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(IDS, unique=True, max_size=6))
    return [{"id": ident, **draw(st.dictionaries(OPTION_KEYS, VALUES, max_size=4))}
            for ident in ids]


def marked(value: Any, file: str) -> Any:
    """Plain data as the YAML reader makes it (marks name ``file``)."""
    mark = Mark(file, 1, 1)
    if isinstance(value, dict):
        result = MarkedDict(mark)
        for key, item in value.items():
            result[key] = marked(item, file)
            result.key_marks[key] = mark
            result.value_marks[key] = mark
        return result
    if isinstance(value, list):
        items = MarkedList(mark)
        for item in value:
            items.append(marked(item, file))
            items.item_marks.append(mark)
        return items
    return value


def merged_rules(parent: list[dict[str, Any]], child: list[dict[str, Any]]) -> list[Any]:
    result = merge(marked({"rules": parent}, "parent"), marked({"rules": child}, "child"))
    rules: list[Any] = result["rules"]
    return rules


@settings(max_examples=100)
@given(rule_lists(), rule_lists())
def test_rule_ids_keep_parent_order_then_child_order(parent: list[dict[str, Any]],
                                                     child: list[dict[str, Any]]) -> None:
    ids = [rule["id"] for rule in merged_rules(parent, child)]
    parent_ids = [rule["id"] for rule in parent]
    new_ids = [rule["id"] for rule in child if rule["id"] not in parent_ids]
    assert ids == parent_ids + new_ids


@settings(max_examples=100)
@given(rule_lists(), rule_lists())
def test_child_keys_win_and_untouched_keys_stay(parent: list[dict[str, Any]],
                                                child: list[dict[str, Any]]) -> None:
    result = {rule["id"]: rule for rule in merged_rules(parent, child)}
    by_id = {rule["id"]: rule for rule in child}
    for before in parent:
        after = result[before["id"]]
        given_ = by_id.get(before["id"], {})
        for key, value in given_.items():
            assert after[key] == value
            assert after.value_marks[key].file == "child"
        for key, value in before.items():
            if key not in given_:
                assert after[key] == value
                assert after.value_marks[key].file == "parent"
        assert dict(after) == {**before, **given_}
    parent_ids = {rule["id"] for rule in parent}
    for rule in child:
        if rule["id"] not in parent_ids:
            assert dict(result[rule["id"]]) == rule  # appended as written


@settings(max_examples=100)
@given(rule_lists())
def test_empty_child_is_identity(parent: list[dict[str, Any]]) -> None:
    data = marked({"id": "p", "rules": parent, "units": {"mentors": {"M3": 1}}}, "parent")
    assert merge(data, marked({}, "child")) == data
    assert merge(data, marked({"rules": []}, "child")) == data


@settings(max_examples=100)
@given(rule_lists())
def test_child_of_itself_is_identity(parent: list[dict[str, Any]]) -> None:
    assert merged_rules(parent, parent) == parent


NESTED = st.recursive(
    st.one_of(st.integers(0, 9), st.text("ab", max_size=2)),
    lambda children: st.dictionaries(st.sampled_from(["k", "l", "m"]), children, max_size=3),
    max_leaves=6,
)


def deep_merge(parent: Any, child: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child, dict):
        return {**parent, **{k: deep_merge(parent.get(k), v) for k, v in child.items()}}
    return child


@settings(max_examples=100)
@given(st.dictionaries(st.sampled_from(["units", "referrals", "calendar", "channels"]), NESTED),
       st.dictionaries(st.sampled_from(["units", "referrals", "calendar", "channels"]), NESTED))
def test_mappings_merge_recursively_calendar_is_replaced(parent: dict[str, Any],
                                                          child: dict[str, Any]) -> None:
    result = merge(marked(parent, "parent"), marked(child, "child"))
    expected = deep_merge(parent, child)
    if "calendar" in child:
        expected["calendar"] = child["calendar"]
    assert result == expected


@settings(max_examples=100)
@given(st.lists(st.integers(0, 9), max_size=4), st.lists(st.integers(0, 9), max_size=4))
def test_other_lists_are_replaced(parent: list[int], child: list[int]) -> None:
    result = merge(marked({"channels": parent}, "parent"), marked({"channels": child}, "child"))
    assert result["channels"] == child


UMMS = load_program("umms")
UMMS_IDS = [spec.id for spec in UMMS.rules]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(UMMS_IDS),
                       st.tuples(st.sampled_from(["error", "warning", "info"]), st.booleans()),
                       max_size=6))
def test_overriding_umms_rules_changes_only_them(changes: dict[str, tuple[str, bool]]) -> None:
    lines = ["extends: umms", "id: child", "rules:"] + [
        f"  - {{id: {ident}, severity: {severity}, enabled: {str(enabled).lower()}}}"
        for ident, (severity, enabled) in changes.items()
    ]
    text = "\n".join(lines if changes else lines[:2]) + "\n"
    child = load_program_text(text)
    assert [spec.id for spec in child.rules] == UMMS_IDS
    for before, after in zip(UMMS.rules, child.rules, strict=True):
        severity, enabled = changes.get(before.id, (before.severity, before.enabled))
        assert (after.severity, after.enabled) == (severity, enabled)
        assert after.options == before.options
        assert after.kind == before.kind
