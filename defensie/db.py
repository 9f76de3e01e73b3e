"""Database helpers the apps share."""

from django.db import connection as default_connection
from django.db.backends.postgresql.base import ServerBindingCursor


class PreparingCursor(ServerBindingCursor):
    """Binds parameters on the server and has each statement prepared there, once per connection."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


def prepared_cursor(connection=default_connection):
    """A cursor whose statements the database parses and plans once per connection and then only runs, for the
    busiest statements written out by hand: planning the transition's lock or a user's permissions cost the
    database four times what running them did. Django's own cursors bind parameters in the client, which leaves
    nothing to prepare. The cursor is wrapped as `connection.cursor()` wraps its own, so its queries are counted,
    logged and their errors translated like any other. Other databases get an ordinary cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(PreparingCursor(connection.connection))
