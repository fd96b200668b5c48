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
mixed; fields are capped at :attr:`ReadLimits.max_field_bytes`, lines at 16
times that (a longer line is a bad row, read in pieces and never held whole)
and files at :attr:`ReadLimits.max_bytes`; an open file is streamed, not read
whole; quoting is strict, so a quote left open is a bad row that names the
lines it ran over rather than a field that silently swallows them; a JSON
object with a key given twice, or NaN, is a bad row; a CSV list column is
``;``-separated.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import os
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, Literal, overload

from mentorrules._suggest import did_you_mean
from mentorrules.errors import InputError, LimitExceededError, shorten

Source = str | os.PathLike[str] | IO[str] | IO[bytes] | Iterable[Any]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds an embedding app may tighten; every refusal is a clear error.

    - ``max_bytes``: the size of a file or stream (a file is streamed, so this
      bounds time, not memory);
    - ``max_field_bytes``: one CSV field; a line may hold 16 times that (a longer
      one is a rejected row, skipped without being held in memory);
    - ``max_rows``: rows of one input;
    - ``max_rejected``: rejected rows kept, with their reasons, per reader (and
      per engine run); one more stops the read with the first one's reason,
      since a file where every row is wrong is most likely the wrong file.
    """

    max_bytes: int = 4 * 1024**3
    max_field_bytes: int = 1024 * 1024
    max_rows: int = 10_000_000
    max_rejected: int = 100_000


DEFAULT_READ_LIMITS = ReadLimits()


def too_many_rejected(name: str, limits: ReadLimits, line: int | None,
                      reason: str) -> LimitExceededError:
    """The error for one rejected row more than ``limits.max_rejected``; the first's reason."""
    return LimitExceededError.single(
        f"more than {limits.max_rejected:,} rows rejected; the first: {shorten(reason, 160)}",
        "check it is the right file and fix that, or raise ReadLimits.max_rejected",
        file=name, line=line)


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
              limits: ReadLimits = ..., fields: Literal[False] = ...,
              keep: tuple[type, ...] = ..., batched: Literal[False] = ...) -> Iterator[Row]: ...


@overload
def read_rows(source: Source, *, required: tuple[str, ...], known: tuple[str, ...], what: str,
              limits: ReadLimits = ..., fields: Literal[True],
              keep: tuple[type, ...] = ..., batched: Literal[False] = ...
              ) -> Iterator[FieldRow]: ...


@overload
def read_rows(source: Source, *, required: tuple[str, ...], known: tuple[str, ...], what: str,
              limits: ReadLimits = ..., fields: bool = ..., keep: tuple[type, ...] = ...,
              batched: Literal[True]) -> Iterator[Any]: ...


def read_rows(
    source: Source,
    *,
    required: tuple[str, ...],
    known: tuple[str, ...],
    what: str,
    limits: ReadLimits = DEFAULT_READ_LIMITS,
    fields: bool = False,
    keep: tuple[type, ...] = (),
    batched: bool = False,
) -> Iterator[Any]:
    """Rows of ``source``; a missing required column is an :class:`InputError` up front.

    With ``fields=True`` a CSV source yields one :class:`Header` and then each
    row as ``(line, list of fields)`` in header order, without building a dict
    per row (the activity log's hot path); other sources are unchanged.

    With ``batched=True`` the rows of a CSV or JSON Lines source come in lists
    (in order, each item what would have come alone; the :class:`Header` still
    comes alone), and with ``fields=True`` too a run of ordinary CSV rows may
    come as one :class:`FieldRows`: a caller that handles those saves a step per
    row. Rows given as Python objects still come one by one.
    """
    if batched:
        yield from _read_rows(source, required, known, what, limits, fields, keep)
        return
    for item in _read_rows(source, required, known, what, limits, fields, keep):
        if type(item) is list:
            yield from item
        elif type(item) is FieldRows:
            yield from enumerate(item.rows, item.line)
        else:
            yield item


