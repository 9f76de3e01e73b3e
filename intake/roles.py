"""The three roles as Django groups with model permissions. Loaded by a migration; tests whose database is
flushed between tests load them again through `load`.

The permissions say what a role may do (a manager reads, a recruiter also changes candidates); which candidates
is decided by `intake.selectors` (a recruiter only those of their own tracks).
"""

import functools
from collections import defaultdict

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from defensie.db import prepared_cursor

from .selectors import BEHEERDER_GROUP, MANAGER_GROUP, RECRUITER_GROUP

INTAKE_MODELS = [
    "candidate",
    "candidatenote",
    "statusevent",
    "instroomspoor",
    "krijgsmachtdeel",
    "lichting",
    "reason",
    "doorstroom",
    "phasetally",
    "lichtingplacement",
    "defensitystudent",
]
READ = [("intake", f"view_{model}") for model in INTAKE_MODELS]

ROLES = {
    MANAGER_GROUP: [*READ, ("intake", "view_all_tracks"), ("intake", "overbook_lichting")],
    RECRUITER_GROUP: [
        *READ,
        ("intake", "add_candidate"),
        ("intake", "change_candidate"),
        ("intake", "add_candidatenote"),
    ],
    # Beheerders keep the reference data (tracks, reasons, lichtingen) and the users in the admin. Candidates and
    # events are never deleted there: the history must stay complete.
    BEHEERDER_GROUP: [
        *READ,
        ("intake", "view_all_tracks"),
        ("intake", "change_all_tracks"),
        ("intake", "handle_data_requests"),
        ("intake", "view_auditentry"),
        ("intake", "view_deadletter"),
        ("intake", "view_pendingtask"),
        ("intake", "view_regio"),
        ("intake", "view_apitoken"),
        ("intake", "add_apitoken"),
        ("intake", "change_apitoken"),
        ("intake", "add_regio"),
        ("intake", "change_regio"),
        ("intake", "add_candidate"),
        ("intake", "change_candidate"),
        ("intake", "add_candidatenote"),
        *[
            ("intake", f"{action}_{model}")
            for model in ("instroomspoor", "krijgsmachtdeel", "lichting", "reason")
            for action in ("add", "change")
        ],
        *[("auth", f"{action}_{model}") for model in ("user", "group") for action in ("view", "add", "change")],
    ],
}


class RoleBackend(ModelBackend):
    """Django's ModelBackend, reading a user's own permissions and their groups' (their roles) in one statement
    instead of two: every page and API request that asks about a role pays for it. The statement is written out
    once, not built by the ORM per request: compiling it cost several times what the database needed to run it."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                codes = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                with prepared_cursor() as cursor:
                    cursor.execute(_permissions_of_user_sql(), [user_obj.pk, user_obj.pk])
                    codes = cursor.fetchall()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in codes}
        return user_obj._perm_cache


@functools.cache
def _permissions_of_user_sql() -> str:
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    memberships = user_model.groups.through._meta
    of_groups = Group.permissions.through._meta
    return f"""
        SELECT ct.app_label, p.codename
        FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
        WHERE p.id IN (
            SELECT permission_id FROM {own.db_table} WHERE user_id = %s
            UNION
            SELECT gp.permission_id FROM {of_groups.db_table} gp
            JOIN {memberships.db_table} ug ON ug.group_id = gp.group_id
            WHERE ug.user_id = %s
        )
    """


# Permissions on the track apps' own models, registered from their `ready()` (intake does not import them).
_grants: dict[str, set[tuple[str, str]]] = defaultdict(set)


def register_grants(group: str, permissions: list[tuple[str, str]]) -> None:
    _grants[group].update(permissions)


def load(apps=global_apps):
    from django.contrib.auth.management import create_permissions

    # Inside a migration the permissions of new models do not exist yet (Django creates them after migrating).
    labels = {"auth", "intake"} | {app for codes in _grants.values() for app, _codename in codes}
    for label in sorted(labels):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = {f"{app}.{codename}" for app, codename in [*codes, *_grants[name]]}
        permissions = [
            p
            for p in Permission.objects.filter(content_type__app_label__in=labels).select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        ]
        group.permissions.set(permissions)
