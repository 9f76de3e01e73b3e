"""Writing rows without the ORM building a statement per row, for the services' heaviest writes: registering in
bulk, and the transition."""

from __future__ import annotations

from django.db import connections, models, router

# Rows per INSERT where COPY is not available: large enough to be fast, small enough for any driver's limits.
BULK_BATCH = 2000


def bulk_insert(model: type[models.Model], objs: list[models.Model], *, set_pks: bool = True) -> None:
    """Save the unsaved `objs` and set their primary keys, as `bulk_create` does. On PostgreSQL with one COPY
    into ids taken from the table's sequence in one query: compiling the INSERT statements of 100,000 objects
    cost Django several times what the database needed to store them. Without `set_pks` the table gives the ids
    and the objects do not learn them, which spares the query that takes them (one `nextval` per row)."""
    # The connection itself, not the `django.db.connection` proxy: a proxy lookup per value cost more than the
    # value's conversion.
    connection = connections[router.db_for_write(model)]
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.using(connection.alias).bulk_create(objs, batch_size=BULK_BATCH)
        return
    meta = model._meta
    fields = [(field, _converted(field)) for field in meta.concrete_fields if set_pks or not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field, _convert in fields)
    with connection.cursor() as cursor:
        if set_pks:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
        with cursor.connection.cursor().copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                # pre_save fills auto_now(_add) timestamps, exactly as an INSERT through the ORM does.
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(obj, True), connection)
                        if convert
                        else getattr(obj, field.attname)
                        for field, convert in fields
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _converted(field: models.Field) -> bool:
    """Whether a value goes through the field's own conversion. psycopg writes strings, numbers, booleans,
    dates and foreign keys exactly as that conversion would (which costs more than the COPY itself); JSON,
    addresses, timestamps (a naive one is made aware) and auto_now(_add) dates are converted."""
    if isinstance(field, models.DateField):
        return isinstance(field, models.DateTimeField) or field.auto_now or field.auto_now_add
    return not isinstance(
        field, (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
    )


def prepared_values(obj: models.Model, fields: list[models.Field], connection, *, add: bool) -> list:
    """The values of `fields` of `obj` as a save would send them (auto_now timestamps filled in), for a statement
    written out by hand."""
    return [field.get_db_prep_save(field.pre_save(obj, add), connection) for field in fields]
