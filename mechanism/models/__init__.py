from .areas import Area, AreaLevel, level_of_code
from .assignments import ACTIVE_STATES, Assignment, AssignmentState, FollowUp, FollowUpKind
from .assistance import AccessKind, AssistanceKind, AssistanceRecord, Funding, PersonalDataAccess
from .cases import (
    OPEN_STATES,
    Case,
    CaseCounter,
    CaseSource,
    CaseState,
    ConsentMethod,
    HouseholdCategory,
    Need,
    Urgency,
)
from .channels import (
    STALE_AFTER_DAYS,
    BrandProject,
    ChannelKind,
    ChannelReminder,
    HelpChannel,
    ServedGroup,
    Weekday,
)
from .documents import DocumentJob, DocumentJobState
from .holidays import HolidayOverride
from .mechanisms import Mechanism, QuorumRule
from .people import Membership, Role
from .terms import ConvenerTerm
from .units import MemberUnit, UnitHasHistory, UnitKind

__all__ = [
    "STALE_AFTER_DAYS",
    "BrandProject",
    "ChannelKind",
    "ChannelReminder",
    "HelpChannel",
    "ServedGroup",
    "Weekday",
    "ACTIVE_STATES",
    "OPEN_STATES",
    "AccessKind",
    "Area",
    "AreaLevel",
    "Assignment",
    "AssignmentState",
    "AssistanceKind",
    "AssistanceRecord",
    "Case",
    "CaseCounter",
    "CaseSource",
    "CaseState",
    "ConsentMethod",
    "ConvenerTerm",
    "DocumentJob",
    "DocumentJobState",
    "FollowUp",
    "FollowUpKind",
    "Funding",
    "HolidayOverride",
    "HouseholdCategory",
    "Mechanism",
    "MemberUnit",
    "Membership",
    "Need",
    "PersonalDataAccess",
    "QuorumRule",
    "Role",
    "UnitHasHistory",
    "UnitKind",
    "Urgency",
    "level_of_code",
]
