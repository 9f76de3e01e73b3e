"""SQL building blocks of the aggregation, for PostgreSQL and for the embedded SQLite.

`rollup` groups a source query by every combination of its dimensions (each value and "all") and by every
period granularity at once. PostgreSQL does that with GROUPING SETS and `percentile_cont`; SQLite has neither,
so there the rows are multiplied by one copy per combination and the percentiles are read from the ranked rows,
interpolating exactly like `percentile_cont`.

Only constants of the code (enum values, column names) are formatted into the SQL; values that come from
outside are passed as parameters.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from .choices import Granularity

PERCENTILES = {"p50": 0.5, "p80": 0.8, "p90": 0.9}
ALL_PERIODS = (Granularity.MONTH, Granularity.QUARTER, Granularity.YEAR)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def recompute_session():
    """Session settings for the recompute. PostgreSQL compiles every large aggregate just in time, which costs
    more than a second per query and gains nothing for queries that run once: off. The percentile histograms
    of the lead times hash and sort millions of rows, which spill to disk with a web request's work_mem: a
    batch job run one at a time may use more."""
    if not is_postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SET work_mem = '1GB'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")


def date_param() -> str:
    """A date passed as an ISO string parameter."""
    return "CAST(%s AS date)" if is_postgres() else "date(%s)"


def days_between(start: str, end: str) -> str:
    if is_postgres():
        return f"({end} - {start})"
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def add_days(date: str, days: str) -> str:
    if is_postgres():
        return f"({date} + CAST(ROUND({days}) AS integer))"
    return f"date({date}, '+' || CAST(ROUND({days}) AS INTEGER) || ' days')"


def months_between(start: str, end: str) -> str:
    """Whole months from `start` to `end`, counted the same way on both databases (a month is complete on the
    same day of the month; the month arithmetic of the two databases differs at month ends)."""
    if is_postgres():
        part = "CAST(EXTRACT({unit} FROM {date}) AS integer)".format
    else:
        positions = {"YEAR": (1, 4), "MONTH": (6, 2), "DAY": (9, 2)}
        part = lambda unit, date: f"CAST(substr({date}, {positions[unit][0]}, {positions[unit][1]}) AS INTEGER)"  # noqa: E731
    return (
        f"(({part(unit='YEAR', date=end)} * 12 + {part(unit='MONTH', date=end)})"
        f" - ({part(unit='YEAR', date=start)} * 12 + {part(unit='MONTH', date=start)})"
        f" - CASE WHEN {part(unit='DAY', date=end)} < {part(unit='DAY', date=start)} THEN 1 ELSE 0 END)"
    )


def period_start(granularity: str, date: str) -> str:
    if is_postgres():
        return f"CAST(date_trunc('{granularity}', CAST({date} AS timestamp)) AS date)"
    if granularity == Granularity.MONTH:
        return f"(substr({date}, 1, 7) || '-01')"
    if granularity == Granularity.YEAR:
        return f"(substr({date}, 1, 4) || '-01-01')"
    return (
        f"(substr({date}, 1, 5) || CASE WHEN substr({date}, 6, 2) <= '03' THEN '01' "
        f"WHEN substr({date}, 6, 2) <= '06' THEN '04' WHEN substr({date}, 6, 2) <= '09' THEN '07' "
        f"ELSE '10' END || '-01')"
    )


def as_date(value) -> datetime.date | None:
    """SQLite hands computed dates back as text."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


