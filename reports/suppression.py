"""Small-cell protection: the one place that decides what of a report a manager or API consumer may see.

A count of 1 to 4 persons is shown as "<5". Because tables also show totals, such a cell could be recovered by
subtraction, so for every sum a reader can see (a total and its parts, or a part of it that is not shown but can
be derived) a second, complementary cell is suppressed as "x". Figures derived from counts (shares, medians)
are suppressed with them. Suppressed cells never carry their true value, so nothing downstream can leak it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

SMALL_GROUP = 5
SMALL = "<5"
COMPLEMENT = "x"


@dataclass(frozen=True)
class Cell:
    """One value of a report table as it may be shown: `value` is None when the cell is suppressed (then
    `marker` says why) or empty."""

    value: Any = None
    kind: str = "text"  # text, count, percent, days
    marker: str = ""
    url: str = ""
    css: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.marker)

    def __str__(self) -> str:
        if self.marker:
            return self.marker
        if self.value is None:
            return "-"
        if self.kind == "count":
            return number_format(self.value, 0, force_grouping=True)
        if self.kind == "percent":
            # number_format cuts decimals off; round first so that 8/9 reads 88,9%.
            return number_format(round(self.value * 100, 1), 1) + "%"
        if self.kind == "days":
            return number_format(round(self.value, 1), 1)
        return str(self.value)


def text(value: Any, *, url: str = "") -> Cell:
    return Cell(value=value, url=url)


class Protection:
    """Collects the counts of one table and the sums between them, then decides which to suppress."""

    def __init__(self):
        self._counts: dict[Hashable, int] = {}
        self._hidden: set[Hashable] = set()
        self._sums: list[tuple[Hashable, list[Hashable]]] = []
        self._marks: dict[Hashable, str] | None = None

    def count(self, key: Hashable, value: int) -> Hashable:
        self._counts[key] = value
        self._marks = None
        return key

    def value(self, key: Hashable) -> int:
        return self._counts[key]

    def derivable(self, key: Hashable, value: int) -> Hashable:
        """A count the table does not show but a reader can work out (e.g. the candidates who left a phase)."""
        self._hidden.add(key)
        return self.count(key, value)

    def sums(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """Declare that `total` equals the sum of `parts`, as a reader of the table could check."""
        self._sums.append((total, list(parts)))
        self._marks = None

    def cell(self, key: Hashable, **kwargs) -> Cell:
        marker = self.marks().get(key, "")
        return Cell(value=None if marker else self._counts[key], kind="count", marker=marker, **kwargs)

    def share(self, part: Hashable, whole: Hashable, **kwargs) -> Cell:
        """part / whole, suppressed when either is, and empty when the whole is zero."""
        marks = self.marks()
        if marks.get(whole) == SMALL:
            return Cell(kind="percent", marker=SMALL, **kwargs)
        if part in marks or whole in marks:
            return Cell(kind="percent", marker=COMPLEMENT, **kwargs)
        value = self._counts[part] / self._counts[whole] if self._counts[whole] else None
        return Cell(value=value, kind="percent", **kwargs)

    def marks(self) -> dict[Hashable, str]:
        if self._marks is None:
            self._marks = self._protect()
        return self._marks

    def _protect(self) -> dict[Hashable, str]:
        marks = {k: SMALL for k, v in self._counts.items() if k not in self._hidden and is_small(v)}
        small = set(marks) | {k for k in self._hidden if is_small(self._counts[k])}
        while (leak := self._leak(marks, small)) is not None:
            choices = self._complements(*leak, marks)
            if not choices:
                break
            # The smallest non-zero cell costs the reader least information.
            marks[min(choices, key=lambda k: (self._counts[k] == 0, self._counts[k]))] = COMPLEMENT
        return marks

    def _leak(self, marks, small):
        """Solve every sum that has one unknown, as a reader would, until a small group comes out: returns the
        sum that gives it away and which sum gave away each cell solved on the way, or None."""
        known = {k for k in self._counts if k not in marks and k not in self._hidden}
        solved_by: dict[Hashable, int] = {}
        progress = True
        while progress:
            progress = False
            for index, (total, parts) in enumerate(self._sums):
                unknown = [k for k in (total, *parts) if k not in known]
                if len(unknown) != 1:
                    continue
                if unknown[0] in small:
                    return index, solved_by
                known.add(unknown[0])
                solved_by[unknown[0]] = index
                progress = True
        return None

    def _complements(self, index, solved_by, marks, seen=frozenset()):
        # A visible non-zero part of the leaking sum; else one from a sum that solved one of its cells (often in
        # another table); else a visible zero part; else its total.
        total, parts = self._sums[index]
        shown = [k for k in parts if k not in marks and k not in self._hidden]
        if any(self._counts[k] for k in shown):
            return [k for k in shown if self._counts[k]]
        for member in (total, *parts):
            origin = solved_by.get(member)
            if origin is not None and origin not in seen:
                found = self._complements(origin, solved_by, marks, seen | {index})
                if found:
                    return found
        if shown:
            return shown
        return [total] if total not in marks and total not in self._hidden else []


def is_small(value: int) -> bool:
    return 0 < value < SMALL_GROUP


def measured(value: float | None, group_size: int, *, kind: str = "days") -> Cell:
    """A figure measured over a group of persons (a median, a share): suppressed for a small group."""
    if is_small(group_size):
        return Cell(kind=kind, marker=SMALL)
    return Cell(value=value if group_size else None, kind=kind)
