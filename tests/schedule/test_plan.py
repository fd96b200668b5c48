"""plan(): where a program's schedule items, trainings, surveys and terms fall, and for whom."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentorrules.errors import UsageError
from mentorrules.program.models import Program, ScheduleItem, Selector, Training
from mentorrules.report import Obligation, Status
from mentorrules.roster.models import Roster
from mentorrules.schedule import Occurrence, UnknownIdError, plan

NEW_YORK = ZoneInfo("America/New_York")


def of(found: tuple[Occurrence, ...], item_id: str) -> list[Occurrence]:
    return [o for o in found if o.item_id == item_id]


def days(found: list[Occurrence]) -> list[date]:
    return [o.day for o in found]


def with_schedule(program: Program, *items: ScheduleItem) -> Program:
    return program.model_copy(update={"schedule": items})


# --------------------------------------------------------------------------- recurring duties


def test_medmentors_encounter_is_the_second_tuesday_at_six_pm_local_time(
    medmentors: Program,
) -> None:
    encounters = of(plan(medmentors), "small-group-encounter")
    assert days(encounters) == [
        date(2023, 8, 8), date(2023, 9, 12), date(2023, 10, 10), date(2023, 11, 14),
        date(2023, 12, 12), date(2024, 1, 9), date(2024, 2, 13),
        # 12 March 2024 is in spring break: skipped
        date(2024, 4, 9), date(2024, 5, 14),
    ]
    assert all(isinstance(o.start, datetime) for o in encounters)
    assert {o.start.time() for o in encounters} == {time(18, 0)}  # type: ignore[union-attr]
    assert all(o.end - o.start == timedelta(hours=1) for o in encounters)  # type: ignore[operator]


def test_the_local_time_holds_across_the_daylight_saving_change(medmentors: Program) -> None:
    october, november = of(plan(medmentors), "small-group-encounter")[2:4]
    assert isinstance(october.start, datetime)
    assert isinstance(november.start, datetime)
    assert october.start.utcoffset() == timedelta(hours=-4)  # EDT
    assert november.start.utcoffset() == timedelta(hours=-5)  # EST after 5 November 2023
    assert (october.start.hour, november.start.hour) == (18, 18)


def test_a_monthly_deadline_falls_on_the_last_program_day_of_the_month(umms: Program) -> None:
    due = of(plan(umms), "monthly-contact-due")
    assert days(due) == [
        date(2025, 8, 31), date(2025, 9, 30), date(2025, 10, 31), date(2025, 11, 30),
        # 15-19 Dec are final examinations (blackout), then winter break: moved earlier
        date(2025, 12, 14),
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
        # the spring term ends on 15 May
        date(2026, 5, 15),
    ]
    assert all(o.all_day and o.kind == "deadline" for o in due)


def test_a_term_deadline_falls_before_the_final_examinations(umms: Program) -> None:
    assert days(of(plan(umms), "semester-meeting-due")) == [date(2025, 12, 14), date(2026, 5, 15)]


def test_a_one_off_item_is_on_its_date(umms: Program) -> None:
    (talk,) = of(plan(umms), "limits-talk-due")
    assert (talk.start, talk.end, talk.term) == (date(2025, 9, 15), date(2025, 9, 16), "fall-2025")


def test_all_day_items_end_on_the_next_day(umms: Program) -> None:
    for occ in plan(umms):
        if occ.all_day:
            assert occ.end == occ.day + timedelta(days=1)


def test_a_weekly_duty_skips_holidays_breaks_and_blackouts(umms: Program) -> None:
    office_hour = ScheduleItem(
        id="office-hour", title="Office hour", audience="program", every="week",
        weekday="WE", at=time(12, 0), duration=timedelta(minutes=30),
    )
    found = days(of(plan(with_schedule(umms, office_hour)), "office-hour"))
    assert found[0] == date(2025, 8, 6)
    assert date(2025, 11, 26) not in found  # Thanksgiving recess
    assert date(2025, 12, 17) not in found  # final examinations
    assert date(2025, 12, 24) not in found  # winter break
    assert date(2026, 3, 11) not in found  # spring break
    assert date(2026, 1, 7) in found
    assert all(d.weekday() == 2 for d in found)


def test_a_weekly_deadline_is_the_last_program_day_of_each_week(umms: Program) -> None:
    log = ScheduleItem(id="log", title="Log your contacts", audience="program", every="week",
                       deadline=True)
    found = days(of(plan(with_schedule(umms, log)), "log"))
    assert found[:2] == [date(2025, 8, 10), date(2025, 8, 17)]  # Sundays
    assert date(2025, 12, 14) in found
    assert date(2025, 12, 21) not in found


def test_day_31_means_the_last_day_of_a_shorter_month(umms: Program) -> None:
    report = ScheduleItem(id="report", title="Report", audience="program", every="month", day=31)
    found = days(of(plan(with_schedule(umms, report)), "report"))
    assert date(2025, 9, 30) in found
    assert date(2025, 10, 31) in found
    assert date(2026, 2, 28) in found


def test_a_termly_duty_is_on_the_first_program_day_with_its_weekday(umms: Program) -> None:
    kickoff = ScheduleItem(id="kickoff", title="Kick-off", audience="program", every="term",
                           weekday="TH")
    assert days(of(plan(with_schedule(umms, kickoff)), "kickoff")) == [
        date(2025, 8, 7), date(2026, 1, 8)
    ]


def test_trainings_surveys_and_terms_are_fixed_events(umms: Program) -> None:
    found = plan(umms)
    (training,) = of(found, "faculty-training-fall")
    assert training.start == datetime(2025, 8, 13, 17, 0, tzinfo=NEW_YORK)
    assert training.end == datetime(2025, 8, 13, 19, 0, tzinfo=NEW_YORK)
    assert training.location == "Learning Communities suite"
    (survey,) = of(found, "spring-focus-group")
    assert (survey.title, survey.start, survey.all_day) == (
        "Spring focus group due", date(2026, 4, 3), True
    )
    assert [o.title for o in found if o.kind == "term"] == [
        "Fall semester 2025 begins", "Fall semester 2025 ends",
        "Spring semester 2026 begins", "Spring semester 2026 ends",
    ]


def test_the_whole_program_lists_each_item_once_for_nobody_in_particular(umms: Program) -> None:
    found = plan(umms)
    assert len(of(found, "monthly-contact-due")) == 10
    assert {(o.unit, o.mentor) for o in found} == {(None, None)}


# --------------------------------------------------------------------------- views


def test_a_mentor_sees_their_own_units_duties(umms: Program, umms_roster: Roster) -> None:
    found = plan(umms, umms_roster, mentor="m-1")
    assert {o.unit for o in of(found, "monthly-contact-due")} == {"c-01"}
    assert len(of(found, "monthly-contact-due")) == 10
    assert of(found, "workshop-fall")


def test_an_overlay_unit_adds_no_unit_duties(umms: Program, umms_roster: Roster) -> None:
    # m-4 mentors cohort c-02 and the MD/PhD overlay; the overlay owes no cohort deadlines
    found = plan(umms, umms_roster, mentor="m-4")
    assert {o.unit for o in found if o.kind in ("duty", "deadline")} == {"c-02"}
    assert of(plan(umms, umms_roster, unit="md-phd"), "monthly-contact-due") == []


def test_a_unit_and_its_mentors_see_the_same_event(umms: Program, umms_roster: Roster) -> None:
    unit = {o.uid: o for o in plan(umms, umms_roster, unit="c-01")}
    for mentor in ("m-1", "m-2"):
        for occ in plan(umms, umms_roster, mentor=mentor):
            assert unit[occ.uid] == occ


def test_uids_are_unique_per_view_and_stable(umms: Program, umms_roster: Roster) -> None:
    first = plan(umms, umms_roster, mentor="m-3")
    assert len({o.uid for o in first}) == len(first)
    assert plan(umms, umms_roster, mentor="m-3") == first
    other = {o.uid for o in plan(umms, umms_roster, mentor="m-1")}
    cohort = {o.uid for o in first if o.unit == "c-02"}
    assert cohort
    assert not cohort & other


def test_each_term_has_its_own_series(medmentors: Program) -> None:
    encounters = of(plan(medmentors), "small-group-encounter")
    series = {o.term: o.series for o in encounters}
    assert set(series) == {"fall-2023", "spring-2024"}
    assert len(set(series.values())) == 2


def test_trainings_go_only_to_the_people_they_are_for(umms: Program, umms_roster: Roster) -> None:
    fourth_years = Training(
        id="m4-briefing", name="Fourth-year briefing", start=datetime(2025, 9, 3, 17, 0),
        attendees=Selector(roles=("mentor",), levels=("M4",)),
    )
    program = umms.model_copy(update={"trainings": (*umms.trainings, fourth_years)})
    assert of(plan(program, umms_roster, mentor="m-2"), "m4-briefing")
    assert not of(plan(program, umms_roster, mentor="m-1"), "m4-briefing")
    assert of(plan(program, umms_roster, unit="c-01"), "m4-briefing")


# --------------------------------------------------------------------------- privacy


def test_a_unit_calendar_names_its_mentors_and_counts_its_mentees(
    umms: Program, umms_roster: Roster
) -> None:
    (first, *_) = of(plan(umms, umms_roster, unit="c-01"), "monthly-contact-due")
    assert "Søren Kierkegaard-Ng (m-1)" in first.description
    assert "Dr. Grace Okafor (f-1)" in first.description
    assert "3 mentees" in first.description
    assert "Zoë" not in first.description


def test_include_names_adds_the_mentees(umms: Program, umms_roster: Roster) -> None:
    (first, *_) = of(plan(umms, umms_roster, unit="c-01", include_names=True),
                     "monthly-contact-due")
    assert "Zoë Álvarez, Jr. (s-1)" in first.description
    assert "Nguyễn Văn An; Line (s-2)" in first.description


# --------------------------------------------------------------------------- status


def status(*obligations: Obligation) -> Status:
    return Status(program="umms", as_of=datetime(2025, 10, 20, 12, tzinfo=NEW_YORK),
                  obligations=obligations)


def obligation(**fields: object) -> Obligation:
    base: dict[str, object] = {
        "rule": "reply-texts-calls", "kind": "reply-window", "severity": "error",
        "subject": "s-1", "unit": "c-01", "mentors": ("m-1", "m-2"), "state": "pending",
        "message": "Zoë Álvarez, Jr. texted on 2025-10-20 12:00; reply within 24 hours",
    }
    base.update(fields)
    return Obligation.model_validate(base)


def test_a_pending_reply_becomes_a_deadline_ending_at_the_due_time(
    umms: Program, umms_roster: Roster
) -> None:
    due = datetime(2025, 10, 21, 12, 0, tzinfo=NEW_YORK)
    found = plan(umms, umms_roster, mentor="m-1", status=status(obligation(due=due)))
    (reply,) = [o for o in found if o.rule == "reply-texts-calls"]
    assert (reply.start, reply.end, reply.kind) == (due - timedelta(minutes=30), due, "deadline")
    assert reply.title == "Reply to s-1 by 2025-10-21 12:00"
    assert "Zoë" not in reply.description
    assert "s-1 texted" in reply.description


def test_a_due_time_at_midnight_is_an_all_day_deadline_the_day_before(
    umms: Program, umms_roster: Roster
) -> None:
    ob = obligation(rule="monthly-contact", kind="contact-cadence", period="2025-10",
                    due=datetime(2025, 11, 1, tzinfo=NEW_YORK), state="at_risk")
    found = plan(umms, umms_roster, unit="c-01", status=status(ob))
    (contact,) = [o for o in found if o.rule == "monthly-contact" and o.kind == "deadline"
                  and "status" in o.categories]
    assert (contact.start, contact.end, contact.all_day) == (
        date(2025, 10, 31), date(2025, 11, 1), True
    )
    assert "State: at risk" in contact.description


def test_met_breached_and_other_mentors_obligations_stay_out(
    umms: Program, umms_roster: Roster
) -> None:
    due = datetime(2025, 10, 21, 12, 0, tzinfo=NEW_YORK)
    obligations = status(
        obligation(due=due, state="met"),
        obligation(due=due, state="breached", subject="s-2"),
        obligation(due=due, subject="s-4", unit="c-02", mentors=("m-3", "m-4")),
        obligation(due=None, subject="s-3"),
    )
    found = plan(umms, umms_roster, mentor="m-1", status=obligations)
    assert not [o for o in found if "status" in o.categories]
    assert len([o for o in plan(umms, umms_roster, status=obligations)
                if "status" in o.categories]) == 1


# --------------------------------------------------------------------------- errors


def test_an_unknown_mentor_says_how_to_find_one(umms: Program, umms_roster: Roster) -> None:
    with pytest.raises(UnknownIdError, match=r"no mentor 'm-9'.*did you mean 'm-\d'.*role 'mentor'"):
        plan(umms, umms_roster, mentor="m-9")


def test_a_mentee_is_not_a_mentor(umms: Program, umms_roster: Roster) -> None:
    with pytest.raises(UnknownIdError, match=r"'s-1' is a mentee") as caught:
        plan(umms, umms_roster, mentor="s-1")
    assert isinstance(caught.value, UsageError)
    assert caught.value.known == ("m-1", "m-2", "m-3", "m-4")


def test_an_unknown_unit_names_the_units_column(umms: Program, umms_roster: Roster) -> None:
    with pytest.raises(UnknownIdError, match=r"no unit 'c-3'.*'units' column of umms-roster.csv"):
        plan(umms, umms_roster, unit="c-3")


def test_views_need_a_roster_and_exclude_each_other(umms: Program, umms_roster: Roster) -> None:
    with pytest.raises(UsageError, match="needs a roster"):
        plan(umms, mentor="m-1")
    with pytest.raises(UsageError, match="not both"):
        plan(umms, umms_roster, mentor="m-1", unit="c-01")