@dataclass
class Rollup:
    """A GROUP BY of `source` over every combination of `dims` and every granularity in `periods`.

    `source` is a SELECT with a column per dimension and key, a date column `d` when there are periods, the
    columns the `measures` (SQL aggregate expressions) refer to, and a column `days` when `percentiles` is set.
    Keys (e.g. the phase) are always grouped by. Each result row has period_type, period_start, the dimensions
    (blank for "all"), the keys, the measures and, with `percentiles`, p50, p80 and p90 of `days`.
    """

    source: str
    measures: dict[str, str]
    dims: Sequence[str] = ("track", "branch", "gender")
    keys: Sequence[str] = ()
    periods: Sequence[str] = ALL_PERIODS
    percentiles: bool = False
    params: list = field(default_factory=list)

    def rows(self) -> list[dict]:
        sql = self._postgres() if is_postgres() else self._sqlite()
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["period_start"] = as_date(row["period_start"])
            for name, value in row.items():
                # PostgreSQL sums counts into numeric; they are whole numbers.
                if isinstance(value, decimal.Decimal):
                    row[name] = int(value)
        return rows

    def _combinations(self) -> list[tuple[str, ...]]:
        # Every subset of the dimensions, from all of them down to none (the grand total).
        return [
            tuple(dim for bit, dim in enumerate(self.dims) if mask & (1 << bit)) for mask in range(2 ** len(self.dims))
        ]

    def _postgres(self) -> str:
        # Two stages: first one GROUP BY of the source at the finest grain (every dimension, the finest period,
        # and with percentiles each distinct `days`), then the GROUPING SETS over that far smaller result. The
        # measures are counts and sums, which add up; the percentiles are read from the per-days counts (a
        # histogram) exactly as percentile_cont interpolates. One pass over the source replaces a sort of it per
        # grouping set.
        finest = next((p for p in ALL_PERIODS if p in self.periods), None)
        fine_cols = [*self.dims, *self.keys]
        if finest:
            fine_cols.append(f"{period_start(finest, 'd')} AS p_fine")
        if self.percentiles:
            fine_cols.append("days")
        fine_group = ", ".join(str(i) for i in range(1, len(fine_cols) + 1))
        partials = [f"{expr} AS {name}" for name, expr in self.measures.items()]
        if self.percentiles:
            partials.append("COUNT(days) AS n")
        fine = f"SELECT {', '.join([*fine_cols, *partials])} FROM src GROUP BY {fine_group}"

        period_cols = {p: f"p_{p}" for p in self.periods}
        sets = [
            "(" + ", ".join([*([period_cols[p]] if p else []), *combo]) + ")"
            for p in (self.periods or [None])
            for combo in self._combinations()
        ]
        if self.periods:
            period_type = (
                "CASE " + " ".join(f"WHEN GROUPING({col}) = 0 THEN '{p}'" for p, col in period_cols.items()) + " END"
            )
            start = f"COALESCE({', '.join(period_cols.values())})"
        else:
            period_type, start = "''", "CAST(NULL AS date)"
        truncated = "".join(f", {period_start(p, 'p_fine')} AS {col}" for p, col in period_cols.items())
        group = [
            f"{period_type} AS period_type",
            f"{start} AS period_start",
            *(f"CASE WHEN GROUPING({dim}) = 0 THEN {dim} ELSE '' END AS {dim}" for dim in self.dims),
            *self.keys,
        ]
        sums = [f"SUM({name}) AS {name}" for name in self.measures]
        keys = [*self.keys, "days"] if self.percentiles else list(self.keys)
        histogram = ["days", "SUM(n) AS n"] if self.percentiles else []
        grouping_sets = f"GROUPING SETS ({', '.join(sets)})"
        rolled = (
            f"SELECT {', '.join([*group, *histogram, *sums])} "
            f"FROM (SELECT fine.*{truncated} FROM fine) f GROUP BY {', '.join([*keys, grouping_sets])}"
        )
        if not self.percentiles:
            return f"WITH src AS ({self.source}), fine AS ({fine}) {rolled}"
        names = ["period_type", "period_start", *self.dims, *self.keys]
        partition = ", ".join(names)
        ranked = (
            f"SELECT rolled.*, SUM(n) OVER (PARTITION BY {partition} ORDER BY days ROWS UNBOUNDED PRECEDING) AS upto, "
            f"SUM(n) OVER (PARTITION BY {partition}) AS total FROM rolled"
        )
        select = [*names, *sums, *(f"{_histogram_percentile(p)} AS {n}" for n, p in PERCENTILES.items())]
        return (
            f"WITH src AS ({self.source}), fine AS ({fine}), rolled AS ({rolled}), ranked AS ({ranked}) "
            f"SELECT {', '.join(select)} FROM ranked GROUP BY {partition}"
        )

    def _sqlite(self) -> str:
        if self.periods:
            periods = " UNION ALL ".join(f"SELECT '{p}' AS period_type" for p in self.periods)
            start = "CASE per.period_type " + " ".join(
                f"WHEN '{p}' THEN {period_start(p, 'src.d')}" for p in self.periods
            )
            period_join = f"CROSS JOIN ({periods}) per"
            period_cols = f"per.period_type, {start} END AS period_start"
        else:
            period_join, period_cols = "", "'' AS period_type, NULL AS period_start"
        masks = " UNION ALL ".join(f"SELECT {m} AS mask" for m in range(2 ** len(self.dims)))
        grouped_dims = [
            f"CASE WHEN (m.mask & {1 << bit}) != 0 THEN src.{dim} ELSE '' END AS g_{dim}"
            for bit, dim in enumerate(self.dims)
        ]
        group_cols = ["period_type", "period_start", *(f"g_{dim}" for dim in self.dims), *self.keys]
        expanded = (
            f"SELECT src.*, {', '.join([period_cols, *grouped_dims])} FROM src {period_join} CROSS JOIN ({masks}) m"
        )
        select = [
            "period_type",
            "period_start",
            *(f"g_{dim} AS {dim}" for dim in self.dims),
            *self.keys,
            *(f"{expr} AS {name}" for name, expr in self.measures.items()),
        ]
        if not self.percentiles:
            return (
                f"WITH src AS ({self.source}), x AS ({expanded}) "
                f"SELECT {', '.join(select)} FROM x GROUP BY {', '.join(group_cols)}"
            )
        partition = ", ".join(group_cols)
        ranked = (
            # Nulls sort last and are not counted, as percentile_cont ignores them.
            f"SELECT x.*, ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY days IS NULL, days) - 1 AS rn, "
            f"COUNT(days) OVER (PARTITION BY {partition}) AS cnt FROM x"
        )
        select += [f"{_sqlite_percentile(p)} AS {n}" for n, p in PERCENTILES.items()]
        return (
            f"WITH src AS ({self.source}), x AS ({expanded}), r AS ({ranked}) "
            f"SELECT {', '.join(select)} FROM r GROUP BY {', '.join(group_cols)}"
        )


