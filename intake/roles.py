"""The three roles as Django groups with model permissions. Loaded by a migration; tests whose database is
flushed between tests load them again through `load`.

The permissions say what a role may do (a manager reads, a recruiter also changes candidates); which candidates
is decided by `intake.selectors` (a recruiter only those of their own tracks).
"""

from collections import defaultdict

from django.apps import apps as global_apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

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
    """Django's ModelBackend, reading a user's own permissions and their groups' (their roles) in one query
    instead of two: every page and API request that asks about a role pays for it."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = user_obj.user_permissions.through.objects.filter(user=user_obj)
                of_groups = Group.permissions.through.objects.filter(group__user=user_obj)
                permissions = permissions.filter(
                    Q(pk__in=own.values("permission_id")) | Q(pk__in=of_groups.values("permission_id"))
                )
            codes = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in codes}
        return user_obj._perm_cache


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
