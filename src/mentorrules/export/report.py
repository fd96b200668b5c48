"""Render reports and status as text, JSON, CSV and Markdown.

Text is for a terminal: findings grouped by unit, colour only when writing to a
terminal (and never when ``NO_COLOR`` is set). JSON is the report model as is.
CSV (RFC 4180: CRLF line ends, a field with a line break quoted) is one row
per finding; a cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with ``'`` so it stays text. Markdown is a table per unit, with ``|``,
``\\`` and ``<`` escaped and line breaks made spaces.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from mentorrules.report import Finding, Obligation, Report, RowCounts, Status

_COLOURS = {"error": "31", "warning": "33", "info": "36", "breached": "31", "at_risk": "33",
            "pending": "0", "met": "32"}


def use_colour(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code != "0" else text


def _when(moment: datetime | None) -> str:
    return moment.strftime("%a %d %b %Y %H:%M %Z") if moment else "-"


def _clean(text: str) -> str:
    """One line: control characters shown as spaces, so input cannot move the cursor."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _rows_line(rows: dict[str, RowCounts]) -> list[str]:
    lines = []
    for name, counts in rows.items():
        noun = "row" if counts.read == 1 else "rows"
        lines.append(f"{name}: {counts.read:,} {noun} read, {counts.used:,} used, "
                     f"{counts.rejected:,} rejected")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def report_text(report: Report, *, colour: bool = False, limit_rejected: int = 20) -> str:
    s = report.summary
    out = [
        f"{report.program} - as of {_when(report.as_of)} - {_plural(s.error, 'error')}, "
        f"{_plural(s.warning, 'warning')}, {s.info} info",
        *_rows_line(report.rows),
        *(f"note: {note}" for note in report.notes),
    ]
    if report.rejected:
        out.append("")
        out.append(f"rejected rows ({len(report.rejected)}):")
        for row in report.rejected[:limit_rejected]:
            where = f"{row.source}:{row.line}" if row.line else row.source
            out.append(f"  {_clean(where)}: {_clean(row.reason)}")
        if len(report.rejected) > limit_rejected:
            out.append(f"  ... and {len(report.rejected) - limit_rejected} more "
                       "(--format json lists them all)")
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.unit or "(program)", []).append(finding)
    for unit, findings in groups.items():
        out.append("")
        out.append(_paint(f"unit {unit}" if unit != "(program)" else "program", "1", colour))
        for f in findings:
            sev = _paint(f"{f.severity:<7}", _COLOURS[f.severity], colour)
            period = f" [{f.period}]" if f.period else ""
            out.append(f"  {sev} {_clean(f.rule)}: {_clean(f.subject)}{_clean(period)}")
            out.append(f"          {_clean(f.message)}")
            if f.evidence:
                shown = ", ".join(f.evidence[:8]) + (" ..." if len(f.evidence) > 8 else "")
                out.append(f"          evidence: {_clean(shown)}")
    if not report.findings:
        out.append("")
        out.append(_paint("no findings: everything checked is in order", "32", colour))
    if report.metrics:
        out.append("")
        out.append("metrics:")
        out.extend(_metrics_text(report.metrics))
    return "\n".join(out) + "\n"


def _metrics_text(metrics: dict[str, Any], indent: str = "  ") -> list[str]:
    from mentorrules.metrics import metrics_text

    return metrics_text(metrics, indent)


def report_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


_CSV_FIELDS = ("rule", "kind", "severity", "state", "subject", "unit", "period", "due", "message",
               "evidence", "mentors")


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _csv(rows: Iterable[Sequence[str]], header: Sequence[str]) -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 says: the csv module quotes a field holding any character of the
    # line ending, and a bare CR left unquoted would start a new row in a spreadsheet
    # (one that could begin with '=').
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def report_csv(report: Report) -> str:
    return _csv(
        (
            (f.rule, f.kind, f.severity, f.state, f.subject, f.unit or "", f.period or "",
             f.due.isoformat() if f.due else "", f.message, ";".join(f.evidence),
             ";".join(f.mentors))
            for f in report.findings
        ),
        _CSV_FIELDS,
    )


def _md(text: str) -> str:
    """One table cell: on one line, its ``|`` and ``\\`` escaped, no HTML tag opened."""
    return _clean(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def report_markdown(report: Report) -> str:
    s = report.summary
    out = [f"# {report.program}: compliance as of {_when(report.as_of)}", "",
           f"**{_plural(s.error, 'error')}, {_plural(s.warning, 'warning')}, {s.info} info**", ""]
    out.extend(f"- {line}" for line in _rows_line(report.rows))
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.unit or "program", []).append(finding)
    for unit, findings in groups.items():
        out += ["", f"## {unit}", "", "| severity | rule | subject | period | message |",
                "|---|---|---|---|---|"]
        out += [f"| {f.severity} | {_md(f.rule)} | {_md(f.subject)} | {_md(f.period or '')} | "
                f"{_md(f.message)} |" for f in findings]
    if report.metrics:
        out += ["", "## Metrics", "", "```text", *_metrics_text(report.metrics), "```"]
    return "\n".join(out) + "\n"


def render_report(report: Report, fmt: str, *, colour: bool = False) -> str:
    if fmt == "json":
        return report_json(report)
    if fmt == "csv":
        return report_csv(report)
    if fmt == "md":
        return report_markdown(report)
    return report_text(report, colour=colour)


# --------------------------------------------------------------------------- status


def status_text(status: Status, *, colour: bool = False, show_met: bool = False) -> str:
    shown = [o for o in status.obligations if show_met or o.state != "met"]
    counts: dict[str, int] = {}
    for o in status.obligations:
        counts[o.state] = counts.get(o.state, 0) + 1
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("breached", "at_risk", "pending", "met"))
    out = [f"{status.program} - status as of {_when(status.as_of)} - {summary}",
           *_rows_line(status.rows), ""]
    for o in shown:
        state = _paint(f"{o.state:<8}", _COLOURS[o.state], colour)
        who = _clean(",".join(o.mentors)) or "-"
        out.append(f"{_when(o.due):<26} {state} {_clean(o.rule)}: {_clean(o.subject)} "
                   f"(remind {who})")
        out.append(f"{'':<26} {_clean(o.message)}")
    if not shown:
        out.append("nothing due")
    return "\n".join(out) + "\n"


def status_csv(status: Status) -> str:
    return _csv(
        ((o.due.isoformat() if o.due else "", o.state, o.rule, o.kind, o.subject, o.unit or "",
          ";".join(o.mentors), o.period or "", o.message, ";".join(o.evidence))
         for o in status.obligations),
        ("due", "state", "rule", "kind", "subject", "unit", "mentors", "period", "message",
         "evidence"),
    )


def status_markdown(status: Status) -> str:
    out = [f"# {status.program}: status as of {_when(status.as_of)}", "",
           "| due | state | rule | subject | remind | message |", "|---|---|---|---|---|---|"]
    out += [f"| {_when(o.due)} | {o.state} | {_md(o.rule)} | {_md(o.subject)} | "
            f"{_md(', '.join(o.mentors))} | {_md(o.message)} |" for o in status.obligations]
    return "\n".join(out) + "\n"


def render_status(status: Status, fmt: str, *, colour: bool = False) -> str:
    if fmt == "json":
        return status.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return status_csv(status)
    if fmt == "md":
        return status_markdown(status)
    return status_text(status, colour=colour)


__all__ = ["Obligation", "render_report", "render_status", "safe_cell"]
