from .candidates import Candidate, StatusEvent
from .notes import CandidateNote
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason
from .tally import PhaseTally

__all__ = [
    "Candidate",
    "CandidateNote",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "PhaseTally",
    "Reason",
    "StatusEvent",
]
