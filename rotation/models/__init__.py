from .events import RotationEvent, RotationEventKind, RotationPlan
from .handover import Handover, HandoverState
from .summary import AnnualSummary, SummaryState

__all__ = [
    "AnnualSummary",
    "Handover",
    "HandoverState",
    "RotationEvent",
    "RotationEventKind",
    "RotationPlan",
    "SummaryState",
]
