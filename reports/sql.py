"""SQL building blocks of the aggregation, for PostgreSQL and for the embedded SQLite.

`rollup` groups a source query by every combination of its dimensions (each value and "all") and by every
period granularity at once. PostgreSQL does that with GROUPING SETS and `percentile_cont`; SQLite has neither,
so there the rows are multiplied by one copy per combination and the percentiles are read from the ranked rows,
interpolating exactly like `percentile_cont`.

Only constants of the code (enum values, column names) are formatted into the SQL; values that come from
outside are passed as parameters.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import decimal
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from .choices import Granularity

PERCENTILES = {"p50": 0.5, "p80": 0.8, "p90": 0.9}
# Stands for "no days" in the kept rolled-up tables, so that a refresh can match their rows with `=` (an index
# lookup) instead of IS NOT DISTINCT FROM.
NO_DAYS = -1_000_000
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
        cursor.execute("SET enable_memoize = off")
        cursor.execute("SET enable_mergejoin = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")
            cursor.execute("RESET enable_memoize")
            cursor.execute("RESET enable_mergejoin")


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
        # date_part in double precision, not EXTRACT: since PostgreSQL 14 EXTRACT computes in numeric, which
        # made this expression most of the retention report's time.
        part = "CAST(date_part('{unit}', {date}) AS integer)".format
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
    # Set for the reports an incremental recompute refreshes: on PostgreSQL `rows()` then keeps the source rows
    # (with a `candidate_id` column) and the rolled-up groups in tables named after it, for `refresh()`.
    name: str = ""
    # A column of `source` saying how many candidates each row stands for (`aggregation.Counted`): measures are
    # then counts or sums, each row counted that many times. PostgreSQL only: on SQLite every row is one candidate.
    weight: str = ""

    def rows(self) -> list[dict]:
        if not is_postgres():
            return self._fetch(self._sqlite(), self.params)
        if not self.name:
            return self._fetch(self._postgres(), self.params)
        groups = ", ".join(self.group_columns)
        days = ", a.days" if self.percentiles else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self._source_table}, {self._groups_table}, {self._rolled_table}")
            cursor.execute(f"CREATE TABLE {self._source_table} AS {self.source}", self.params)
            cursor.execute(f"CREATE INDEX ON {self._source_table} (candidate_id)")
            cursor.execute("DROP TABLE IF EXISTS report_rolled_all")
            cursor.execute(
                "CREATE TEMPORARY TABLE report_rolled_all AS "
                f"WITH src AS (SELECT * FROM {self._source_table}), fine AS ({self._fine()}) {self._rolled(kept=True)}"
            )
            cursor.execute(
                f"CREATE TABLE {self._groups_table} AS SELECT CAST(row_number() OVER () AS integer) AS grp, {groups} "
                f"FROM (SELECT DISTINCT {groups} FROM report_rolled_all) g"
            )
            cursor.execute(f"CREATE UNIQUE INDEX ON {self._groups_table} ({groups})")
            # A refresh updates tens of thousands of rows in place: room on each page lets PostgreSQL keep the
            # new version on the same page without a new index entry (a HOT update); MERGE 1.5 -> 1.0 s. Stored
            # in the order of the index, so that a group's histogram rows share a few pages.
            cursor.execute(
                f"CREATE TABLE {self._rolled_table} WITH (fillfactor = 90) AS "
                f"SELECT g.grp{days}, {', '.join(f'a.{f}' for f in self._figures)} FROM report_rolled_all a "
                f"JOIN {self._groups_table} g ON {self._same_group('g', 'a')} ORDER BY g.grp{days}"
            )
            cursor.execute(f"CREATE INDEX ON {self._rolled_table} ({', '.join(self._kept_columns)})")
            cursor.execute("DROP TABLE report_rolled_all")
            cursor.execute(f"ANALYZE {self._groups_table}")
            cursor.execute(f"ANALYZE {self._rolled_table}")
        return self.rows_for(None)

    @property
    def group_columns(self) -> list[str]:
        """The columns that name one result row (one snapshot row)."""
        return ["period_type", "period_start", *self.dims, *self.keys]

    def refresh(self, changed: str) -> list[tuple]:
        """PostgreSQL, after `rows()` kept the tables: bring the kept groups up to date for the candidates that
        `changed` (a SELECT of candidate ids) selects; `source` must select only those candidates' rows. Their
        kept source rows are subtracted and their current ones added, at the finest grain and then per grouping
        set, which is exact because every kept figure is a count. Returns the keys (`group_columns`) of the
        groups whose figures changed."""
        groups = ", ".join(self.group_columns)
        columns = self._kept_columns
        figures = self._figures
        match = " AND ".join(f"r.{c} = d.{c}" for c in columns)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS report_current, report_delta")
            cursor.execute(f"CREATE TEMPORARY TABLE report_current AS {self.source}", self.params)
            cursor.execute("SELECT * FROM report_current LIMIT 0")
            source_columns = ", ".join(c[0] for c in cursor.description)
            # Most of a changed candidate's rows are as they were (a transition adds one stay to ten): a kept row
            # and its equal current row cancel out here, so that only the rows that really changed are rolled up
            # into every grouping set.
            signed = (
                f"SELECT SUM(sign) AS sign, {source_columns} FROM ("
                f"SELECT -1 AS sign, o.* FROM {self._source_table} o WHERE o.candidate_id = ANY(ARRAY({changed})) "
                f"UNION ALL SELECT 1 AS sign, n.* FROM report_current n) s GROUP BY {source_columns} "
                "HAVING SUM(sign) <> 0"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE report_delta AS WITH src AS ({signed}), "
                f"fine AS ({self._fine(weight='sign')}), rolled AS ({self._rolled(kept=True)}) SELECT * FROM rolled "
                f"WHERE {' OR '.join(f'{f} <> 0' for f in figures)}"
            )
            cursor.execute(f"DELETE FROM {self._source_table} WHERE candidate_id = ANY(ARRAY({changed}))")
            cursor.execute(f"INSERT INTO {self._source_table} SELECT * FROM report_current")
            cursor.execute("DROP TABLE IF EXISTS report_changed_groups")
            # Each changed group with its number, looked up once for the MERGE and `changed_rows`. A group seen for
            # the first time gets the next number; a group that loses its last row keeps its number (it has no
            # rolled-up rows, so no result row).
            looked_up = (
                f"SELECT r.grp, c.* FROM (SELECT DISTINCT {groups} FROM report_delta) c "
                f"LEFT JOIN LATERAL {self._group_lookup('c')} ON true"
            )
            cursor.execute(
                "CREATE TEMPORARY TABLE report_changed_groups AS SELECT COALESCE(grp, "
                f"(SELECT COALESCE(MAX(grp), 0) FROM {self._groups_table}) "
                "+ CAST(row_number() OVER (PARTITION BY grp IS NULL) AS integer)) AS grp, "
                f"{groups}, grp IS NULL AS is_new FROM ({looked_up}) l"
            )
            cursor.execute(
                f"INSERT INTO {self._groups_table} SELECT grp, {groups} FROM report_changed_groups WHERE is_new"
            )
            numbered = (
                f"SELECT g.grp, {', '.join(f'd.{c}' for c in [*columns[1:], *figures])} FROM report_delta d "
                f"JOIN report_changed_groups g ON {self._same_group('g', 'd')}"
            )
            cursor.execute(
                f"MERGE INTO {self._rolled_table} r USING ({numbered}) d ON {match} "
                "WHEN MATCHED AND r.source_rows + d.source_rows = 0 THEN DELETE "
                f"WHEN MATCHED THEN UPDATE SET {', '.join(f'{f} = r.{f} + d.{f}' for f in figures)} "
                f"WHEN NOT MATCHED THEN INSERT ({', '.join([*columns, *figures])}) "
                f"VALUES ({', '.join(f'd.{c}' for c in [*columns, *figures])})"
            )
            cursor.execute(f"SELECT {groups} FROM report_changed_groups")
            return cursor.fetchall()

    def delta(self) -> list[dict]:
        """Right after `refresh`, without percentiles: per changed group its key and how much each figure
        changed."""
        return self._fetch("SELECT * FROM report_delta", [])

    def rows_for(self, keys: list[tuple] | None) -> list[dict]:
        """PostgreSQL, from the kept groups: the result rows with these keys (`group_columns`), or all."""
        if keys is None:
            return self._fetch(
                f"WITH g AS (SELECT * FROM {self._groups_table}), "
                f"rolled AS (SELECT grp, {self._read_columns} FROM {self._rolled_table}) "
                f"SELECT g.*, f.* FROM ({self._final(['grp'])}) f JOIN g USING (grp)",
                [],
            )
        # A few thousand groups, each looked up by its key.
        return self._rows_of(
            f"SELECT r.* FROM {keys_table(self.group_columns, keys)} k CROSS JOIN LATERAL {self._group_lookup('k')}"
        )

    def changed_rows(self) -> list[dict]:
        """Right after `refresh`: the result rows of the groups whose figures it changed."""
        return self._rows_of(f"SELECT grp, {', '.join(self.group_columns)} FROM report_changed_groups")

    def _rows_of(self, numbered: str) -> list[dict]:
        """The result rows of the numbered groups that `numbered` selects (`_groups_table`'s columns): each
        group's rows read by one range of the index on the kept columns (for a histogram, in the order of
        `days`)."""
        rolled = f"(SELECT {self._read_columns} FROM {self._rolled_table} x WHERE x.grp = g.grp OFFSET 0) rolled"
        return self._fetch(
            f"WITH g AS ({numbered}) SELECT g.*, f.* FROM g CROSS JOIN LATERAL ({self._final([], rolled)}) f", []
        )

    @property
    def _read_columns(self) -> str:
        """What a read of result rows takes from the kept rolled-up table: the figures, and with percentiles
        `days`."""
        return ", ".join([*(["days"] if self.percentiles else []), *self._figures])

    @property
    def _kept_columns(self) -> list[str]:
        """The columns that name a row of the kept rolled-up table: the group's number (`_groups_table`), and
        with percentiles the histogram's `days`. Integers: a refresh looks up tens of thousands of rows by them,
        twice as fast as by the group's text columns, and a group's rows are read by a range of the index."""
        return ["grp", *(["days"] if self.percentiles else [])]

    def _group_lookup(self, key: str) -> str:
        """The numbered group (`_groups_table`) that the row `key` names, looked up in its index."""
        return one_lookup(f"SELECT * FROM {self._groups_table} g", self._same_group("g", key))

    def _same_group(self, a: str, b: str) -> str:
        """Rows `a` and `b` name the same group."""
        return " AND ".join(
            # Without periods period_start is null: matched as equal.
            f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}"
            if c == "period_start" and not self.periods
            else f"{a}.{c} = {b}.{c}"
            for c in self.group_columns
        )

    @property
    def _figures(self) -> list[str]:
        return [*self.measures, "source_rows", *(["n"] if self.percentiles else [])]

    @property
    def _source_table(self) -> str:
        return f"report_source_{self.name}"

    @property
    def _groups_table(self) -> str:
        return f"report_groups_{self.name}"

    @property
    def _rolled_table(self) -> str:
        return f"report_rolled_{self.name}"

    def _fetch(self, sql: str, params: list) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            # The kept groups' numbers only join a group to its figures.
            row.pop("grp", None)
            if "histogram_days" in row:
                row.update(histogram_percentiles(row.pop("histogram_days"), row.pop("histogram_counts")))
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
        fine = self._fine(weight=self.weight)
        return f"WITH src AS ({self.source}), fine AS ({fine}), rolled AS ({self._rolled()}) {self._final()}"

    def _fine(self, *, weight: str = "") -> str:
        """The source grouped at the finest grain. `weight`: a column of the source saying how many times each row
        counts (`sign`: negative to subtract, so that a difference of two sets of rows can be grouped); every
        measure must then be a count or a sum."""
        finest = next((p for p in ALL_PERIODS if p in self.periods), None)
        fine_cols = [*self.dims, *self.keys]
        if finest:
            fine_cols.append(f"{period_start(finest, 'd')} AS p_fine")
        if self.percentiles:
            fine_cols.append("days")
        fine_group = ", ".join(str(i) for i in range(1, len(fine_cols) + 1))
        partials = {**self.measures, "source_rows": "COUNT(*)"}
        if self.percentiles:
            partials["n"] = "COUNT(days)"
        if weight:
            partials = {name: _weighted(expr, weight) for name, expr in partials.items()}
        selected = [*fine_cols, *(f"{expr} AS {name}" for name, expr in partials.items())]
        return f"SELECT {', '.join(selected)} FROM src GROUP BY {fine_group}"

    def _rolled(self, *, kept: bool = False) -> str:
        """The GROUPING SETS over `fine`: one row per result row, with percentiles one per result row and `days`
        (`kept`: NO_DAYS for null)."""
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
        # Counts (every figure of the kept and percentile roll-ups; not a sum of other values, such as the
        # forecast's expected appointments) as integers: summed again as 64-bit integers instead of numeric
        # (PostgreSQL sums even a bigint into numeric) and read as ints instead of Decimals: the percentiles of a
        # day's changed lead-time groups ~1.4 -> ~0.9 s.
        counts = {name for name, expr in self.measures.items() if expr.startswith("COUNT(")} | {"source_rows", "n"}
        sums = [
            f"CAST(SUM({name}) AS integer) AS {name}" if name in counts else f"SUM({name}) AS {name}"
            for name in self._figures
        ]
        keys = [*self.keys, "days"] if self.percentiles else list(self.keys)
        histogram = [f"COALESCE(days, {NO_DAYS}) AS days" if kept else "days"] if self.percentiles else []
        grouping_sets = f"GROUPING SETS ({', '.join(sets)})"
        return (
            f"SELECT {', '.join([*group, *histogram, *sums])} "
            f"FROM (SELECT fine.*{truncated} FROM fine) f GROUP BY {', '.join([*keys, grouping_sets])}"
        )

    def _final(self, names: Sequence[str] | None = None, rolled: str = "rolled") -> str:
        """The result rows from `rolled`, one per value of `names` (default: `group_columns`). With percentiles,
        each group's histogram comes as two arrays, from which `_fetch` reads the percentiles
        (`histogram_percentiles`): window functions over the histogram rows cost PostgreSQL ~70 µs a group, most
        of the ageing report and of reading a day's changed lead-time groups."""
        if not self.percentiles:
            return f"SELECT * FROM {rolled}"
        names = self.group_columns if names is None else names
        sums = [f"CAST(SUM({name}) AS integer) AS {name}" for name in [*self.measures, "source_rows"]]
        # In any order (the same in both arrays): an ordered aggregate makes PostgreSQL sort every row of the
        # groups by their text columns first, where a hash suffices.
        histogram = [f"array_agg(COALESCE(days, {NO_DAYS})) AS histogram_days", "array_agg(n) AS histogram_counts"]
        # Without names the rows are one group's, which has none left if its last candidate left it.
        grouped = f" GROUP BY {', '.join(names)}" if names else " HAVING COUNT(*) > 0"
        return f"SELECT {', '.join([*names, *sums, *histogram])} FROM {rolled}{grouped}"

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


