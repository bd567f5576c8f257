from .areas import Area, AreaLevel, level_of_code
from .mechanisms import Mechanism, QuorumRule
from .people import Membership, Role
from .terms import ConvenerTerm
from .units import MemberUnit, UnitHasHistory, UnitKind

__all__ = [
    "Area",
    "AreaLevel",
    "ConvenerTerm",
    "Mechanism",
    "MemberUnit",
    "Membership",
    "QuorumRule",
    "Role",
    "UnitHasHistory",
    "UnitKind",
    "level_of_code",
]
