"""The iCalendar export, read back by independent parsers.

Every export is parsed by ``icalendar``, by the strict ``ical`` parser and
expanded by ``recurring-ical-events``; the expanded occurrences must equal what
``plan()`` says, holidays skipped, across a daylight-saving change.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

import mentorrules
from mentorrules.export.ical import (
    HASH_PROPERTY,
    build_calendar,
    calendars_per_mentor,
    clean_text,
    to_ical,
    write_calendar,
    write_calendars_per_mentor,
)
from mentorrules.program.loader import load_program
from mentorrules.program.models import Program, ScheduleItem
from mentorrules.report import Obligation, Status
from mentorrules.roster.models import Person, Roster
from mentorrules.schedule import Occurrence, plan

DATA = Path(__file__).parent.parent / "data" / "ical"
NEW_YORK = ZoneInfo("America/New_York")
PROGRAMS = {name: load_program(name) for name in ("umms", "medmentors")}


def read_roster(path: Path, program: Program) -> Roster:
    """The fixture roster, read strictly by the library's own reader."""
    return mentorrules.read_roster(path, program, strict=True)


ROSTERS = {name: read_roster(DATA / f"{name}-roster.csv", p) for name, p in PROGRAMS.items()}
STATUS = Status(
    program="umms",
    as_of=datetime(2025, 10, 20, 12, tzinfo=NEW_YORK),
    obligations=(
        Obligation(rule="reply-texts-calls", kind="reply-window", severity="error",
                   subject="s-1", unit="c-01", mentors=("m-1", "m-2"), state="pending",
                   due=datetime(2025, 10, 21, 12, 5, tzinfo=NEW_YORK),
                   message="Zoë Álvarez, Jr. texted; reply within 24 hours"),
        Obligation(rule="monthly-contact", kind="contact-cadence", severity="error",
                   subject="s-2", unit="c-01", mentors=("m-1", "m-2"), state="at_risk",
                   period="2025-10", due=datetime(2025, 11, 1, tzinfo=NEW_YORK),
                   message="no contact with s-2 in October 2025 yet"),
    ),
)
VIEWS: dict[str, tuple[str, dict[str, Any]]] = {
    "medmentors": ("medmentors", {}),
    "medmentors-mentor": ("medmentors", {"mentor": "mm-1"}),
    "medmentors-unit": ("medmentors", {"unit": "g-02"}),
    "umms": ("umms", {}),
    "umms-mentor": ("umms", {"mentor": "m-1"}),
    "umms-mentor-overlay": ("umms", {"mentor": "m-4"}),
    "umms-unit": ("umms", {"unit": "c-02"}),
    "umms-mentor-status": ("umms", {"mentor": "m-2", "status": STATUS}),
}


def view(key: str, **extra: Any) -> tuple[tuple[Occurrence, ...], bytes]:
    name, args = VIEWS[key]
    program, roster = PROGRAMS[name], ROSTERS[name]
    occurrences = plan(program, roster, **args, **extra)
    return occurrences, build_calendar(program, roster, **args, **extra)


