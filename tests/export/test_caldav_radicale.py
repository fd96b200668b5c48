"""The per-mentor calendars of both built-in programs, stored in a real CalDAV server.

A Radicale server runs on 127.0.0.1 (a free port, storage in the test's
temporary folder, no authentication) for the duration of one test module. Each
event is PUT as its own resource, named by its UID as CalDAV clients do, then the
collection is read back with a calendar-query REPORT; a second export of the
same data stored again must leave the event count unchanged (Radicale also
refuses a second resource with a UID it already holds, so a duplicate would fail
the PUT).
"""

from __future__ import annotations

import base64
import hashlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

import mentorrules
from mentorrules.export.ical import calendars_per_mentor
from mentorrules.program.loader import load_program
from mentorrules.program.models import Program
from mentorrules.roster.models import Roster

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent.parent / "data" / "ical"
AUTH = "Basic " + base64.b64encode(b"mentor:secret").decode()
DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"


def read_roster(path: Path, program: Program) -> Roster:
    """The fixture roster, read strictly by the library's own reader."""
    return mentorrules.read_roster(path, program, strict=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def request(method: str, url: str, body: bytes = b"", **headers: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body or None, method=method)
    req.add_header("Authorization", AUTH)
    for name, value in headers.items():
        req.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("radicale")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", "",
         "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "none", "--rights-type", "owner_only", "--web-type", "none",
         "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                status, _ = request("PROPFIND", f"{base}/mentor/", Depth="0")
                if status < 500:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                stderr = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"Radicale did not start: {stderr[-2000:]}")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def resources(ics: bytes) -> dict[str, bytes]:
    """One iCalendar object per UID (a CalDAV resource), each with its VTIMEZONE."""
    cal = icalendar.Calendar.from_ical(ics)
    found: dict[str, bytes] = {}
    for event in cal.walk("VEVENT"):
        single = icalendar.Calendar()
        for key, value in cal.items():
            if key != "METHOD":  # CalDAV forbids METHOD in stored resources (RFC 4791 4.1)
                single[key] = value
        for tz in cal.walk("VTIMEZONE"):
            single.add_component(tz)
        single.add_component(event)
        found[str(event["UID"])] = single.to_ical()
    return found


def href(uid: str) -> str:
    return hashlib.sha256(uid.encode()).hexdigest()[:32] + ".ics"


def store(collection: str, ics: bytes) -> None:
    for uid, body in resources(ics).items():
        status, answer = request("PUT", collection + href(uid), body,
                                 Content_Type="text/calendar; charset=utf-8")
        assert status in (201, 204), (uid, status, answer[:500])


def stored_events(collection: str) -> list[icalendar.Event]:
    query = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        b"<D:prop><C:calendar-data/></D:prop>"
        b'<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
        b"</C:comp-filter></C:filter></C:calendar-query>"
    )
    status, answer = request("REPORT", collection, query, Depth="1",
                             Content_Type="application/xml; charset=utf-8")
    assert status == 207, answer[:500]
    events = []
    for data in ET.fromstring(answer).iter(f"{CALDAV}calendar-data"):
        events += icalendar.Calendar.from_ical((data.text or "").encode()).walk("VEVENT")
    return events


PROGRAMS = ("umms", "medmentors")


@pytest.mark.parametrize("name", PROGRAMS)
def test_each_mentor_calendar_survives_a_caldav_round_trip(server: str, name: str) -> None:
    program = load_program(name)
    roster = read_roster(DATA / f"{name}-roster.csv", program)
    calendars = calendars_per_mentor(program, roster)
    assert calendars
    for mentor_id, ics in calendars.items():
        collection = f"{server}/mentor/{name}-{mentor_id}/"
        status, answer = request("MKCALENDAR", collection)
        assert status == 201, answer[:500]
        store(collection, ics)

        exported = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
        stored = {str(e["UID"]): e for e in stored_events(collection)}
        assert stored.keys() == exported.keys()
        for uid, event in stored.items():
            for key in ("SUMMARY", "DESCRIPTION", "RRULE", "SEQUENCE"):
                assert event.get(key) == exported[uid].get(key), (uid, key)
            assert event["DTSTART"].dt == exported[uid]["DTSTART"].dt
            assert event["DTEND"].dt == exported[uid]["DTEND"].dt

        again = calendars_per_mentor(program, roster, previous={mentor_id: ics})[mentor_id]
        store(collection, again)
        assert len(stored_events(collection)) == len(exported)


def test_a_second_resource_with_the_same_uid_is_refused(server: str) -> None:
    """Why stable UIDs matter: a server keeps one event per UID."""
    program = load_program("medmentors")
    roster = read_roster(DATA / "medmentors-roster.csv", program)
    ics = calendars_per_mentor(program, roster)["mm-1"]
    collection = f"{server}/mentor/duplicate-check/"
    assert request("MKCALENDAR", collection)[0] == 201
    uid, body = next(iter(resources(ics).items()))
    assert request("PUT", collection + "first.ics", body,
                   Content_Type="text/calendar")[0] == 201
    status, _ = request("PUT", collection + "second.ics", body, Content_Type="text/calendar")
    assert status in (403, 409)
    assert [str(e["UID"]) for e in stored_events(collection)] == [uid]
