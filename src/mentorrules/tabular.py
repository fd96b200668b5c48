"""Rows from CSV files, JSON Lines files, file objects and plain iterables.

Both the roster and the activity log are tables with a header. This module
turns any of the accepted sources into ``(line, record)`` pairs, where
``record`` maps column names to values and ``line`` is the 1-based line the row
starts on (``None`` for rows given as Python objects). It never drops a row
quietly: a row that cannot be split into fields becomes a :class:`BadRow` with
its line and reason, and the caller decides (strict: stop; lenient: count it
as rejected and go on).

Guarantees: UTF-8 with or without BOM; bytes that are not UTF-8 make the rows
holding them bad rows (not the whole file); CR, LF and CRLF line ends may be
mixed; fields are capped at :attr:`ReadLimits.max_field_bytes` and files at
:attr:`ReadLimits.max_bytes`; a CSV list column is ``;``-separated.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, overload

from mentorrules._suggest import did_you_mean
from mentorrules.errors import InputError, LimitExceededError

Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[Any]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds an embedding app may tighten; every refusal is a clear error."""

    max_bytes: int = 4 * 1024**3
    max_field_bytes: int = 1024 * 1024
    max_rows: int = 50_000_000


DEFAULT_READ_LIMITS = ReadLimits()


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not even be split into fields."""

    line: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class Header:
    """The checked column names of a CSV source, yielded first by ``read_rows(fields=True)``."""

    columns: tuple[str, ...]


Row = tuple[int | None, Mapping[str, Any]] | BadRow
FieldRow = Row | Header | tuple[int, list[str]]


def source_name(source: object) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<input>"


def is_file_source(source: object) -> bool:
    return isinstance(source, str | os.PathLike)


def file_format(path: str) -> str:
    """``csv`` or ``jsonl``, from the extension, else from the first non-blank byte."""
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lowered.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


@overload
def read_rows(source: Source, *, required: tuple[str, ...], known: tuple[str, ...], what: str,
              limits: ReadLimits = ..., fields: Literal[False] = ...) -> Iterator[Row]: ...


@overload
def read_rows(source: Source, *, required: tuple[str, ...], known: tuple[str, ...], what: str,
              limits: ReadLimits = ..., fields: Literal[True]) -> Iterator[FieldRow]: ...


def read_rows(
    source: Source,
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    what: str,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
    fields: bool = False,
) -> Iterator[Any]:
    """Rows of ``source``; a missing required column is an :class:`InputError` up front.

    With ``fields=True`` a CSV source yields one :class:`Header` and then each
    row as ``(line, list of fields)`` in header order, without building a dict
    per row (the activity log's hot path); other sources are unchanged.
    """
    name = source_name(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InputError.single(
                "no such file" if not path.exists() else "not a file",
                f"check the path of the {what} file", file=name)
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise LimitExceededError.single(
                f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}",
                "split the file or raise ReadLimits.max_bytes", file=name)
        if file_format(name) == "jsonl":
            yield from _jsonl_file(path, name, limits)
        else:
            yield from _csv_file(path, name, required, known, what, limits, fields)
        return
    if hasattr(source, "read"):
        yield from _stream(source, name, required, known, what, limits, fields)
        return
    if isinstance(source, Mapping | str | bytes):
        raise InputError.single(
            f"a {what} is an iterable of rows, not a single {type(source).__name__}",
            "pass a path, an open file, or a list of dicts")
    yield from _objects(source, limits)


def _stream(handle: Any, name: str, required: tuple[str, ...], known: tuple[str, ...],
            what: str, limits: ReadLimits, fields: bool = False) -> Iterator[Any]:
    data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise LimitExceededError.single(
            f"the input is over the limit of {limits.max_bytes:,} bytes",
            "split it or raise ReadLimits.max_bytes", file=name)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        yield from _jsonl_lines(io.BytesIO(data), name, limits)
    else:
        yield from _csv_bytes(data, name, required, known, what, limits, fields)


def _check_header(header: list[str], name: str, required: tuple[str, ...],
                  known: tuple[str, ...], what: str) -> list[str]:
    cleaned = [h.strip() for h in header]
    if len(cleaned) == 1 and any(sep in cleaned[0] for sep in ";\t|") and len(required) > 1:
        sep = next(s for s in ";\t|" if s in cleaned[0])
        raise InputError.single(
            f"the header has one column; the file seems to use {sep!r} between columns",
            "save it as CSV with commas between columns", file=name, line=1, column=1)
    missing = [col for col in required if col not in cleaned]
    if missing:
        unknown_cols = [c for c in cleaned if c not in known]
        hints = [f"{col!r}{did_you_mean(col, unknown_cols)}" for col in missing]
        raise InputError.single(
            f"the {what} has no column {', '.join(hints)}",
            f"add the column; a {what} needs {', '.join(required)}", file=name, line=1)
    dupes = {h for h in cleaned if cleaned.count(h) > 1 and h}
    if dupes:
        raise InputError.single(
            f"the header names {', '.join(sorted(dupes))} twice", "keep one column of each name",
            file=name, line=1)
    return cleaned


def _csv_file(path: Path, name: str, required: tuple[str, ...], known: tuple[str, ...],
              what: str, limits: ReadLimits, fields: bool = False) -> Iterator[Any]:
    # Decode strictly for speed; fall back to per-row checks only when a bad byte exists.
    try:
        with open(path, encoding="utf-8-sig", newline="", buffering=1 << 20) as handle:
            yield from _csv_rows(handle, name, required, known, what, limits, check=False,
                                 as_fields=fields)
    except _RestartNeeded as restart:
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            yield from _csv_rows(handle, name, required, known, what, limits, check=True,
                                 skip=restart.rows_done, as_fields=fields, header_sent=fields)


def _csv_bytes(data: bytes, name: str, required: tuple[str, ...], known: tuple[str, ...],
               what: str, limits: ReadLimits, fields: bool = False) -> Iterator[Any]:
    text = data.decode("utf-8-sig", errors="surrogateescape")
    yield from _csv_rows(io.StringIO(text, newline=""), name, required, known, what, limits,
                         check=True, as_fields=fields)


class _RestartNeeded(Exception):
    def __init__(self, rows_done: int) -> None:
        self.rows_done = rows_done


def _has_surrogates(fields: list[str]) -> bool:
    for field in fields:
        try:
            field.encode("utf-8")
        except UnicodeEncodeError:
            return True
    return False


def _csv_rows(handle: IO[str], name: str, required: tuple[str, ...], known: tuple[str, ...],
              what: str, limits: ReadLimits, *, check: bool, skip: int = 0,
              as_fields: bool = False, header_sent: bool = False) -> Iterator[Any]:
    csv.field_size_limit(limits.max_field_bytes)
    reader = csv.reader(handle, strict=False)
    done = 0
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError.single(f"the {what} file is empty", "add a header row",
                                    file=name) from None
        except csv.Error as exc:
            raise InputError.single(f"cannot read the header: {exc}", "fix the header row",
                                    file=name, line=1) from None
        if check and _has_surrogates(header):
            raise InputError.single("the header is not UTF-8", "save the file as UTF-8",
                                    file=name, line=1)
        columns = _check_header(header, name, required, known, what)
        width = len(columns)
        if as_fields and not header_sent:
            yield Header(tuple(columns))
        last_line = reader.line_num
        max_rows = limits.max_rows
        # The common row (right width, not blank, nothing to skip or check) takes the
        # first branch; everything else the careful path below it.
        fast = width > 1 and not check
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line = last_line + 1
                last_line = reader.line_num
                done += 1
                if done > skip:
                    yield BadRow(line, f"cannot split the row into fields: {exc}; an open quote "
                                 "makes the following lines part of one field")
                continue
            line = last_line + 1
            last_line = reader.line_num
            if fast and len(fields) == width and skip <= done < max_rows:
                done += 1
                yield line, (fields if as_fields else dict(zip(columns, fields, strict=True)))
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line is not a row
            done += 1
            if done <= skip:
                continue
            if done > max_rows:
                raise LimitExceededError.single(
                    f"more than {limits.max_rows:,} rows", "split the file or raise "
                    "ReadLimits.max_rows", file=name, line=line)
            if check and _has_surrogates(fields):
                yield BadRow(line, "the row holds bytes that are not UTF-8 (Latin-1?); "
                             "save the file as UTF-8")
                continue
            if len(fields) != width:
                yield BadRow(line, f"the row has {len(fields)} fields but the header has {width}")
                continue
            yield line, (fields if as_fields else dict(zip(columns, fields, strict=True)))
    except UnicodeDecodeError:
        if check:
            raise
        raise _RestartNeeded(done) from None


def _jsonl_file(path: Path, name: str, limits: ReadLimits) -> Iterator[Row]:
    with open(path, "rb") as handle:
        yield from _jsonl_lines(handle, name, limits)


def _jsonl_lines(handle: IO[bytes], name: str, limits: ReadLimits) -> Iterator[Row]:
    count = 0
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        count += 1
        if count > limits.max_rows:
            raise LimitExceededError.single(
                f"more than {limits.max_rows:,} rows", "split the file or raise "
                "ReadLimits.max_rows", file=name, line=number)
        if len(raw) > limits.max_field_bytes * 16:
            yield BadRow(number, f"the line is {len(raw):,} bytes long, over the limit")
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield BadRow(number, "the line holds bytes that are not UTF-8; save it as UTF-8")
            continue
        except (json.JSONDecodeError, RecursionError) as exc:
            yield BadRow(number, f"not a JSON object: {exc}")
            continue
        if not isinstance(record, dict):
            yield BadRow(number, f"a line must be a JSON object, not {type(record).__name__}")
            continue
        yield number, record


def _objects(source: Iterable[Any], limits: ReadLimits) -> Iterator[Row]:
    for count, item in enumerate(source, start=1):
        if count > limits.max_rows:
            raise LimitExceededError.single(
                f"more than {limits.max_rows:,} rows", "raise ReadLimits.max_rows")
        if isinstance(item, Mapping):
            yield None, item
        elif hasattr(item, "model_dump"):
            yield None, item.model_dump()
        elif hasattr(item, "to_record"):
            yield None, item.to_record()
        else:
            yield BadRow(None, f"row {count} is a {type(item).__name__}, not a mapping")


def split_list(value: Any) -> tuple[str, ...]:
    """A list column: ``a;b`` in CSV, a JSON list, or a tuple; blanks dropped, order kept."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, list | tuple):
        return tuple(str(part).strip() for part in value if str(part).strip())
    return (str(value),)


def text(value: Any) -> str:
    """A scalar cell as stripped text (None -> empty)."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)