def moment(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def planned(occurrences: tuple[Occurrence, ...]) -> list[tuple[str, str, str]]:
    return sorted((o.title, moment(o.start), moment(o.end)) for o in occurrences)


def expanded_by_recurring_ical_events(ics: bytes) -> list[tuple[str, str, str]]:
    cal = icalendar.Calendar.from_ical(ics)
    found = recurring_ical_events.of(cal).between(date(2000, 1, 1), date(2100, 1, 1))
    return sorted(
        (str(e["SUMMARY"]), moment(e["DTSTART"].dt), moment(e["DTEND"].dt)) for e in found
    )


def expanded_by_ical(ics: bytes) -> list[tuple[str, str, str]]:
    cal = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    return sorted((e.summary or "", moment(e.dtstart), moment(e.dtend)) for e in cal.timeline)


def unescape(text: str) -> str:
    """RFC 5545 TEXT unescaping (icalendar leaves unknown X- properties escaped)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def unfolded(ics: bytes) -> str:
    return ics.decode("utf-8").replace("\r\n ", "")


# --------------------------------------------------------------------------- exactness


@pytest.mark.parametrize("key", VIEWS)
def test_recurring_ical_events_expands_exactly_the_plan(key: str) -> None:
    occurrences, ics = view(key)
    assert expanded_by_recurring_ical_events(ics) == planned(occurrences)


@pytest.mark.parametrize("key", VIEWS)
def test_the_strict_ical_parser_expands_exactly_the_plan(key: str) -> None:
    occurrences, ics = view(key)
    assert expanded_by_ical(ics) == planned(occurrences)


def test_holidays_are_exdates_of_the_series() -> None:
    _, ics = view("medmentors")
    spring = [e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")
              if "RRULE" in e and e["DTSTART"].dt == datetime(2024, 1, 9, 18, tzinfo=NEW_YORK)]
    assert len(spring) == 1
    assert spring[0]["RRULE"]["BYDAY"] == ["2TU"]
    assert "EXDATE;TZID=America/New_York:20240312T180000" in unfolded(
        spring[0].to_ical()
    )
    assert "2024-03-12" not in {s for _, s, _ in expanded_by_recurring_ical_events(ics)}


def test_the_encounter_stays_at_six_pm_across_the_dst_change() -> None:
    _, ics = view("medmentors-mentor")
    cal = icalendar.Calendar.from_ical(ics)
    starts = [e["DTSTART"].dt for e in recurring_ical_events.of(cal).between(
        date(2023, 10, 1), date(2023, 12, 1)) if str(e["SUMMARY"]).startswith("MedMentors")]
    assert [s.astimezone(NEW_YORK).hour for s in starts] == [18, 18]
    assert [s.astimezone(UTC).hour for s in starts] == [22, 23]


def test_a_deadline_moved_off_a_break_is_a_single_event() -> None:
    _, ics = view("umms-unit")
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    december = [e for e in events if e["DTSTART"].dt == date(2025, 12, 14)
                and "Monthly contact" in str(e["SUMMARY"])]
    assert len(december) == 1
    assert "RRULE" not in december[0]


# --------------------------------------------------------------------------- RFC 5545 shape


@pytest.mark.parametrize("key", VIEWS)
def test_every_tzid_used_is_defined_by_a_vtimezone(key: str) -> None:
    _, ics = view(key)
    text = unfolded(ics)
    used = set(re.findall(r";TZID=([^:;]+)[:;]", text))
    defined = {str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")}
    assert defined == {"America/New_York"}
    assert used <= defined


def test_the_calendar_declares_itself() -> None:
    _, ics = view("umms-mentor")
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "UMMS Peer Mentoring Program: Søren Kierkegaard-Ng"
    text = unfolded(ics)
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT12H\r\n" in text
    assert icalendar.vDuration.from_ical("PT12H") == timedelta(hours=12)
    assert not cal.walk("VTODO")


@pytest.mark.parametrize("key", VIEWS)
def test_every_event_has_uid_dtstamp_and_sequence(key: str) -> None:
    _, ics = view(key)
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event in events:
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert int(event["SEQUENCE"]) == 0


def test_all_day_items_are_dates_with_an_exclusive_end() -> None:
    _, ics = view("umms-mentor")
    for event in icalendar.Calendar.from_ical(ics).walk("VEVENT"):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        if not isinstance(start, datetime):
            assert not isinstance(end, datetime)
            assert end == start + timedelta(days=1)
            assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "DTSTART;VALUE=DATE:20250915\r\nDTEND;VALUE=DATE:20250916" in unfolded(ics)


def test_reminders_are_display_alarms_and_can_be_left_out() -> None:
    program, roster = PROGRAMS["medmentors"], ROSTERS["medmentors"]
    with_alarms = build_calendar(program, roster, mentor="mm-2")
    alarms = icalendar.Calendar.from_ical(with_alarms).walk("VALARM")
    assert alarms
    assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
    assert {a["TRIGGER"].dt for a in alarms} == {timedelta(days=-1)}
    assert b"VALARM" not in build_calendar(program, roster, mentor="mm-2", alarms=False)


def test_status_deadlines_are_timed_events_ending_at_the_due_time() -> None:
    _, ics = view("umms-mentor-status")
    (reply,) = [e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")
                if str(e["SUMMARY"]).startswith("Reply to")]
    assert str(reply["SUMMARY"]) == "Reply to s-1 by 2025-10-21 12:05"
    assert reply["DTEND"].dt == datetime(2025, 10, 21, 12, 5, tzinfo=NEW_YORK)


# --------------------------------------------------------------------------- identity


def test_identical_input_gives_identical_bytes() -> None:
    assert view("umms-unit")[1] == view("umms-unit")[1]
    assert view("umms-mentor-status")[1] == view("umms-mentor-status")[1]


def test_a_re_export_keeps_every_uid() -> None:
    _, first = view("umms-mentor")
    changed = PROGRAMS["umms"].model_copy(update={"title": "UMMS, renamed"})
    again = build_calendar(changed, ROSTERS["umms"], mentor="m-1")
    uids = [{str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
            for ics in (first, again)]
    assert uids[0] == uids[1]


def events_by_uid(ics: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


def test_sequence_rises_only_for_the_item_that_changed() -> None:
    program, roster = PROGRAMS["medmentors"], ROSTERS["medmentors"]
    first = build_calendar(program, roster, mentor="mm-1")
    assert build_calendar(program, roster, mentor="mm-1", previous=first) == first

    items = tuple(
        item.model_copy(update={"location": "Room 204"}) if item.id == "small-group-encounter"
        else item
        for item in program.schedule
    )
    moved = program.model_copy(update={"schedule": items})
    second = build_calendar(moved, roster, mentor="mm-1", previous=first)
    before, after = events_by_uid(first), events_by_uid(second)
    assert before.keys() == after.keys()
    for uid, event in after.items():
        if "encounter" in uid:
            assert int(event["SEQUENCE"]) == 1
            assert event["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
            assert str(event[HASH_PROPERTY]) != str(before[uid][HASH_PROPERTY])
        else:
            assert event.to_ical() == before[uid].to_ical()

    third = build_calendar(program, roster, mentor="mm-1", previous=second)
    assert {int(e["SEQUENCE"]) for u, e in events_by_uid(third).items() if "encounter" in u} == {2}


def test_an_unreadable_previous_export_is_a_clear_input_error() -> None:
    from mentorrules.errors import InputError

    program, roster = PROGRAMS["medmentors"], ROSTERS["medmentors"]
    with pytest.raises(InputError, match="earlier calendar export cannot be read"):
        build_calendar(program, roster, previous=b"BEGIN:VCALENDAR\r\nnot ical at all")


def test_files_are_written_per_mentor_and_keep_their_versions(tmp_path: Path) -> None:
    program, roster = PROGRAMS["umms"], ROSTERS["umms"]
    paths = write_calendars_per_mentor(tmp_path, program, roster)
    assert sorted(p.name for p in paths.values()) == ["m-1.ics", "m-2.ics", "m-3.ics", "m-4.ics"]
    written = {m: p.read_bytes() for m, p in paths.items()}
    assert written == calendars_per_mentor(program, roster)
    write_calendars_per_mentor(tmp_path, program, roster)
    assert {m: p.read_bytes() for m, p in paths.items()} == written

    single = tmp_path / "c-01.ics"
    data = write_calendar(single, program=program, roster=roster, unit="c-01")
    assert write_calendar(single, program=program, roster=roster, unit="c-01") == data


# --------------------------------------------------------------------------- privacy


def text_values(ics: bytes) -> list[str]:
    cal = icalendar.Calendar.from_ical(ics)
    values = [unescape(str(cal[k])) for k in ("X-WR-CALNAME", "X-WR-CALDESC")]
    for event in cal.walk("VEVENT"):
        values += [str(event.get(k, "")) for k in ("SUMMARY", "DESCRIPTION", "LOCATION")]
    return values


def mentee_names(name: str) -> list[str]:
    return [p.name for p in ROSTERS[name].with_role("mentee")]


@pytest.mark.parametrize("key", VIEWS)
def test_no_mentee_name_appears_by_default(key: str) -> None:
    _, ics = view(key)
    names = mentee_names(VIEWS[key][0])
    values = "\n".join(text_values(ics))
    raw = unfolded(ics)
    for name in names:
        assert name not in values
        assert name.split()[0].rstrip(",;") not in raw


@pytest.mark.parametrize(("name", "unit"), [("umms", "c-01"), ("umms", "c-02"),
                                            ("medmentors", "g-01")])
def test_include_names_puts_every_name_through_unharmed(name: str, unit: str) -> None:
    program, roster = PROGRAMS[name], ROSTERS[name]
    ics = build_calendar(program, roster, unit=unit, include_names=True)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    descriptions = "\n".join(e.description or "" for e in strict.events)
    for mentee in roster.units[unit].mentees:
        person = roster.people[mentee]
        assert f"{person.name} ({person.id})" in descriptions
    # the names with commas, semicolons, quotes and a newline from the fixture roster
    expected = {"c-01": "Nguyễn Văn An; Line (s-2)", "c-02": "Line\nBreak (s-4)",
                "g-01": "Tomás O'Neill; Jr (a-2)"}[unit]
    assert expected in descriptions


# --------------------------------------------------------------------------- injection

HOSTILE = [
    "Evil\r\nBEGIN:VEVENT\r\nUID:owned\r\nEND:VEVENT",
    "a;b,c\\d:e",
    "line\rbreak\nand\x0bvertical\x0cform\x85next\u2028sep\u2029para",
    'quote " and \x00 null \x1b escape \x7f del',
    "ünïcödé 中文 emoji 🎓 and a lone surrogate \ud800",
    "END:VCALENDAR",
    "a literal backslash-N \\N is not a line break, nor is \\n",
    "\ufeffbyte order mark",
]


def one_event(title: str, description: str, location: str) -> Occurrence:
    return Occurrence(
        uid="u-1@test", item_id="x", kind="duty", title=title, description=description,
        location=location, start=datetime(2025, 9, 2, 18, tzinfo=NEW_YORK),
        end=datetime(2025, 9, 2, 19, tzinfo=NEW_YORK), all_day=False,
    )


def assert_one_safe_event(
    ics: bytes, title: str, description: str, location: str, name: str
) -> None:
    cal = icalendar.Calendar.from_ical(ics)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE", "VEVENT"]
    (event,) = cal.walk("VEVENT")
    assert set(event) == {"UID", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "SUMMARY",
                          HASH_PROPERTY} | (
        {"DESCRIPTION"} if description else set()) | ({"LOCATION"} if location else set())
    assert str(event["UID"]) == "u-1@test"
    assert str(event["SUMMARY"]) == clean_text(title)
    assert str(event.get("DESCRIPTION", "")) == clean_text(description)
    assert str(event.get("LOCATION", "")) == clean_text(location)
    assert unescape(str(cal["X-WR-CALNAME"])) == clean_text(name)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    assert [e.uid for e in strict.events] == ["u-1@test"]
    assert strict.events[0].summary == clean_text(title)
    for line in ics.split(b"\r\n"):
        assert b"\r" not in line
        assert b"\n" not in line


@pytest.mark.parametrize("text", HOSTILE)
def test_no_string_can_inject_a_property_or_component(text: str) -> None:
    ics = to_ical(PROGRAMS["umms"], [one_event(text, text, text)], name=text)
    assert_one_safe_event(ics, text, text, text, text)


def test_clean_text_keeps_ordinary_text_and_tabs() -> None:
    assert clean_text("Zoë Álvarez, Jr.; \"Shiv\"\tO'Brien\n2nd line") == (
        "Zoë Álvarez, Jr.; \"Shiv\"\tO'Brien\n2nd line"
    )
    assert clean_text("a\r\nb\rc\u2028d\x00e") == "a\nb\nc\nde"


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

texts = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(list("\r\n\x0b\x0c\x85\u2028\u2029;,:\\\"'=")),
        st.sampled_from(["BEGIN:VEVENT", "END:VCALENDAR", "\r\nUID:x", "\nDTSTART:1"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(title=texts, description=texts, location=texts, name=texts)
def test_any_text_round_trips_as_one_event(
    title: str, description: str, location: str, name: str
) -> None:
    ics = to_ical(PROGRAMS["umms"], [one_event(title, description, location)], name=name)
    assert_one_safe_event(ics, title, description, location, name)


@settings(max_examples=25, deadline=None)
@given(names=st.lists(texts.filter(lambda t: t.strip() != ""), min_size=2, max_size=2))
def test_any_person_name_round_trips_with_include_names(names: list[str]) -> None:
    program = PROGRAMS["medmentors"]
    people = [
        Person(id="mm-1", name=names[0], role="mentor", level="M2", units=("g-01",)),
        Person(id="a-1", name=names[1], role="mentee", level="M1", units=("g-01",)),
    ]
    roster = Roster.build(people)
    ics = build_calendar(program, roster, unit="g-01", include_names=True)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    described = {e.description for e in strict.events if e.description}
    expected_names = (clean_text(names[0].strip()), clean_text(names[1].strip()))
    assert any(
        f"{expected_names[0]} (mm-1)" in d and f"{expected_names[1]} (a-1)" in d
        for d in described
    )
    silent = build_calendar(program, roster, unit="g-01")
    assert all(f"{names[1].strip()} (a-1)" not in v for v in text_values(silent))



items = st.builds(
    ScheduleItem,
    id=st.just("duty"),
    title=st.just("Duty"),
    audience=st.sampled_from(["unit", "mentor", "program"]),
    every=st.sampled_from(["week", "month", "term"]),
    weekday=st.none() | st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    nth=st.none() | st.sampled_from([-1, 1, 2, 3, 4, 5]),
    at=st.none() | st.sampled_from([time(0, 0), time(1, 30), time(2, 30), time(18, 0),
                                     time(23, 45)]),
    duration=st.sampled_from([timedelta(minutes=15), timedelta(hours=1), timedelta(hours=5)]),
    deadline=st.booleans(),
    alarm=st.none() | st.just(timedelta(hours=2)),
).filter(lambda item: item.nth is None or item.weekday is not None)


def sunday(at: time, hours: float) -> ScheduleItem:
    """A weekly Sunday duty: in 2025-2026 two Sundays change the clocks (2 Nov, 8 Mar)."""
    return ScheduleItem(id="duty", title="Duty", audience="program", every="week",
                        weekday="SU", at=at, duration=timedelta(hours=hours))


@settings(max_examples=40, deadline=None)
@given(item=items, day=st.none() | st.integers(min_value=1, max_value=31))
@example(item=sunday(time(1, 30), 1), day=None)  # starts at the first 01:30, ends at the second
@example(item=sunday(time(2, 30), 0.25), day=None)  # 02:30 does not exist on 8 March
@example(item=sunday(time(23, 45), 5), day=None)  # ends after the change

def test_any_schedule_item_expands_exactly(item: ScheduleItem, day: int | None) -> None:
    if day is not None and item.nth is None:
        item = item.model_copy(update={"day": day})
    for name, mentor in (("umms", "m-4"), ("medmentors", "mm-1")):
        program = PROGRAMS[name].model_copy(update={"schedule": (item,)})
        occurrences = plan(program, ROSTERS[name], mentor=mentor)
        ics = build_calendar(program, ROSTERS[name], mentor=mentor)
        assert expanded_by_recurring_ical_events(ics) == planned(occurrences)
        calendar = PROGRAMS[name].calendar
        for occ in occurrences:
            if occ.item_id == "duty":
                assert not calendar.skipped(occ.day)
                assert calendar.term_of(occ.day) is not None
