"""Database routing for a PostgreSQL read replica (DATABASE_REPLICA_URL; see the README's "Beyond one machine")."""

from django.conf import settings

REPLICA = "replica"


class ReportsReplicaRouter:
    """Sends the reads of the report snapshots (dashboard, report API, exports) to the replica when one is
    configured. Everything else stays on the primary: the recompute run rows are read right after they are
    written, and a replica a moment behind would not have them yet; snapshots are replaced once a night or on
    request, so a second of replication lag only delays the new numbers by that second."""

    def db_for_read(self, model, **hints):
        if REPLICA in settings.DATABASES and _is_snapshot(model):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: relations between them are the same relations.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def _is_snapshot(model) -> bool:
    return model._meta.app_label == "reports" and (
        model.__name__.endswith("Snapshot") or model.__name__ == "ForecastParameter"
    )
