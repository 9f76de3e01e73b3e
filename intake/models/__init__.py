from .candidates import Candidate, StatusEvent
from .defensity import DefensityStudent
from .lichtingen import LichtingPlacement
from .outcomes import Doorstroom
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason
from .tally import PhaseTally

__all__ = [
    "Candidate",
    "DefensityStudent",
    "Doorstroom",
    "Instroomspoor",
    "Krijgsmachtdeel",
    "Lichting",
    "LichtingPlacement",
    "PhaseTally",
    "Reason",
    "StatusEvent",
]
