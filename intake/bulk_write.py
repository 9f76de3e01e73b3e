"""Writing rows without the ORM building a statement per row, for the services' heaviest writes: registering in
bulk, and the transition."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connections, models, router
from django.db.models import Q, Value

from defensie.db import prepared_cursor

# Rows per INSERT where COPY is not available: large enough to be fast, small enough for any driver's limits.
BULK_BATCH = 2000


def bulk_insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Save the unsaved `objs`, which do not learn their ids (report rows, nothing refers to them). On PostgreSQL
    with one COPY: compiling the INSERT statements of 100,000 objects cost Django several times what the
    database needed to store them."""
    # The connection itself, not the `django.db.connection` proxy: a proxy lookup per value cost more than the
    # value's conversion.
    connection = connections[router.db_for_write(model)]
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.using(connection.alias).bulk_create(objs, batch_size=BULK_BATCH)
        return
    meta = model._meta
    fields = [(field, _converted(field)) for field in meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field, _convert in fields)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row(_saved_values(obj, fields, connection))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_streamed(
    model: type[models.Model],
    objs: Iterable[models.Model],
    *,
    count: int,
    then: Callable[[list[int]], None] | None = None,
) -> None:
    """Save the unsaved `objs`, at most `count`, as the iterable produces them, and set their primary keys; after
    each chunk `then(ids)` writes what follows from its rows. On PostgreSQL the chunks are sent in pipeline mode
    and nothing waits for the database until the end: it stores a chunk, and checks its constraints, while the
    caller builds the next, so both cores work. Built first and written after, an import had each side wait
    for the other (the database a third of the time), and the foreign keys were checked at the commit, after
    everything else."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        for chunk in _chunks(objs):
            model._base_manager.using(connection.alias).bulk_create(chunk)
            if then:
                then([obj.pk for obj in chunk])
        return
    fields = [(field, _converted(field)) for field in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field, _convert in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # A chunk's rows as one JSON document, which the database reads into the table's own row type: psycopg's
    # arrays (a column each) took Python three times as long to write as the standard library's JSON encoder.
    insert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s::json)"
    ids = iter(_reserved_ids(connection, model, count))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.wrap_database_errors, connection.connection.pipeline():
        for chunk in _chunks(objs):
            for obj in chunk:
                obj.pk = next(ids)
                obj._state.adding, obj._state.db = False, connection.alias
            with prepared_cursor(connection) as cursor:
                cursor.execute(insert, [json.dumps(_rows(fields, chunk, connection), default=_json_value)])
            if then:
                then([obj.pk for obj in chunk])
    with connection.cursor() as cursor:
        # Back to Django's default, in which a transaction's foreign keys are checked at its commit.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _chunks(objs: Iterable[models.Model]) -> Iterator[list[models.Model]]:
    objs = iter(objs)
    while chunk := list(islice(objs, BULK_BATCH)):
        yield chunk


def _rows(fields: list[tuple[models.Field, bool]], objs: list[models.Model], connection) -> list[dict[str, Any]]:
    """The rows of `objs` for a JSON document. Their auto_now(_add) timestamps are one instant, taken once per
    chunk as if its rows were saved together: taken per row they were more than half the work of building a row."""
    stamped = {}
    for field, _convert in fields:
        if _stamped(field):
            now = field.pre_save(objs[0], True)
            for obj in objs:
                setattr(obj, field.attname, now)
            stamped[field.column] = _json_value(field.get_db_prep_save(now, connection))
    fields = [(field, convert) for field, convert in fields if field.column not in stamped]
    columns = [field.column for field, _convert in fields]
    return [{**dict(zip(columns, _saved_values(obj, fields, connection), strict=True)), **stamped} for obj in objs]


def _saved_values(obj: models.Model, fields: list[tuple[models.Field, bool]], connection) -> list:
    """The values of `fields` of `obj` (with whether each is `_converted`) as a save sends them: pre_save fills
    auto_now(_add) timestamps, exactly as an INSERT through the ORM does."""
    return [
        field.get_db_prep_save(field.pre_save(obj, True), connection) if convert else getattr(obj, field.attname)
        for field, convert in fields
    ]


def _json_value(value: Any) -> str:
    if isinstance(value, datetime.date):  # and datetime.datetime
        return value.isoformat()
    raise TypeError(f"No JSON for {type(value).__name__} in a bulk insert")


def _reserved_ids(connection, model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's sequence, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert_per_row(
    model: type[models.Model], source: type[models.Model], ids: list[int], values: dict[str, Any]
) -> None:
    """Insert a row into `model` for each row of `source` with one of the `ids`, computed by the database:
    `values` maps `model`'s fields (by attname) to an expression on the `source` row or to one value for all
    rows. For rows that follow from rows just written (a registration's first event, its audit row): building,
    converting and sending each from Python cost more than writing the rows it follows from."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in values]
    selected = [
        value if hasattr(value, "resolve_expression") else Value(value, output_field=field)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # The ids within what the database accepts as parameters in a statement (SQLite's 999), if it has a limit.
    limit = connection.features.max_query_params
    per_statement = limit - len(values) if limit else max(len(ids), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), per_statement):
            chunk = ids[start : start + per_statement]
            rows = source._base_manager.using(connection.alias).filter(_among(chunk)).values_list(*selected)
            sql, params = rows.query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _among(ids: list[int]) -> Q:
    """The rows with one of `ids`, as a range when the ids are one (as a chunk of ids from a sequence usually
    is): compiled in an instant, where Django took 10 ms to compile a list of 2,000."""
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids) == len(set(ids)):
        return Q(pk__range=(low, high))
    return Q(pk__in=ids)


def _stamped(field: models.Field) -> bool:
    """Whether a save sets the field to the time of saving (auto_now or, on insert, auto_now_add)."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _converted(field: models.Field) -> bool:
    """Whether a value goes through the field's own conversion. psycopg writes strings, numbers, booleans,
    dates and foreign keys exactly as that conversion would (which costs more than the COPY itself); JSON,
    addresses, timestamps (a naive one is made aware) and auto_now(_add) dates are converted."""
    if isinstance(field, models.DateField):
        return isinstance(field, models.DateTimeField) or _stamped(field)
    return not isinstance(
        field,
        (
            models.CharField,
            models.TextField,
            models.IntegerField,
            models.FloatField,
            models.BooleanField,
            models.ForeignKey,
        ),
    )


def prepared_values(obj: models.Model, fields: list[models.Field], connection, *, add: bool) -> list:
    """The values of `fields` of `obj` as a save would send them (auto_now timestamps filled in), for a statement
    written out by hand."""
    return [field.get_db_prep_save(field.pre_save(obj, add), connection) for field in fields]
