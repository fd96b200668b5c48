"""Make the sample data that ships with mentorrules, deterministically from a seed.

Run from the repository root::

    python scripts/make_samples.py            # write the samples
    python scripts/make_samples.py --check    # exit 1 if a written sample is out of date

It writes ``src/mentorrules/builtin/samples/<program>/roster.csv`` for each
built-in program. The same seed always gives the same files, byte for byte.

The roster follows the program's own structure (read from the program, not
repeated here): as many units as the recruitment numbers make, the program's
mentors per level and faculty per unit, mentees spread inside the cohort
bounds, and the program's overlay units. For the built-ins that is:

* ``umms``: 26 cohorts ``c01``..``c26``, each a faculty mentor, an M3 and an M4
  Peer Mentor and 12-15 M1/M2 mentees (351 in all), all of one learning
  community (five communities in turn); about 5% of mentees are on the MD/PhD
  track and also in ``md-phd``, with three MD/PhD Peer Mentors who are in
  ``md-phd`` only ("Additional MD/PhD Peer Mentors": extra to the 26 pairs,
  so they do not count against the 26 recruited per year); two staff members
  (program administrators, for referrals) in no unit.
* ``medmentors``: 22 small groups ``g01``..``g22``, one M2 mentor each and 137
  M1 mentees in groups of 6-8 (as in the abstract); one staff coordinator.

Names are drawn from a mixed pool (some non-ASCII, a few with a comma, such as
"..., MD"); e-mail addresses use the reserved ``example.edu`` domain.

Other scripts import :func:`make_roster` (the events sample builds on it).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "mentorrules" / "builtin" / "samples"
PROGRAMS = ("umms", "medmentors")
COLUMNS = ("id", "name", "role", "level", "community", "track", "units", "email")
COMMUNITIES = ("Aster", "Birch", "Cedar", "Dogwood", "Elm")

FIRST = (
    "Aaliyah", "Abena", "Adebayo", "Aditi", "Ahmed", "Aiko", "Alejandro", "Amara", "Ana",
    "Andrés", "Anjali", "Arjun", "Ayesha", "Beatriz", "Benjamin", "Bilal", "Björn", "Camila",
    "Carmen", "Chen", "Chidi", "Chloé", "Daniel", "Dariusz", "David", "Deepa", "Diego",
    "Dmitri", "Elena", "Elif", "Emily", "Emma", "Esther", "Fatima", "Felipe", "François",
    "Gabriel", "Grace", "Hana", "Hannah", "Hiroshi", "Ibrahim", "Inês", "Isabel", "Jamal",
    "Javier", "Jessica", "Joaquín", "Jonas", "José", "Julia", "Kai", "Kavya", "Kenji", "Kofi",
    "Laila", "Leah", "Liam", "Lucía", "Mai", "Malik", "Małgorzata", "Marcus", "María",
    "Mateo", "Mei", "Michael", "Mohammed", "Nadia", "Naomi", "Ngozi", "Nikhil", "Noah",
    "Olivia", "Omar", "Priya", "Rafael", "Rahul", "Rania", "Rebecca", "Ricardo", "Ruth",
    "Samuel", "Sara", "Şebnem", "Seo-yeon", "Sofía", "Søren", "Tariq", "Thandiwe", "Tomás",
    "Valentina", "Wei", "Yara", "Yusuf", "Zainab", "Zoë",
)
LAST = (
    "Abara", "Adeyemi", "Agarwal", "Alvarez", "Anderson", "Baker", "Banerjee", "Bennett",
    "Brooks", "Čapek", "Castillo", "Chang", "Chen", "Cohen", "Costa", "Das", "Dubois",
    "Edwards", "Eriksson", "Fernández", "Fischer", "Flores", "Foster", "Garcia", "Gómez",
    "Gupta", "Haddad", "Hansen", "Hernández", "Hoang", "Hughes", "Ibrahim", "Ito", "Jackson",
    "Jensen", "Kaur", "Kim", "Kowalski", "Kumar", "Lee", "Li", "Lopez", "Martin", "Mendoza",
    "Mensah", "Miller", "Morales", "Müller", "Murphy", "Nakamura", "Nguyen", "Nguyễn",
    "Novak", "O'Brien", "Obi", "Okafor", "Oliveira", "Østergaard", "Park", "Patel", "Perez",
    "Petrov", "Quinn", "Ramírez", "Reddy", "Reyes", "Rossi", "Russo", "Sánchez", "Santos",
    "Schmidt", "Shah", "Silva", "Singh", "Sullivan", "Suzuki", "Tanaka", "Thomas", "Torres",
    "Tran", "Turner", "Wang", "Williams", "Wójcik", "Yamamoto", "Yilmaz", "Zhang",
)
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "ß": "ss"})


class _People:
    """Unique names and e-mail addresses, drawn from one seeded generator."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.names:
                self.names.add(name)
                return name

    def email(self, name: str) -> str:
        plain = unicodedata.normalize("NFKD", name.split(",")[0].translate(_ASCII))
        plain = "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == " "))
        local = ".".join(plain.lower().split())
        address, n = f"{local}@{self.domain}", 1
        while address in self.emails:
            n += 1
            address = f"{local}{n}@{self.domain}"
        self.emails.add(address)
        return address

    def row(self, ident: str, role: str, level: str = "", community: str = "", track: str = "",
            units: Sequence[str] = (), suffix: str = "") -> dict[str, Any]:
        name = self.name()
        return {"id": ident, "name": name + suffix, "role": role, "level": level,
                "community": community, "track": track, "units": list(units),
                "email": self.email(name)}