def _weighted(measure: str, weight: str) -> str:
    """`measure` (a count or a sum) over rows that each stand for `weight` rows."""
    if measure.startswith("COUNT("):
        counted = measure.replace("COUNT(*)", f"SUM({weight})")
        return f"COALESCE({counted.replace('COUNT(days)', f'SUM({weight}) FILTER (WHERE days IS NOT NULL)')}, 0)"
    summed = re.fullmatch(r"SUM\((.+)\)", measure)
    assert summed, f"only counts and sums can be weighted: {measure}"
    return f"SUM(({summed[1]}) * {weight})"


def one_lookup(select: str, match: str) -> str:
    """`select` restricted by `match` (its columns equal to an outer row's), as a LATERAL subquery: one index
    lookup per outer row. Joined plainly, the planner expects a join on all the columns to match one row and sorts or
    hashes the whole kept table instead (a merge join of 147,000 drop-out groups: 0.5-0.8 s for 3,200 keys);
    OFFSET 0 keeps it from turning the subquery back into that join."""
    return f"({select} WHERE {match} OFFSET 0) r"


# The keys a statement looks up (`keys_table`): a temporary table, one per connection.
KEYS = "report_keys"


def keys_table(columns: Sequence[str], keys: list[tuple]) -> str:
    """PostgreSQL: `keys` (values of `columns`, snapshot group columns) copied into a temporary table, whose name
    is returned, for the next statement to join. As array parameters, each of tens of thousands of strings was
    quoted into the statement (0.3 s of a day's incremental recompute)."""
    types = ", ".join(f"{c} {'date' if c == 'period_start' else 'text'}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {KEYS} ({types})")
        with cursor.connection.cursor().copy(f"COPY {KEYS} FROM STDIN") as copy:
            for key in keys:
                copy.write_row(key)
    return KEYS


