"""AVG (GDPR): retention of closed candidates, data-subject export and erasure.

Candidates who were rejected or withdrew are kept through `AVG_RETENTION_DAYS` after the end of their procedure
(the date of the closing event), or through the date they consented to (at most a year after that end). Then
their personal fields are erased; the candidate row, now a pseudonymous key, and its status events stay, so
every report gives the same numbers before and after.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .choices import Status
from .models import AuditAction, Candidate, StatusEvent
from .pipeline import StaleVersionError, TransitionError

RETAINED_STATUSES = (Status.AFGEWEZEN, Status.TERUGGETROKKEN)
MAX_CONSENT = datetime.timedelta(days=365)
ANONYMOUS_NAME = "Geanonimiseerd"


def retention_period() -> datetime.timedelta:
    return datetime.timedelta(days=settings.AVG_RETENTION_DAYS)


def candidate_keep_through(candidate: Candidate) -> datetime.date | None:
    """The last day the personal data may be kept, or None while the procedure is still going on."""
    if candidate.status not in RETAINED_STATUSES:
        return None
    limit = candidate.step_since + retention_period()
    if candidate.retention_consent_until and candidate.retention_consent_until > limit:
        return candidate.retention_consent_until
    return limit


def candidates_anonymise_expired(*, today: datetime.date) -> int:
    """Anonymise every closed candidate whose retention has passed; a second run finds nothing left to do."""
    deadline = today - retention_period()
    expired = Candidate.objects.filter(
        status__in=RETAINED_STATUSES, anonymised_at__isnull=True, step_since__lt=deadline
    ).filter(Q(retention_consent_until__isnull=True) | Q(retention_consent_until__lt=today))
    count = 0
    for candidate_id in expired.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
            _anonymise(candidate)
            audit_record(actor=None, action=AuditAction.ANONYMISE, obj=candidate)
        count += 1
    return count


def candidate_record_retention_consent(
    *, candidate_id: int, expected_version: int, actor, until: datetime.date
) -> Candidate:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        if candidate.version != expected_version:
            raise StaleVersionError(candidate.version)
        end = candidate.step_since if candidate.status in RETAINED_STATUSES else timezone.localdate()
        if until < timezone.localdate() or until > end + MAX_CONSENT:
            raise TransitionError(
                _("Toestemming kan gelden tot uiterlijk een jaar na het einde van de procedure (%(max)s).")
                % {"max": (end + MAX_CONSENT).strftime("%d-%m-%Y")},
                code="consent_out_of_range",
                field="until",
            )
        candidate.retention_consent_until = until
        candidate.version += 1
        candidate.save(update_fields=["retention_consent_until", "version", "updated_at"])
        audit_record(actor=actor, action=AuditAction.CONSENT, obj=candidate, detail={"until": until.isoformat()})
    return candidate


def candidate_export_personal_data(*, candidate: Candidate, actor) -> dict:
    """Everything stored about one person, for a data-subject access request (inzageverzoek), as JSON data."""
    data = {
        "kandidaat": {
            "kandidaatnummer": candidate.number,
            **model_to_dict(candidate),
            "fase": candidate.phase,
            "stap": candidate.step,
            "status": candidate.status,
        },
        "statuswijzigingen": [model_to_dict(e) for e in candidate.events.order_by("sequence")],
    }
    # Track apps and notes hang their rows off the candidate; include them without intake knowing those apps.
    for relation in candidate._meta.related_objects:
        if relation.related_model is not StatusEvent:
            rows = _related_rows(candidate, relation)
            if rows:
                data[relation.related_model._meta.model_name] = [model_to_dict(row) for row in rows]
    audit_record(actor=actor, action=AuditAction.DATA_REQUEST, obj=candidate)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _related_rows(candidate: Candidate, relation) -> list:
    accessor = relation.get_accessor_name()
    if relation.one_to_one:
        try:
            return [getattr(candidate, accessor)]
        except ObjectDoesNotExist:
            return []
    if relation.one_to_many:
        return list(getattr(candidate, accessor).all())
    return []


def candidate_erase(*, candidate_id: int, actor) -> Candidate:
    """Erase a person's data on their request. Someone still in the procedure must first withdraw, and someone
    in service is an employee whose records fall under personnel law, not under this system."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        if candidate.status in (Status.LOPEND, Status.IN_DIENST):
            raise TransitionError(
                _("Wis pas na afronding: leg eerst de terugtrekking of afwijzing vast."),
                code="erase_in_procedure",
            )
        if candidate.anonymised_at is None:
            _anonymise(candidate)
        audit_record(actor=actor, action=AuditAction.ERASE, obj=candidate)
    return candidate


def _anonymise(candidate: Candidate) -> None:
    # Gender and the birth year stay: the diversity and age statistics need them and they identify no one alone.
    candidate.first_name = ANONYMOUS_NAME
    candidate.last_name = ""
    candidate.email = f"geanonimiseerd-{candidate.pk}@invalid.example"
    candidate.phone = ""
    candidate.postcode = ""
    candidate.function_title = ""
    candidate.birth_date = candidate.birth_date.replace(month=1, day=1)
    candidate.retention_consent_until = None
    candidate.anonymised_at = timezone.now()
    candidate.version += 1
    candidate.save()
    candidate.notes.all().delete()
    # Free-text in events may name the person too. Events are append-only everywhere else; erasure under the AVG is the
    # one exception, and it touches only the note, never the facts the reports count.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {StatusEvent._meta.db_table} SET note = '' WHERE candidate_id = %s AND note <> ''", [candidate.pk]
        )