def _sizes(rng: random.Random, units: int, low: int, high: int, total: int) -> list[int]:
    """``units`` sizes within ``low``..``high`` that add up to ``total``."""
    if not low * units <= total <= high * units:
        raise ValueError(f"{total} mentees do not fit {units} units of {low}-{high}")
    sizes = [low] * units
    for _ in range(total - low * units):
        sizes[rng.choice([i for i, n in enumerate(sizes) if n < high])] += 1
    return sizes


def make_roster(program_name: str, seed: int = 2025) -> list[dict[str, Any]]:
    """The sample roster of a program, as rows (``units`` a list); the same seed, the same rows.

    Rows come in this order: staff, then unit by unit its faculty, mentors
    (by level) and mentees, then overlay-only mentors.
    """
    import mentorrules

    program = mentorrules.load_program(program_name)
    rng = random.Random(f"{program_name}:{seed}")
    structure = program.units
    count = structure.unit_count
    if not count:
        raise ValueError(f"{program_name}: the program's recruitment numbers make no units")
    kinds = {spec.kind for spec in program.active_rules()}
    communities = program.communities or (COMMUNITIES if "community-alignment" in kinds else ())
    default_track = program.tracks[0] if program.tracks else ""
    people = _People(rng, f"{program.id}.example.edu")
    prefix = (structure.name.split() or ["unit"])[-1][:1].lower()
    width = len(str(count))

    rows: list[dict[str, Any]] = []
    staff_count = 2 if any(t.role == "staff" for t in program.referrals.targets) else 1
    rows += [people.row(f"a-{i:02d}", "staff") for i in range(1, staff_count + 1)]

    total = structure.expected_mentees or round(count * (structure.mentees.min
                                                         + structure.mentees.max) / 2)
    sizes = _sizes(rng, count, structure.mentees.min, structure.mentees.max, total)
    overlay_tracks = {t for o in program.overlays for t in o.covers.tracks}
    student = 0
    for index in range(count):
        unit = f"{prefix}{index + 1:0{max(width, 2)}d}"
        community = communities[index % len(communities)] if communities else ""
        for n in range(structure.faculty):
            suffix = ", MD" if rng.random() < 0.3 else ""
            rows.append(people.row(f"f-{index + 1:02d}" + (f"-{n + 1}" if n else ""), "faculty",
                                   community=community, units=[unit], suffix=suffix))
        for level, per_unit in structure.mentors.items():
            for n in range(per_unit):
                ident = f"{level.lower()}-{index + 1:02d}" if structure.mentors_per_unit > 1 \
                    else f"m-{index + 1:02d}"
                rows.append(people.row(ident + (f"-{n + 1}" if n else ""), "mentor", level,
                                       community, default_track, [unit]))
        for _ in range(sizes[index]):
            student += 1
            track, units = default_track, [unit]
            if overlay_tracks and rng.random() < 0.05:
                track = sorted(overlay_tracks)[0]
                units.extend(o.id for o in program.overlays if track in o.covers.tracks)
            suffix = ", Jr." if rng.random() < 0.01 else ""
            rows.append(people.row(f"s-{student:03d}", "mentee",
                                   rng.choice(structure.mentees.levels), community, track,
                                   units, suffix=suffix))

    recruited = list(structure.recruitment) or list(structure.mentors)
    for overlay in program.overlays:
        levels = overlay.mentors.levels or recruited
        track = overlay.mentors.tracks[0] if overlay.mentors.tracks else default_track
        for n in range(max(overlay.min_mentors, 3)):
            rows.append(people.row(f"{overlay.id}-{n + 1:02d}", "mentor", levels[n % len(levels)],
                                   rng.choice(communities) if communities else "", track,
                                   [overlay.id]))
    return rows


def roster_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as roster CSV (SPEC section 4): a header, ``units`` ``;``-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([";".join(row[c]) if c == "units" else row[c] for c in COLUMNS])
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=SAMPLES, help="the samples folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a sample differs from what it would be")
    args = parser.parse_args(argv)
    files = {args.out / name / "roster.csv": roster_csv(make_roster(name, args.seed))
             for name in PROGRAMS}
    return write_or_check(files, check=args.check, script="scripts/make_samples.py")


def write_or_check(files: Mapping[Path, str], *, check: bool, script: str) -> int:
    """Write each file (or, with ``check``, write nothing and list those that differ).

    Shared by both sample scripts; returns the exit status (1 when a file is stale).
    """
    stale = []
    for path, text in files.items():
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    for path in stale:
        print(f"out of date: {path}; run python {script}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
