"""A set of event ids whose memory grows with the runs of numbered ids, not with the ids.

The engine must know every id it has accepted: ids are unique, and ``reply_to``
must name an earlier event. A plain ``set`` of a million ids costs about 90
bytes an id, which makes a log in time order the one thing in a check that
grows with the events rather than the people.

Real logs number their events: a database key (``81734``), or a prefix and a
sequence (``e0000123``, ``msg-2025-000041``). :class:`IdSet` splits such an id
into its text head, the width of its number and the number, and keeps, per head
and width, the numbers as sorted runs of consecutive values. A log whose ids
count up costs a few runs, whatever its length. Ids without a trailing number
(UUIDs, names) are kept as they are, in a plain set. The set is exact either
way: no id is ever taken for another (``e01`` and ``e1`` have different widths,
so they are different keys).

Until it holds :data:`PLAIN` ids it is a plain ``set`` (a school's year: a few
megabytes at most, and a set's lookups are the cheapest there are); at that
size it moves every id into the runs, once, and keeps them there.
"""

from __future__ import annotations

from bisect import bisect_right

_DIGITS = "0123456789"
_WIDEST = 18  # numbers of more digits are kept as text (still exactly)
PLAIN = 1 << 16
"""How many ids an :class:`IdSet` holds as a plain set before it keeps runs."""


class _Runs:
    """Integers as sorted, disjoint runs ``[starts[i], ends[i]]`` (inclusive)."""

    __slots__ = ("ends", "starts")

    def __init__(self, first: int) -> None:
        self.starts = [first]
        self.ends = [first]

    def __contains__(self, n: int) -> bool:
        i = bisect_right(self.starts, n) - 1
        return i >= 0 and self.ends[i] >= n

    def add(self, n: int) -> bool:
        """Add ``n``; False when it was already there."""
        starts, ends = self.starts, self.ends
        last = ends[-1]
        if n > last:  # the common case: ids count up
            if n == last + 1:
                ends[-1] = n
            else:
                starts.append(n)
                ends.append(n)
            return True
        i = bisect_right(starts, n) - 1
        if i >= 0 and ends[i] >= n:
            return False
        joins_left = i >= 0 and ends[i] == n - 1
        joins_right = i + 1 < len(starts) and starts[i + 1] == n + 1
        if joins_left and joins_right:
            ends[i] = ends[i + 1]
            del starts[i + 1], ends[i + 1]
        elif joins_left:
            ends[i] = n
        elif joins_right:
            starts[i + 1] = n
        else:
            starts.insert(i + 1, n)
            ends.insert(i + 1, n)
        return True

    def __len__(self) -> int:
        return sum(e - s + 1 for s, e in zip(self.starts, self.ends, strict=True))


class IdSet:
    """An exact set of ids (text), compact for numbered ids. See the module docstring."""

    __slots__ = ("_ends", "_head", "_limit", "_other", "_plain", "_runs", "_width")

    def __init__(self, plain: int = PLAIN) -> None:
        """``plain``: how many ids to hold as a plain set before moving to runs."""
        self._limit = plain
        self._plain: set[str] | None = set()
        self._runs: dict[tuple[str, int], _Runs] = {}
        self._other: set[str] = set()
        # The runs of the last id's head and width, for the next id, which in a log
        # counting up has the same ones and extends the last run.
        self._head, self._width, self._ends = "", 0, [-2]

    def add(self, ident: str) -> bool:
        """Add ``ident``; False when it was already there."""
        plain = self._plain
        if plain is not None:
            if ident in plain:
                return False
            plain.add(ident)
            if len(plain) >= self._limit:
                self._compact()
            return True
        return self._add(ident)

    def room(self) -> tuple[set[str], int]:
        """For a hot loop: the plain set, and how many ids it may take directly.

        While the set is plain, a caller may test ``ident in plain`` and, for at
        most ``room`` new ids, ``plain.add(ident)`` itself, saving a call per id;
        after that (and once the set keeps runs: ``room`` is then 0) it must use
        :meth:`add` and ``in`` on this object.
        """
        if self._plain is None:
            return set(), 0
        return self._plain, max(0, self._limit - 1 - len(self._plain))

    def _compact(self) -> None:
        """Move the plain set's ids into runs (in order, so that each extends a run)."""
        plain, self._plain = self._plain or set(), None
        for ident in sorted(plain, key=_order):
            self._add(ident)

    def _add(self, ident: str) -> bool:
        head = ident.rstrip(_DIGITS)
        width = len(ident) - len(head)
        if not 0 < width <= _WIDEST:
            if ident in self._other:
                return False
            self._other.add(ident)
            return True
        n = int(ident[len(head):])
        if width == self._width and head == self._head:
            ends = self._ends
            if n == ends[-1] + 1:
                ends[-1] = n
                return True
        runs = self._runs.get((head, width))
        if runs is None:
            runs = self._runs[(head, width)] = _Runs(n)
            added = True
        else:
            added = runs.add(n)
        self._head, self._width, self._ends = head, width, runs.ends
        return added

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str):
            return False
        plain = self._plain
        if plain is not None:
            return ident in plain
        head = ident.rstrip(_DIGITS)
        width = len(ident) - len(head)
        if not 0 < width <= _WIDEST:
            return ident in self._other
        runs = self._runs.get((head, width))
        return runs is not None and int(ident[len(head):]) in runs

    def __len__(self) -> int:
        if self._plain is not None:
            return len(self._plain)
        return len(self._other) + sum(len(r) for r in self._runs.values())

    @property
    def runs(self) -> int:
        """How many runs and loose ids are held: what the memory grows with.

        While the set is plain, every id counts as one.
        """
        if self._plain is not None:
            return len(self._plain)
        return len(self._other) + sum(len(r.starts) for r in self._runs.values())


def _order(ident: str) -> tuple[str, int, int]:
    """Numbered ids by head, width and number (the rest after them, unordered)."""
    head = ident.rstrip(_DIGITS)
    width = len(ident) - len(head)
    if not 0 < width <= _WIDEST:
        return (head, 0, 0)
    return (head, width, int(ident[len(head):]))


__all__ = ["IdSet"]