def _sqlite_percentile(p: float) -> str:
    # percentile_cont: the value at position p * (n - 1) of the sorted non-null values, interpolated between
    # the two rows around it. `cnt` is the same on every row of a group, so it may stand inside the aggregates.
    position = f"((cnt - 1) * {p})"
    lower_rank = f"CAST({position} AS INTEGER)"
    lower = f"MAX(CASE WHEN rn = {lower_rank} THEN days END)"
    upper = f"COALESCE(MAX(CASE WHEN rn = {lower_rank} + 1 THEN days END), {lower})"
    return f"({lower} + MAX({position} - {lower_rank}) * ({upper} - {lower}))"


def _histogram_percentile(p: float) -> str:
    # percentile_cont over a histogram: `upto` counts the values up to and including this row's `days`, so the
    # value at 0-based position k is the smallest `days` whose `upto` exceeds k. Interpolated in double
    # precision between positions floor(p * (n - 1)) and the next, in the same order of operations.
    position = f"(CAST({p} AS double precision) * (total - 1))"
    lower = f"MIN(days) FILTER (WHERE upto > FLOOR({position}))"
    upper = f"COALESCE(MIN(days) FILTER (WHERE upto > FLOOR({position}) + 1), {lower})"
    fraction = f"MAX({position} - FLOOR({position}))"
    return f"(CAST({lower} AS double precision) + {fraction} * CAST({upper} - {lower} AS double precision))"
