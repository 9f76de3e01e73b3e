from .candidates import Candidate, StatusEvent
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason
from .tally import PhaseTally

__all__ = ["Candidate", "Instroomspoor", "Krijgsmachtdeel", "Lichting", "PhaseTally", "Reason", "StatusEvent"]
