from .candidates import Candidate, StatusEvent
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason
from .tally import PhaseTally
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Candidate",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "PhaseTally",
    "Reason",
    "StatusEvent",
]
