"""The ``mentorrules`` command line: a thin layer over the facade.

Exit codes: 0 clean; 1 findings at or above ``--fail-on``; 2 bad input or usage
(one line on standard error naming the file, line and what to do; never a
traceback). An unexpected failure is a bug: it prints one line asking for a
report and exits 3 (set ``MENTORRULES_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn, TextIO

import mentorrules
from mentorrules.errors import InputError, MentorRulesError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mentorrules",
        description="Check peer-mentoring rosters and activity logs against a program's rules, "
        "show what is due, and export calendars.",
        epilog="PROGRAM is a path to a YAML file or a registered name (see `mentorrules programs`).",
    )
    parser.add_argument("--version", action="version", version=f"mentorrules {mentorrules.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("lint", help="validate program files; one line per problem")
    p.add_argument("programs", nargs="+", metavar="PROGRAM")

    p = sub.add_parser("show", help="print the resolved program (after extends) as data")
    p.add_argument("program", metavar="PROGRAM")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml")

    sub.add_parser("schema", help="print the JSON Schema of program files")
    sub.add_parser("programs", help="list registered programs: name, title, source")

    def inputs(p: argparse.ArgumentParser, events_required: bool) -> None:
        p.add_argument("program", metavar="PROGRAM")
        p.add_argument("--roster", required=True, metavar="FILE",
                       help="roster as CSV or JSON Lines")
        p.add_argument("--events", required=events_required, metavar="FILE",
                       help="activity log as CSV or JSON Lines")
        p.add_argument("--as-of", metavar="TIME",
                       help="the moment to judge at (ISO 8601; local to the program; "
                       "default: now)")
        p.add_argument("--strict", action="store_true",
                       help="stop at the first bad row (default: report bad rows, check the rest)")

    p = sub.add_parser("check", help="check a roster (and activity log) against the rules")
    inputs(p, events_required=False)
    p.add_argument("--format", choices=("text", "json", "csv", "md"), default="text")
    p.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                   help="exit 1 when a finding is at or above this severity (default: error)")
    p.add_argument("--no-metrics", action="store_true", help="leave the metrics out")

    p = sub.add_parser("status", help="what is due next, by when, for every obligation")
    inputs(p, events_required=True)
    p.add_argument("--format", choices=("text", "json", "csv", "md"), default="text")
    p.add_argument("--mentor", metavar="ID", help="only the obligations of this mentor")
    p.add_argument("--all", action="store_true", help="also list obligations already met")

    p = sub.add_parser("calendar", help="export iCalendar schedules")
    p.add_argument("program", metavar="PROGRAM")
    p.add_argument("--roster", required=True, metavar="FILE")
    p.add_argument("--events", metavar="FILE",
                   help="add reply-by and contact-due deadlines from this activity log")
    p.add_argument("--as-of", metavar="TIME")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--mentor", metavar="ID", help="one mentor's calendar")
    who.add_argument("--unit", metavar="ID", help="one unit's calendar")
    who.add_argument("--all", action="store_true",
                     help="one file per mentor, into the folder given with -o")
    p.add_argument("--include-names", action="store_true",
                   help="name mentees in events (off by default, for privacy)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="file (or folder with --all); default: standard output")

    p = sub.add_parser("demo", help="run check, status and metrics on the bundled sample data")
    p.add_argument("--program", choices=("umms", "medmentors"), action="append",
                   help="only this built-in program (default: both)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        return int(_COMMANDS[args.command](args))
    except InputError as exc:
        hint = ""
        if len(exc.problems) > 1 and args.command != "lint":
            hint = f" (`mentorrules lint` lists all {len(exc.problems)})"
        _error(str(exc) + hint)
        return EXIT_INPUT
    except MentorRulesError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a file we were asked to write (or read) that the system refuses
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}; check the path and its permissions")
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input
        if os.environ.get("MENTORRULES_DEBUG"):
            raise
        _error(f"internal error ({type(exc).__name__}: {exc}); this is a bug - please report it "
               "with MENTORRULES_DEBUG=1 output")
        return EXIT_BUG


def _error(message: str) -> None:
    line = " ".join(message.split())
    print(f"mentorrules: error: {line}", file=sys.stderr)


def _write(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)


# --------------------------------------------------------------------------- commands


def _lint(args: argparse.Namespace) -> int:
    failed = False
    for source in args.programs:
        try:
            program = mentorrules.load_program(source)
        except InputError as exc:
            failed = True
            for problem in exc.problems:
                print(" ".join(str(problem).split()), file=sys.stderr)
        except MentorRulesError as exc:
            failed = True
            _error(str(exc))
        else:
            print(f"{source}: ok ({program.id}: {len(program.rules)} rules, "
                  f"{len(program.schedule)} schedule items)")
    return EXIT_INPUT if failed else EXIT_OK


def _show(args: argparse.Namespace) -> int:
    program = mentorrules.load_program(args.program)
    data = program.to_data()
    if args.format == "json":
        _write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        import yaml

        _write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from mentorrules.program.schema import schema_text

    _write(schema_text())
    return EXIT_OK


def _programs(args: argparse.Namespace) -> int:
    from mentorrules.program.registry import registered

    rows = []
    for name, entry in sorted(registered().items()):
        try:
            title = mentorrules.load_program(entry.resource).title
        except MentorRulesError as exc:
            title = f"(does not load: {' '.join(str(exc).split())[:80]})"
        rows.append((name, title, f"{entry.provider}: {entry.location}"))
    width = max((len(r[0]) for r in rows), default=4)
    for name, title, source in rows:
        print(f"{name:<{width}}  {title}\n{'':<{width}}  {source}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from mentorrules.export.report import render_report, use_colour

    report = mentorrules.check(args.program, args.roster, args.events, as_of=args.as_of,
                               metrics=not args.no_metrics, strict=args.strict)
    _write(render_report(report, args.format, colour=use_colour(sys.stdout)))
    if args.fail_on != "never" and report.at_or_above(args.fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from mentorrules.export.report import render_status, status_text, use_colour

    result = mentorrules.status(args.program, args.roster, args.events, as_of=args.as_of,
                                strict=args.strict)
    if args.mentor:
        if args.mentor not in {m for o in result.obligations for m in o.mentors}:
            roster = mentorrules.read_roster(args.roster)
            if args.mentor not in roster.people:
                raise InputError.single(f"no mentor {args.mentor!r} on the roster",
                                        "give a mentor id from the roster", file=args.roster)
        result = result.model_copy(update={"obligations": result.for_mentor(args.mentor)})
    if args.format == "text":
        _write(status_text(result, colour=use_colour(sys.stdout), show_met=args.all))
    else:
        _write(render_status(result, args.format))
    return EXIT_OK


def _calendar(args: argparse.Namespace) -> int:
    from mentorrules.export import ical

    program = mentorrules.load_program(args.program)
    roster = mentorrules.read_roster(args.roster, program)
    if roster.rejected:
        first = roster.rejected[0]
        print(f"mentorrules: warning: roster: {roster.counts.read:,} rows read, "
              f"{roster.counts.rejected:,} rejected, so their people get no calendar (first: "
              f"{first.source}:{first.line}: {first.reason}); `mentorrules check` lists them all",
              file=sys.stderr)
    status = None
    if args.events:
        status = mentorrules.status(program, roster, args.events, as_of=args.as_of)
    if args.all:
        if not args.output:
            raise InputError.single("--all writes one file per mentor into a folder",
                                    "give the folder with -o DIR")
        written = ical.write_calendars_per_mentor(Path(args.output), program, roster,
                                                  status=status,
                                                  include_names=args.include_names)
        print(f"wrote {len(written)} calendars to {args.output}", file=sys.stderr)
        return EXIT_OK
    options = {"mentor": args.mentor, "unit": args.unit, "status": status,
               "include_names": args.include_names}
    if args.output:
        # Writing over an earlier export keeps unchanged events identical and raises SEQUENCE
        # only for changed ones.
        ical.write_calendar(Path(args.output), program=program, roster=roster, **options)
    else:
        sys.stdout.buffer.write(ical.build_calendar(program, roster, **options))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from mentorrules.builtin import samples
    from mentorrules.export.report import render_report, status_text, use_colour

    colour = use_colour(sys.stdout)
    names = args.program or ["umms", "medmentors"]
    results: dict[str, Any] = {}
    for name in names:
        folder: Traversable = samples / name
        meta = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
        program = mentorrules.load_program(name)
        roster_path = Path(str(folder / "roster.csv"))
        events_path = Path(str(folder / "events.csv"))
        report = mentorrules.check(program, roster_path, events_path, as_of=meta["as_of"])
        current = mentorrules.status(program, roster_path, events_path, as_of=meta["as_of"])
        if args.format == "json":
            results[name] = {"check": report.model_dump(mode="json"),
                             "status": current.model_dump(mode="json")}
            continue
        _write(f"=== {program.title} ({name}): sample year, as of {meta['as_of']} ===\n")
        _write(render_report(report, "text", colour=colour))
        due = [o for o in current.obligations if o.state in ("pending", "at_risk")]
        upcoming = due[:10]
        heading = f"first {len(upcoming)} of {len(due)}" if len(due) > len(upcoming) else \
            f"{len(due)}"
        _write(f"\nnext due ({heading}):\n")
        shown = current.model_copy(update={"obligations": tuple(upcoming), "rows": {}})
        _write(status_text(shown, colour=colour).split("\n", 2)[2])
        _write("\n")
    if args.format == "json":
        _write(json.dumps(results, indent=2) + "\n")
    return EXIT_OK


_COMMANDS = {
    "lint": _lint,
    "show": _show,
    "schema": _schema,
    "programs": _programs,
    "check": _check,
    "status": _status,
    "calendar": _calendar,
    "demo": _demo,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
