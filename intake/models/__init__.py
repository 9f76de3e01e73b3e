from .audit import AuditAction, AuditEntry
from .candidates import Candidate, StatusEvent
from .notes import CandidateNote
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason, Regio
from .tally import PhaseTally
from .tasks import DeadLetter, PendingTask
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "Candidate",
    "CandidateNote",
    "DeadLetter",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "PendingTask",
    "PhaseTally",
    "Reason",
    "Regio",
    "StatusEvent",
]
