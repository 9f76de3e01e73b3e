from .candidates import Candidate, StatusEvent
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason
from .tally import PhaseTally

__all__ = [
    "Candidate",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "PhaseTally",
    "Reason",
    "StatusEvent",
]
