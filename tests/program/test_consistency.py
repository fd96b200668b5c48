"""One small test per check of mentorrules.program.consistency.

Each test changes one thing in a small valid program and expects exactly one
problem: its key path and a fragment of its message.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from mentorrules.errors import ProgramError
from mentorrules.program import consistency
from mentorrules.program.loader import load_program, load_program_text

BASE: dict[str, Any] = {
    "id": "base",
    "title": "Base",
    "timezone": "America/New_York",
    "calendar": {
        "year": "2025-2026",
        "terms": [
            {"id": "fall", "start": "2025-08-04", "end": "2025-12-19"},
            {"id": "spring", "start": "2026-01-05", "end": "2026-05-15"},
        ],
        "holidays": [{"id": "labor-day", "start": "2025-09-01"}],
        "breaks": [{"id": "winter", "start": "2025-12-20", "end": "2026-01-04"}],
        "blackouts": [{"id": "finals", "start": "2025-12-15", "end": "2025-12-19"}],
    },
    "levels": ["M1", "M2", "M3", "M4"],
    "tracks": ["MD", "MD/PhD"],
    "units": {
        "recruitment": {"M3": 4, "M4": 4},
        "mentors": {"M3": 1, "M4": 1},
        "faculty": 1,
        "mentees": {"levels": ["M1", "M2"], "min": 3, "max": 5},
        "expected_mentees": 16,
    },
    "overlays": [{"id": "md-phd", "mentors": {"roles": ["mentor"], "tracks": ["MD/PhD"]},
                  "covers": {"roles": ["mentee"], "tracks": ["MD/PhD"]}}],
    "trainings": [{"id": "training", "name": "Training", "start": "2025-08-13T17:00"}],
    "surveys": [{"id": "survey", "name": "Survey", "opens": "2025-12-01", "due": "2025-12-19"}],
    "referrals": {
        "targets": [{"id": "faculty-mentor", "unit_role": "faculty"},
                    {"id": "administrator", "role": "staff"}],
        "topics": [{"id": "safety", "targets": ["faculty-mentor"], "within": "24h"}],
    },
    "rules": [
        {"id": "monthly-contact", "kind": "contact-cadence", "per": "month"},
        {"id": "reply", "kind": "reply-window", "channels": ["text"], "within": "24h"},
        {"id": "trainings", "kind": "training-attendance"},
        {"id": "surveys", "kind": "survey-participation"},
        {"id": "refer", "kind": "referral"},
    ],
    "schedule": [
        {"id": "contact-due", "title": "Contact due", "every": "month", "deadline": True,
         "rule": "monthly-contact"},
        {"id": "kickoff", "title": "Kickoff", "date": "2025-08-20"},
    ],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def load(data: dict[str, Any]) -> Any:
    return load_program_text(yaml.safe_dump(data, sort_keys=False))


def only_problem(data: dict[str, Any]) -> tuple[str, str]:
    """(key path, message) of the one problem ``data`` has."""
    with pytest.raises(ProgramError) as caught:
        load(data)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0].location.key_path, problems[0].message


def test_base_is_consistent() -> None:
    program = load(base())
    assert consistency.check(program) == []


@pytest.mark.parametrize("name", ["umms", "medmentors"])
def test_builtins_are_consistent(name: str) -> None:
    assert consistency.check(load_program(name)) == []


# --------------------------------------------------------------------------- unique ids


@pytest.mark.parametrize(
    ("section", "what"),
    [
        (("calendar", "terms"), "term"),
        (("overlays",), "overlay"),
        (("trainings",), "training"),
        (("surveys",), "survey"),
        (("referrals", "targets"), "referral target"),
        (("referrals", "topics"), "referral topic"),
        (("rules",), "rule"),
        (("schedule",), "schedule item"),
    ],
)
def test_ids_are_unique(section: tuple[str, ...], what: str) -> None:
    data = base()
    items = data
    for key in section:
        items = items[key]
    items.append(copy.deepcopy(items[-1]))  # type: ignore[attr-defined]
    if section == ("calendar", "terms"):  # keep the copy from overlapping: only the id clashes
        items[-1].update(start="2026-06-01", end="2026-07-31")  # type: ignore[index]
    path, message = only_problem(data)
    assert path.endswith(".id")
    assert f"{what} id" in message
    assert "is used twice" in message


def test_level_ids_are_unique() -> None:
    data = base()
    data["levels"] = ["M1", "M2", "M3", "M4", "M2"]
    path, message = only_problem(data)
    assert path == "levels[4].id"
    assert "level id 'M2' is used twice" in message


# --------------------------------------------------------------------------- calendar


def test_term_ends_before_it_starts() -> None:
    data = base()
    data["calendar"]["terms"][1].update(start="2026-05-15", end="2026-01-05")
    assert only_problem(data) == ("calendar.terms[spring].end",
                                  "term 'spring' ends before it starts")


def test_terms_overlap() -> None:
    data = base()
    data["calendar"]["terms"][1]["start"] = "2025-12-01"
    path, message = only_problem(data)
    assert path == "calendar.terms[spring].start"
    assert "before term 'fall' ends" in message


def test_terms_out_of_order() -> None:
    data = base()
    data["calendar"]["terms"].reverse()
    path, message = only_problem(data)
    assert path == "calendar.terms[fall].start"
    assert "is listed after term 'spring', which starts later" in message


def test_span_ends_before_it_starts() -> None:
    data = base()
    data["calendar"]["breaks"][0].update(start="2026-01-04", end="2025-12-20")
    path, message = only_problem(data)
    assert path == "calendar.breaks[winter].end"
    assert "ends before it starts" in message


@pytest.mark.parametrize("section", ["holidays", "breaks", "blackouts"])
def test_span_outside_the_calendar(section: str) -> None:
    data = base()
    data["calendar"][section].append({"id": "later", "start": "2026-07-04"})
    path, message = only_problem(data)
    assert path == f"calendar.{section}[later].start"
    assert "is outside the academic calendar (2025-08-04..2026-05-15)" in message


def test_holiday_between_terms_needs_a_break() -> None:
    data = base()
    data["calendar"]["breaks"] = []
    data["calendar"]["holidays"].append({"id": "new-year", "start": "2026-01-01"})
    path, message = only_problem(data)
    assert path == "calendar.holidays[new-year].start"
    assert "falls neither in a term nor in a declared break" in message


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("key", ["recruitment", "mentors"])
def test_unit_counts_name_known_levels(key: str) -> None:
    data = base()
    data["units"]["recruitment"] = {"M3": 4, "M4": 4, "M5": 4} if key == "recruitment" else {}
    if key == "mentors":
        data["units"]["mentors"] = {"M3": 1, "M5": 1}
    path, message = only_problem(data)
    assert path == f"units.{key}.M5"
    assert "unknown level 'M5'" in message


def test_mentee_levels_are_known() -> None:
    data = base()
    data["units"]["mentees"]["levels"] = ["M1", "M0"]
    path, message = only_problem(data)
    assert path == "units.mentees.levels[1]"
    assert "unknown level 'M0'" in message


def test_cohort_minimum_not_above_maximum() -> None:
    data = base()
    data["units"]["mentees"].update(min=6, max=5)
    data["units"].pop("expected_mentees")
    assert only_problem(data) == ("units.mentees.min",
                                  "the cohort minimum (6) is above its maximum (5)")


def test_recruitment_is_a_multiple_of_the_mentors_per_unit() -> None:
    data = base()
    data["units"]["mentors"] = {"M3": 2, "M4": 2}
    data["units"]["recruitment"] = {"M3": 4, "M4": 5}
    data["units"].pop("expected_mentees")
    path, message = only_problem(data)
    assert path == "units.recruitment.M4"
    assert "5 M4 mentors cannot fill units of 2 M4 each" in message


def test_recruited_level_has_a_place_in_a_unit() -> None:
    data = base()
    data["units"]["recruitment"]["M2"] = 4
    path, message = only_problem(data)
    assert path == "units.recruitment.M2"
    assert "M2 mentors are recruited but no unit takes a M2 mentor" in message


def test_recruitment_makes_one_number_of_units() -> None:
    data = base()
    data["units"]["recruitment"] = {"M3": 4, "M4": 5}
    path, message = only_problem(data)
    assert path == "units.recruitment"
    assert "different numbers of units (M3: 4 units, M4: 5 units)" in message


@pytest.mark.parametrize("expected", [11, 21])
def test_expected_mentees_fit_the_units(expected: int) -> None:
    data = base()
    data["units"]["expected_mentees"] = expected
    path, message = only_problem(data)
    assert path == "units.expected_mentees"
    assert f"4 units of 3-5 mentees hold 12-20 mentees, not {expected}" in message


@pytest.mark.parametrize("expected", [12, 20])
def test_expected_mentees_at_the_bounds_fit(expected: int) -> None:
    data = base()
    data["units"]["expected_mentees"] = expected
    assert load(data).units.expected_mentees == expected


@pytest.mark.parametrize(
    ("selector", "value", "fragment"),
    [("levels", ["M9"], "unknown level 'M9'"), ("tracks", ["DO"], "unknown track 'DO'")],
)
def test_overlay_selectors_name_known_levels_and_tracks(
    selector: str, value: list[str], fragment: str
) -> None:
    data = base()
    data["overlays"][0]["covers"][selector] = value
    path, message = only_problem(data)
    assert path == f"overlays[md-phd].covers.{selector}[0]"
    assert fragment in message


def test_tracks_are_free_when_the_program_lists_none() -> None:
    data = base()
    data["tracks"] = []
    data["overlays"][0]["covers"]["tracks"] = ["anything"]
    assert load(data).overlays[0].covers.tracks == ("anything",)


# --------------------------------------------------------------------------- duties


def test_training_attendees_name_known_levels() -> None:
    data = base()
    data["trainings"][0]["attendees"] = {"roles": ["mentor"], "levels": ["M7"]}
    path, message = only_problem(data)
    assert path == "trainings[training].attendees.levels[0]"
    assert "unknown level 'M7'" in message


def test_training_not_due_before_it_happens() -> None:
    data = base()
    data["trainings"][0]["due"] = "2025-08-01"
    assert only_problem(data) == ("trainings[training].due",
                                  "training 'training' is due before it happens")


def test_survey_participants_name_known_levels() -> None:
    data = base()
    data["surveys"][0]["participants"] = {"levels": ["M8"]}
    path, message = only_problem(data)
    assert path == "surveys[survey].participants.levels[0]"
    assert "unknown level 'M8'" in message


def test_survey_not_due_before_it_opens() -> None:
    data = base()
    data["surveys"][0]["due"] = "2025-11-30"
    assert only_problem(data) == ("surveys[survey].due", "survey 'survey' is due before it opens")


def test_referral_target_is_one_kind_of_target() -> None:
    data = base()
    data["referrals"]["targets"][0]["role"] = "staff"
    assert only_problem(data) == ("referrals.targets[faculty-mentor].role",
                                  "target 'faculty-mentor' has both unit_role and role")


def test_referral_topic_targets_are_declared() -> None:
    data = base()
    data["referrals"]["topics"][0]["targets"] = ["faculty-mentor", "dean"]
    path, message = only_problem(data)
    assert path == "referrals.topics[safety].targets[1]"
    assert "unknown referral target 'dean'" in message


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("rule", "option", "value", "fragment"),
    [
        (1, "channels", ["text", "pager"], "unknown channel 'pager'"),
        (0, "terms", ["summer"], "unknown term 'summer'"),
        (2, "trainings", ["orientation"], "unknown training 'orientation'"),
        (3, "surveys", ["survy"], "unknown survey 'survy' (did you mean 'survey'?)"),
        (4, "topics", ["burnout"], "unknown topic 'burnout'"),
    ],
)
def test_rules_name_what_the_program_declares(
    rule: int, option: str, value: list[str], fragment: str
) -> None:
    data = base()
    data["rules"][rule][option] = value
    path, message = only_problem(data)
    rule_id = data["rules"][rule]["id"]
    assert path == f"rules[{rule_id}].{option}[{len(value) - 1}]"
    assert fragment in message


def test_disabled_rules_are_not_checked_for_names() -> None:
    data = base()
    data["rules"][1].update(channels=["pager"], enabled=False)
    assert load(data).rule("reply").enabled is False


# --------------------------------------------------------------------------- schedule


def test_schedule_item_needs_every_or_date() -> None:
    data = base()
    data["schedule"][1].pop("date")
    assert only_problem(data) == ("schedule[kickoff]",
                                  "schedule item 'kickoff' has neither every nor date")


def test_schedule_date_inside_the_calendar() -> None:
    data = base()
    data["schedule"][1]["date"] = "2026-07-01"
    assert only_problem(data) == ("schedule[kickoff].date",
                                  "2026-07-01 is outside the academic calendar")


def test_schedule_nth_needs_a_weekday() -> None:
    data = base()
    data["schedule"][0]["nth"] = 2
    assert only_problem(data) == ("schedule[contact-due].nth", "nth needs a weekday")


def test_schedule_day_or_nth_not_both() -> None:
    data = base()
    data["schedule"][0].update(nth=2, weekday="TU", day=10)
    assert only_problem(data) == ("schedule[contact-due].day",
                                  "give either day or nth with weekday, not both")


def test_schedule_rule_exists() -> None:
    data = base()
    data["schedule"][0]["rule"] = "monthly-contacts"
    path, message = only_problem(data)
    assert path == "schedule[contact-due].rule"
    assert "unknown rule 'monthly-contacts' (did you mean 'monthly-contact'?)" in message
