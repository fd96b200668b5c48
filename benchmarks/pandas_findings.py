"""The same monthly-contact and reply-window findings, computed with pandas.

A straightforward pandas script, the way an analyst would write it, for
benchmark 1: it reads a generated roster and log (benchmarks/generate.py) and
finds what two UMMS rules find:

- ``monthly-contact``: a mentee who had no contact from a mentor of their
  (regular) unit in a calendar month of the program's terms - a message from
  the mentor to the mentee, or a meeting both attended;
- ``reply-texts-calls`` / ``reply-emails``: a mentee's text or call (e-mail)
  to a mentor answered more than 24 (48) hours later, or not at all by
  ``as_of``. One window per message; the mentors of every unit the message
  reached (overlays too) may answer: with a reply naming it, any message to
  the mentee, or a meeting with the mentee; the first of these answers it.

Findings are ``(rule, subject, unit, period, evidence)``. Needs pandas (the
``bench`` extra). ``python -m benchmarks.pandas_findings --size school``
prints their number.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = "America/New_York"
OVERLAYS = {"md-phd"}
TERMS = (("2025-08-04", "2025-12-19"), ("2026-01-05", "2026-05-15"))
WINDOWS = {"reply-texts-calls": (("text", "phone"), 24 * 3600),
           "reply-emails": (("email",), 48 * 3600)}

Finding = tuple[str, str, str, str, tuple[str, ...]]


def months(as_of_ts: int) -> tuple[list[int], list[int]]:
    """Months (as yyyymm) overlapping a term; and those of them ended by ``as_of``."""
    zone = ZoneInfo(ZONE)
    first = datetime.fromisoformat(TERMS[0][0])
    last = datetime.fromisoformat(TERMS[-1][1])
    found, ended = [], []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        after = (year + month // 12, month % 12 + 1)
        found.append(year * 100 + month)
        if datetime(*after, 1, tzinfo=zone).timestamp() <= as_of_ts:
            ended.append(year * 100 + month)
        year, month = after
    return found, ended


def run(folder: Path, as_of: str) -> set[Finding]:
    import pandas as pd

    as_of_ts = int(datetime.fromisoformat(as_of).replace(tzinfo=ZoneInfo(ZONE)).timestamp())
    evaluated, ended = months(as_of_ts)

    roster = pd.read_csv(folder / "roster.csv", dtype=str, keep_default_na=False)
    members = roster.assign(unit=roster["units"].str.split(";")).explode("unit")
    mentors = members.loc[members["role"] == "mentor", ["id", "unit"]].rename(
        columns={"id": "mentor"})
    mentees = members.loc[members["role"] == "mentee", ["id", "unit"]].rename(
        columns={"id": "mentee"})
    pairs = mentors.merge(mentees, on="unit")  # (mentor, unit, mentee), overlays included
    regular_pairs = pairs[~pairs["unit"].isin(OVERLAYS)]
    mentor_ids = set(mentors["mentor"])
    mentee_ids = set(mentees["mentee"])

    log = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    local = pd.to_datetime(log["at"], format="ISO8601")
    aware = local.dt.tz_localize(ZONE, ambiguous="raise", nonexistent="raise")
    log["ts"] = (aware - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    log["month"] = local.dt.year * 100 + local.dt.month
    log = log[log["ts"] <= as_of_ts].sort_values(["ts", "id"], kind="stable")
    log["seq"] = range(len(log))
    log = log.assign(rcpt=log["to"].str.split(";"))
    sent = log[["seq", "id", "type", "ts", "month", "from", "rcpt", "channel", "reply_to"]] \
        .explode("rcpt")

    messages = sent[sent["type"] == "message"]
    meetings = log[log["type"] == "meeting"]
    present = pd.concat([
        meetings[["seq", "month", "from"]].rename(columns={"from": "person"}),
        sent.loc[sent["type"] == "meeting", ["seq", "month", "rcpt"]].rename(
            columns={"rcpt": "person"}),
    ]).drop_duplicates()
    met = present[present["person"].isin(mentor_ids)].rename(columns={"person": "mentor"}) \
        .merge(present[present["person"].isin(mentee_ids)].rename(columns={"person": "mentee"}),
               on=["seq", "month"])  # (seq, month, mentor, mentee) who were both there

    found: set[Finding] = set()

    # ---- monthly-contact
    wrote = messages.rename(columns={"from": "mentor", "rcpt": "mentee"})
    contacts = pd.concat([wrote[["mentor", "mentee", "month"]], met[["mentor", "mentee", "month"]]])
    contacts = contacts.merge(regular_pairs, on=["mentor", "mentee"])[["mentee", "unit", "month"]] \
        .drop_duplicates()
    subjects = mentees[~mentees["unit"].isin(OVERLAYS)].drop_duplicates()
    due = subjects.merge(pd.DataFrame({"month": ended}), how="cross")
    missed = due.merge(contacts, on=["mentee", "unit", "month"], how="left", indicator=True)
    missed = missed[missed["_merge"] == "left_only"]
    found.update(("monthly-contact", m, u, f"{p // 100}-{p % 100:02d}", ())
                 for m, u, p in missed[["mentee", "unit", "month"]].itertuples(index=False))

    # ---- reply windows
    # Answers: a mentor's message to a mentee, or a meeting of the two, in log order.
    answers = pd.concat([
        messages.loc[messages["from"].isin(mentor_ids), ["seq", "from", "rcpt"]].rename(
            columns={"from": "answerer", "rcpt": "mentee"}),
        met[["seq", "mentor", "mentee"]].rename(columns={"mentor": "answerer"}),
    ]).drop_duplicates().rename(columns={"seq": "answer_seq"})
    answers["key"] = answers["mentee"] + "|" + answers["answerer"]
    answers = answers.sort_values("answer_seq")
    replies = messages.loc[messages["from"].isin(mentor_ids) & (messages["reply_to"] != ""),
                           ["seq", "from", "reply_to"]].drop_duplicates()
    ts_of = log.set_index("seq")["ts"]
    id_of = log.set_index("seq")["id"]
    for rule, (channels, within) in WINDOWS.items():
        asked = messages[messages["from"].isin(mentee_ids) & messages["channel"].isin(channels)
                         & messages["month"].isin(evaluated)]
        reached = asked.rename(columns={"from": "mentee", "rcpt": "mentor"}).merge(
            pairs, on=["mentor", "mentee"])
        if reached.empty:
            continue
        reached = reached.assign(regular=~reached["unit"].isin(OVERLAYS))
        unit = reached.sort_values(["seq", "regular"], ascending=[True, False], kind="stable") \
            .drop_duplicates("seq")[["seq", "id", "ts", "month", "mentee", "unit"]]
        answerers = reached[["seq", "unit", "mentee"]].drop_duplicates().merge(
            mentors, on="unit")[["seq", "mentee", "mentor"]].drop_duplicates()
        answerers = answerers.rename(columns={"mentor": "answerer"})
        answerers["key"] = answerers["mentee"] + "|" + answerers["answerer"]
        first = pd.merge_asof(answerers.sort_values("seq"), answers[["answer_seq", "key"]],
                              left_on="seq", right_on="answer_seq", by="key",
                              direction="forward", allow_exact_matches=False)
        by_reply = answerers.merge(unit[["seq", "id"]], on="seq").merge(
            replies.rename(columns={"seq": "reply_seq", "from": "answerer",
                                    "reply_to": "id"}), on=["id", "answerer"])
        earliest = pd.concat([
            first[["seq", "answer_seq"]].dropna(),
            by_reply[["seq", "reply_seq"]].rename(columns={"reply_seq": "answer_seq"}),
        ]).groupby("seq")["answer_seq"].min()
        windows = unit.set_index("seq").join(earliest)
        answered = windows.dropna(subset=["answer_seq"])
        answer_seq = answered["answer_seq"].astype("int64")
        took = ts_of.loc[answer_seq].to_numpy() - answered["ts"].to_numpy()
        late = answered[took > within].assign(answer=id_of.loc[answer_seq[took > within]]
                                              .to_numpy())
        found.update((rule, r.mentee, r.unit, f"{r.month // 100}-{r.month % 100:02d}",
                      (r.id, r.answer)) for r in late.itertuples())
        open_ = windows[windows["answer_seq"].isna() & (windows["ts"] + within < as_of_ts)]
        found.update((rule, r.mentee, r.unit, f"{r.month // 100}-{r.month % 100:02d}", (r.id,))
                     for r in open_.itertuples())
    return found


RULES = ("monthly-contact", *WINDOWS)


def of_report(findings: Any) -> set[Finding]:
    """The same findings, from a mentorrules report's ``findings``."""
    return {(f.rule, f.subject, f.unit or "", f.period or "", tuple(f.evidence))
            for f in findings if f.rule in RULES}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import AS_OF, DATA

    parser = argparse.ArgumentParser(prog="python -m benchmarks.pandas_findings")
    parser.add_argument("--size", default="school")
    args = parser.parse_args(argv)
    found = run(DATA / args.size, AS_OF)
    for rule in RULES:
        print(rule, sum(1 for f in found if f[0] == rule))
    return 0


if __name__ == "__main__":
    sys.exit(main())
