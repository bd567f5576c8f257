from .agenda import AgendaItem, AgendaItemKind, TopicProposal
from .answers import Answer, AnswerKind, Attendance
from .feeds import CalendarFeed
from .meetings import Meeting, MeetingCounter, MeetingKind, MeetingState
from .minutes import (
    Decision,
    DecisionKind,
    ItemMinutes,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
    ReviewResponse,
)
from .notices import MailDelivery, NoticeDelivery, NoticeMethod
from .series import MeetingSeries

__all__ = [
    "AgendaItem",
    "AgendaItemKind",
    "Answer",
    "AnswerKind",
    "Attendance",
    "CalendarFeed",
    "Decision",
    "DecisionKind",
    "ItemMinutes",
    "Minutes",
    "MinutesComment",
    "MinutesRevision",
    "MinutesState",
    "ReviewResponse",
    "MailDelivery",
    "Meeting",
    "MeetingCounter",
    "MeetingKind",
    "MeetingSeries",
    "MeetingState",
    "NoticeDelivery",
    "NoticeMethod",
    "TopicProposal",
]