def _read_rows(source: Source, required: tuple[str, ...], known: tuple[str, ...], what: str,
               limits: ReadLimits, fields: bool, keep: tuple[type, ...]) -> Iterator[Any]:
    name = source_name(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
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
        except OSError as exc:  # a name too long, no permission, a file gone while read
            raise InputError.single(f"cannot read the file ({exc.strerror or exc})",
                                    f"check the path of the {what} file", file=name) from None
        return
    if hasattr(source, "read"):
        yield from _stream(source, name, required, known, what, limits, fields)
        return
    if isinstance(source, Mapping | str | bytes):
        raise InputError.single(
            f"a {what} is an iterable of rows, not a single {type(source).__name__}",
            "pass a path, an open file, or a list of dicts")
    yield from _objects(source, limits, keep)


def _stream(handle: Any, name: str, required: tuple[str, ...], known: tuple[str, ...],
            what: str, limits: ReadLimits, fields: bool = False) -> Iterator[Any]:
    # Streamed, never read whole: memory stays at a buffer and one line, whatever comes.
    buffered = io.BufferedReader(_ByteStream(handle, name, what, limits.max_bytes), 1 << 16)
    head = buffered.peek(1 << 16).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{" or (not head and name.lower().endswith((".jsonl", ".ndjson", ".json"))):
        yield from _jsonl_lines(buffered, name, limits)
    else:
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape",
                                newline="")
        yield from _csv_rows(text, name, required, known, what, limits, check=True,
                             capped=True, as_fields=fields)


class _ByteStream(io.RawIOBase):
    """An open file's data as bytes (text is encoded as UTF-8), refused past ``limit`` bytes."""

    def __init__(self, handle: Any, name: str, what: str, limit: int) -> None:
        super().__init__()
        self.handle, self.name, self.what, self.limit = handle, name, what, limit
        self.total = 0
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.pending
        if not data:
            try:
                chunk = self.handle.read(len(buffer))
            except UnicodeDecodeError as exc:
                raise InputError.single(
                    f"the {self.what} is not UTF-8 (byte 0x{exc.object[exc.start]:02x}: "
                    f"{exc.reason})", "save it as UTF-8, or pass the file opened in binary "
                    "mode ('rb') to have each bad row reported", file=self.name) from None
            if not chunk:
                return 0
            data = chunk.encode("utf-8", "surrogateescape") if isinstance(chunk, str) \
                else bytes(chunk)
        size = min(len(buffer), len(data))
        buffer[:size] = data[:size]
        self.pending = data[size:]
        self.total += size
        if self.total > self.limit:
            raise LimitExceededError.single(
                f"the input is over the limit of {self.limit:,} bytes",
                "split it or raise ReadLimits.max_bytes", file=self.name)
        return size


def line_cap(limits: ReadLimits) -> int:
    """The longest line read: 16 fields at the limit (a longer one is a bad row, never read whole)."""
    return 16 * limits.max_field_bytes


class _LineTooLong(Exception):
    def __init__(self, length: int) -> None:
        self.length = length


_ENDS = ("\n", "\r", b"\n", b"\r")


class _Lines:
    """The lines of a text or binary file, none longer than ``cap``; ``line_num`` counts them.

    A longer line is skipped to its end in ``cap``-sized pieces and raises
    :class:`_LineTooLong`, so a gigabyte on one line costs one buffer and one
    rejected row, not the memory of the process.
    """

    __slots__ = ("cap", "line_num", "readline")

    def __init__(self, handle: Any, cap: int) -> None:
        self.readline = handle.readline
        self.cap = cap
        self.line_num = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> Any:
        line = self.readline(self.cap)
        if not line:
            raise StopIteration
        self.line_num += 1
        if len(line) >= self.cap and line[-1:] not in _ENDS:
            length = len(line)
            while True:
                more = self.readline(self.cap)
                length += len(more)
                if len(more) < self.cap or more[-1:] in _ENDS:
                    raise _LineTooLong(length)
        return line


class _LongLineAhead(Exception):
    """A file read by :func:`_file_lines` has a line of ``limit`` characters or more."""


_BLOCK = 1 << 16  # bytes read at a time by _file_lines (its lines stay in the CPU caches)
#: Line ends of str.splitlines that files (and the csv module) do not take as line ends.
_OTHER_ENDS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _file_lines(path: Path, limit: int, errors: str) -> Generator[Iterable[str], None, None]:
    """The lines of a file, as ``open(path, encoding="utf-8-sig", newline="")`` gives them,
    in blocks (lists of lines): so the csv module takes each line without a Python step.

    No line of ``limit`` characters or more is given, nor held whole: reading
    stops with :class:`_LongLineAhead` within its first ``limit`` characters
    (the caller reads the file again with capped lines). The file is read at
    most ``limit`` bytes at a time, so only the line that runs on from one read
    to the next (or to the end) can be that long, and that one is checked; the
    check is made on the data as it is read, so it holds for a file that
    changes while it is read. A block with a character that ``str.splitlines``
    takes as a line end and files do not (form feed, ...) is given as a
    :class:`io.StringIO`, which splits as files do.
    """
    decode = codecs.getincrementaldecoder("utf-8-sig")(errors).decode
    size = min(_BLOCK, limit)
    carry = ""  # the line begun and not yet ended (no line end in it but a last CR)
    with open(path, "rb", buffering=0) as raw:
        while True:
            data = raw.read(size)
            final = not data
            text = decode(data, final)
            if carry:
                text = carry + text
            if final:
                cut = len(text)
            else:  # up to the last line end, but a last CR may be the start of a CRLF
                stop = len(text) - 1 if text.endswith("\r") else len(text)
                cut = max(text.rfind("\n", 0, stop), text.rfind("\r", 0, stop)) + 1
            carry = text[cut:] if cut < len(text) else ""
            if cut:
                chunk = text[:cut] if carry else text
                # Its first line may have begun in an earlier read: the only one to check.
                if (len(chunk) >= limit and chunk.find("\n", 0, limit) < 0
                        and chunk.find("\r", 0, limit) < 0):
                    raise _LongLineAhead
                for other in _OTHER_ENDS:
                    if other in chunk:
                        yield io.StringIO(chunk, newline="")
                        break
                else:
                    yield chunk.splitlines(True)
            if len(carry) >= limit:
                raise _LongLineAhead
            if final:
                return


def _guard_limit(limits: ReadLimits) -> int:
    """The limit of :func:`_file_lines` for these limits: half the line cap, so that a line
    it gives is one :class:`_Lines` gives whole too (0: always read capped lines)."""
    cap = line_cap(limits)
    return cap // 2 if cap >= 64 else 0


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
        by_case = {c.lower(): c for c in unknown_cols}
        hints = [f"{col!r}" + (f" (did you mean {by_case[col]!r}? names are lower case)"
                               if col in by_case else did_you_mean(col, unknown_cols))
                 for col in missing]
        raise InputError.single(
            f"the {what} has no column {', '.join(hints)}",
            f"add the column or rename it; the {what} needs {', '.join(required)}",
            file=name, line=1)
    dupes = {h for h in cleaned if cleaned.count(h) > 1 and h}
    if dupes:
        raise InputError.single(
            f"the header names {', '.join(sorted(dupes))} twice", "keep one column of each name",
            file=name, line=1)
    return cleaned


def _csv_file(path: Path, name: str, required: tuple[str, ...], known: tuple[str, ...],
              what: str, limits: ReadLimits, fields: bool = False) -> Iterator[Any]:
    # The fast way first: strict decoding, whole lines read in blocks (_file_lines). A byte
    # that is not UTF-8 restarts it with a check of each row for such bytes; a long line
    # restarts it with capped lines (_Lines). A restart skips the rows already given, so
    # each of the at most three passes gives the rows the careful way would give, in order.
    check, guard = False, _guard_limit(limits)
    done, header_sent = 0, False
    while True:
        errors = "surrogateescape" if check else "strict"
        try:
            if guard:
                blocks = _file_lines(path, guard, errors)
                try:
                    yield from _csv_rows(chain.from_iterable(blocks), name, required, known,
                                         what, limits, check=check, capped=False, skip=done,
                                         as_fields=fields, header_sent=header_sent)
                finally:
                    blocks.close()
            else:
                with open(path, encoding="utf-8-sig", errors=errors, newline="",
                          buffering=1 << 20) as handle:
                    yield from _csv_rows(handle, name, required, known, what, limits,
                                         check=check, capped=True, skip=done, as_fields=fields,
                                         header_sent=header_sent)
            return
        except _RestartNeeded as restart:
            done, header_sent = restart.rows_done, restart.header_sent
            if restart.long_line:
                guard = 0
            else:
                check = True


class _RestartNeeded(Exception):
    def __init__(self, rows_done: int, header_sent: bool, *, long_line: bool = False) -> None:
        self.rows_done = rows_done
        self.header_sent = header_sent  # False when the restart came before the header was out
        self.long_line = long_line  # the guard stopped a line (else: a byte is not UTF-8)


def _has_surrogates(fields: list[str]) -> bool:
    """Whether a field holds a byte that was not UTF-8 (decoded as a lone surrogate)."""
    text = "".join(fields)  # a surrogate stays one, joined or not: UTF-8 refuses them all
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_BATCH = 64  # rows per list given by _csv_rows and _jsonl_lines: few enough to die young


@dataclass(frozen=True, slots=True)
class FieldRows:
    """Rows of a CSV source, one per line from ``line`` on, each its list of fields in header
    order (as many as the header has): what ``read_rows(fields=True, batched=True)`` gives
    for a run of ordinary rows."""

    line: int
    rows: list[list[str]]


def _line_ends(fields: list[str]) -> int:
    """The line ends inside a row's fields: a row spans one line more than that.

    A line end inside a row is always inside a quoted field, which keeps it as it
    was (LF, CR or CRLF), since the file is read with ``newline=""``.
    """
    ends = 0
    for field in fields:
        if "\n" in field or "\r" in field:
            ends += field.count("\n") + field.count("\r") - field.count("\r\n")
    return ends


def _csv_rows(handle: Any, name: str, required: tuple[str, ...], known: tuple[str, ...],
              what: str, limits: ReadLimits, *, check: bool, capped: bool = True, skip: int = 0,
              as_fields: bool = False, header_sent: bool = False) -> Iterator[Any]:
    """A :class:`Header` (``as_fields``, unless ``header_sent``), then the rows in lists.

    A list holds rows as ``(line, fields or record)`` and :class:`BadRow`; with
    ``as_fields`` a run of ordinary rows may come as :class:`FieldRows` instead.
    ``capped``: ``handle`` is a text file whose lines are read through
    :class:`_Lines`; else it is an iterable of lines none of which is as long
    as half the cap (:func:`_file_lines`).
    ``skip``: leave out the first ``skip`` rows (already given before a restart).
    """
    csv.field_size_limit(limits.max_field_bytes)
    # Lines are capped (a huge one is never held whole); strict quoting, so that a quote
    # left open is an error at the end of the file rather than a field that swallows it.
    lines: Any = _Lines(handle, line_cap(limits)) if capped else handle
    reader = csv.reader(lines, strict=True)
    counter: Any = lines if capped else reader  # its line_num: the lines taken so far
    done = 0
    batch: list[Any] = []
    try:
        try:
            header = next(reader)
            while not header or (len(header) == 1 and not header[0].strip()):
                header = next(reader)  # blank lines before the header are not a header
        except StopIteration:
            raise InputError.single(f"the {what} file is empty", "add a header row",
                                    file=name) from None
        except (csv.Error, _LineTooLong) as exc:
            raise InputError.single("cannot read the header: "
                                    f"{_csv_problem(exc, limits, 1, counter.line_num)}",
                                    "fix the header row", file=name, line=1) from None
        if check and _has_surrogates(header):
            raise InputError.single("the header is not UTF-8", "save the file as UTF-8",
                                    file=name, line=1)
        columns = _check_header(header, name, required, known, what)
        width = len(columns)
        if as_fields and not header_sent:
            yield Header(tuple(columns))
            header_sent = True
        max_rows = limits.max_rows

        def careful(fields: list[str], line: int, last_line: int) -> Any:
            """One row the careful way: None (blank, or done before), a BadRow or the row."""
            nonlocal done
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                return None  # a blank line is not a row
            done += 1
            if done <= skip:
                return None
            if done > max_rows:
                raise LimitExceededError.single(
                    f"more than {limits.max_rows:,} rows", "split the file or raise "
                    "ReadLimits.max_rows", file=name, line=line)
            if check and _has_surrogates(fields):
                return BadRow(line, "the row holds bytes that are not UTF-8 (Latin-1?); "
                              "save the file as UTF-8")
            if len(fields) != width:
                span = (f" (the row runs from line {line} to line {last_line}: a quote "
                        "left open?)" if last_line > line else "")
                return BadRow(line, f"the row has {len(fields)} fields but the header has "
                              f"{width}{span}")
            return line, fields if as_fields else dict(zip(columns, fields, strict=True))

        def unsplit(exc: Exception, line: int, last_line: int) -> BadRow | None:
            """The row the csv module could not split (None: done before)."""
            nonlocal done
            done += 1
            if done <= skip:
                return None
            return BadRow(line, f"cannot split the row into fields: "
                          f"{_csv_problem(exc, limits, line, last_line)}")

        # The common row (right width, not blank, nothing to skip or check) takes the
        # first branch; everything else the careful way.
        fast = width > 1 and not check
        add = batch.append
        if fast and not capped:
            # Whole lines (the guard keeps them short): rows are taken from the csv module
            # _BATCH at a time without a Python step per row, and a run of ordinary rows
            # (as many rows as lines, each of the header's width) is given as it is.
            while True:
                rows: list[list[str]] = []
                first = reader.line_num
                error: Exception | None = None
                try:
                    rows.extend(islice(reader, _BATCH))  # keeps the rows before an error
                except csv.Error as exc:
                    error = exc
                count = len(rows)
                if not count and error is None:
                    break
                last = reader.line_num
                if (error is None and last - first == count and skip <= done
                        and done + count <= max_rows
                        and list(map(len, rows)).count(width) == count):
                    done += count
                    yield (FieldRows(first + 1, rows) if as_fields else
                           [(line, dict(zip(columns, fields, strict=True)))
                            for line, fields in enumerate(rows, first + 1)])
                    continue
                # A blank row, a row of another width or over several lines, a limit
                # reached, rows done before a restart: each row the careful way, its
                # lines counted from the line ends it holds.
                last_line = first
                try:
                    for fields in rows:
                        line = last_line + 1
                        last_line = line + _line_ends(fields)
                        item = careful(fields, line, last_line)
                        if item is not None:
                            add(item)
                except LimitExceededError:
                    if batch:
                        yield batch
                    raise
                if error is not None:
                    item = unsplit(error, last_line + 1, last)
                    if item is not None:
                        add(item)
                if batch:
                    yield batch
                    batch = []
                    add = batch.append
            return
        last_line = counter.line_num
        while True:
            try:
                for fields in reader:
                    line = last_line + 1
                    last_line = counter.line_num
                    if (len(fields) == width and skip <= done < max_rows and width > 1 and (
                            not check or not _has_surrogates(fields))):
                        done += 1
                        add((line, fields) if as_fields
                            else (line, dict(zip(columns, fields, strict=True))))
                    else:
                        try:
                            item = careful(fields, line, last_line)
                        except LimitExceededError:
                            if batch:
                                yield batch
                            raise
                        if item is not None:
                            add(item)
                    if len(batch) >= _BATCH:
                        yield batch
                        batch = []
                        add = batch.append
                break
            except (csv.Error, _LineTooLong) as exc:
                line = last_line + 1
                last_line = counter.line_num
                item = unsplit(exc, line, last_line)
                if item is not None:
                    add(item)
        if batch:
            yield batch
    except UnicodeDecodeError:
        if check:
            raise
        if batch:  # the rows read before it are good: give them, and skip them after
            yield batch
        # Rows given: those of this pass, or of the one before if this one stopped sooner.
        raise _RestartNeeded(max(done, skip), header_sent) from None
    except _LongLineAhead:
        if batch:
            yield batch
        raise _RestartNeeded(max(done, skip), header_sent, long_line=True) from None


def _csv_problem(exc: Exception, limits: ReadLimits, line: int = 1, last: int = 1) -> str:
    """Why the csv module could not split a row, in a user's words (and which lines it took)."""
    span = f" (the row runs from line {line} to line {last})" if last > line else ""
    if isinstance(exc, _LineTooLong):
        return (f"line {last} is {exc.length:,} characters long, over the limit of "
                f"{line_cap(limits):,} (16 x ReadLimits.max_field_bytes){span}")
    text = str(exc)
    if "field larger than field limit" in text:
        return (f"a field is longer than {limits.max_field_bytes:,} characters "
                f"(ReadLimits.max_field_bytes){span}; a quote left open?")
    if "unexpected end of data" in text:
        return (f"a quote is left open: the row runs from line {line} to the end of the file "
                f'(line {last}); close it, or double a quote that is part of the text ("")')
    if "expected after" in text:
        return (f"{text}{span}: a quote inside a field must be doubled (\"\"), or the field "
                "quoted as a whole")
    return f"{text}{span}"


def _jsonl_file(path: Path, name: str, limits: ReadLimits) -> Iterator[list[Row]]:
    with open(path, "rb") as handle:
        yield from _jsonl_lines(handle, name, limits)


def _jsonl_lines(handle: IO[bytes], name: str, limits: ReadLimits) -> Iterator[list[Row]]:
    """The rows of a JSON Lines file, in lists (as :func:`_csv_rows` gives them)."""
    count = 0
    cap = line_cap(limits)
    lines = iter(functools.partial(handle.readline, cap), b"")
    batch: list[Row] = []
    add = batch.append
    for number, raw in enumerate(lines, start=1):
        too_long = 0
        if len(raw) >= cap and raw[-1:] != b"\n":  # skip the rest of it, never held whole
            too_long = len(raw)
            for more in lines:
                too_long += len(more)
                if len(more) < cap or more[-1:] == b"\n":
                    break
            raw = b"-"
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw[:1] != b"{" and not raw.strip():
            continue
        count += 1
        if count > limits.max_rows:
            if batch:
                yield batch
            raise LimitExceededError.single(
                f"more than {limits.max_rows:,} rows", "split the file or raise "
                "ReadLimits.max_rows", file=name, line=number)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
            add = batch.append
        if too_long:
            add(BadRow(number, f"the line is {too_long:,} bytes long, over the limit of "
                       f"{cap:,} (16 x ReadLimits.max_field_bytes)"))
            continue
        try:
            record = _json_decode(raw.decode("utf-8"))
            if type(record) is dict and raw.count(b'":') + raw.count(b'" ') > len(record):
                # More '":' than keys: nested objects, a '":' inside a text, or a key
                # given twice, which the plain parse would have hidden (last one wins).
                _JSON_PAIRS.decode(raw.decode("utf-8"))
        except UnicodeDecodeError:
            add(BadRow(number, "the line holds bytes that are not UTF-8; save it as UTF-8"))
            continue
        except (ValueError, RecursionError) as exc:  # ValueError: numbers of 4300+ digits too
            add(BadRow(number, f"not a JSON object: {shorten(str(exc), 200)}"))
            continue
        if not isinstance(record, dict):
            add(BadRow(number, f"a line must be a JSON object, not {type(record).__name__}"))
            continue
        add((number, record))
    if batch:
        yield batch


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is an error, not last-one-wins."""
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {shorten(key)!r} is given twice; keep one")
            seen.add(key)
    return record


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value; write a number or a string")


_JSON = json.JSONDecoder(parse_constant=_json_constant)
_JSON_PAIRS = json.JSONDecoder(parse_constant=_json_constant, object_pairs_hook=_json_object)
_scan_once: Any = _JSON.scan_once  # type: ignore[attr-defined]  # set in JSONDecoder.__init__


def _json_decode(text: str) -> Any:
    """``_JSON.decode(text)``, without its Python steps for a line that is one object."""
    if text[:1] == "{":
        try:
            value, end = _scan_once(text, 0)
        except (StopIteration, ValueError):
            pass  # decode says what is wrong
        else:
            if end == len(text) or not text[end:].strip(" \t\n\r"):  # JSON's white space
                return value
    return _JSON.decode(text)


def _objects(source: Iterable[Any], limits: ReadLimits, keep: tuple[type, ...] = ()
             ) -> Iterator[Row]:
    """Python rows: mappings as they are; objects of a ``keep`` type (already-read rows, such
    as events) unchanged; other model objects as their records."""
    for count, item in enumerate(source, start=1):
        if count > limits.max_rows:
            raise LimitExceededError.single(
                f"more than {limits.max_rows:,} rows", "raise ReadLimits.max_rows")
        if isinstance(item, Mapping) or (keep and isinstance(item, keep)):
            yield None, item  # type: ignore[misc]  # a kept object is the reader's own row type
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