def histogram_percentiles(days: list[int], counts: list[int]) -> dict[str, float | None]:
    """p50, p80 and p90 of the values of a histogram (`counts[i]` values equal to `days[i]`, in any order; the
    entry of the null values, NO_DAYS, counts none), interpolated in double precision exactly as percentile_cont
    does: between the values at the 0-based positions floor(p * (total - 1)) and the next."""
    # Mostly read in order from an index already, which costs the sort one comparison an entry.
    days, counts = zip(*sorted(zip(days, counts, strict=True)), strict=True)
    running = list(itertools.accumulate(counts))
    total = running[-1]
    if not total:
        return dict.fromkeys(PERCENTILES)

    def value_at(position: int) -> int:
        # The smallest value whose running count exceeds the 0-based position (an entry that counts none never does).
        return days[bisect.bisect_right(running, position)]

    percentiles = {}
    for name, p in PERCENTILES.items():
        position = p * (total - 1)
        below = math.floor(position)
        lower = value_at(below)
        upper = value_at(below + 1) if below + 1 < total else lower
        percentiles[name] = float(lower) + (position - below) * float(upper - lower)
    return percentiles


def _sqlite_percentile(p: float) -> str:
    # percentile_cont: the value at position p * (n - 1) of the sorted non-null values, interpolated between
    # the two rows around it. `cnt` is the same on every row of a group, so it may stand inside the aggregates.
    position = f"((cnt - 1) * {p})"
    lower_rank = f"CAST({position} AS INTEGER)"
    lower = f"MAX(CASE WHEN rn = {lower_rank} THEN days END)"
    upper = f"COALESCE(MAX(CASE WHEN rn = {lower_rank} + 1 THEN days END), {lower})"
    return f"({lower} + MAX({position} - {lower_rank}) * ({upper} - {lower}))"
