from .audit import AuditAction, AuditEntry
from .candidates import Candidate, StatusEvent
from .defensity import DefensityStudent
from .lichtingen import LichtingPlacement
from .notes import CandidateNote
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason, Regio
from .tally import PhaseTally, PhaseTallyChange
from .tasks import DeadLetter, PendingTask
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "Candidate",
    "CandidateNote",
    "DeadLetter",
    "DefensityStudent",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "LichtingPlacement",
    "PendingTask",
    "PhaseTally",
    "PhaseTallyChange",
    "Reason",
    "Regio",
    "StatusEvent",
]
