"""Meetings back-office URLs under /admin/meetings/, namespace `meetings_admin`."""

from django.urls import path

from .calendar import CalendarView, MeetingListView
from .meeting import ACTIONS, ATTENDANCE_ACTIONS, ITEM_ACTIONS, MeetingActionView, MeetingView
from .minutes import MinutesActionView, MinutesCompareView, MinutesStartView, MinutesView
from .minutes_actions import ACTIONS as MINUTES_ACTIONS
from .new import NewMeetingView
from .topics import TopicsView

app_name = "meetings_admin"

urlpatterns = [
    path("", CalendarView.as_view(), name="calendar"),
    path("list/", MeetingListView.as_view(), name="list"),
    path("new/", NewMeetingView.as_view(), name="new"),
    path("topics/", TopicsView.as_view(), name="topics"),
    path("<int:pk>/", MeetingView.as_view(), name="meeting"),
    *(path(f"<int:pk>/{name}/", MeetingActionView.as_view(), {"action": name}, name=name) for name in ACTIONS),
    *(
        path(f"<int:pk>/agenda/<int:item_pk>/{name}/", MeetingActionView.as_view(), {"action": name}, name=name)
        for name in ITEM_ACTIONS
    ),
    *(
        path(f"<int:pk>/attendance/<int:item_pk>/{name}/", MeetingActionView.as_view(), {"action": name}, name=name)
        for name in ATTENDANCE_ACTIONS
    ),
    path("<int:pk>/minutes/", MinutesView.as_view(), name="minutes"),
    path("<int:pk>/minutes/start/", MinutesStartView.as_view(), name="minutes_start"),
    path("<int:pk>/minutes/compare/", MinutesCompareView.as_view(), name="minutes_compare"),
    *(
        path(f"<int:pk>/minutes/{name}/", MinutesActionView.as_view(), {"action": name}, name=f"minutes_{name}")
        for name in MINUTES_ACTIONS
    ),
]
