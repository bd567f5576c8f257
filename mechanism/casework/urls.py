"""Casework URLs under /admin/casework/, namespace `casework`. The names are fixed: e-mails link to them."""

from django.urls import path

from .views.assignment import AssignmentView
from .views.case import CaseDetailView, RevealView
from .views.filing import FilingView
from .views.lists import CaseListView, QueueView, SupervisionView
from .views.report import ReportView

app_name = "casework"

urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("cases/", CaseListView.as_view(), name="cases"),
    path("case/<int:pk>/", CaseDetailView.as_view(), name="case"),
    path("case/<int:pk>/reveal/", RevealView.as_view(), name="reveal"),
    path("assignment/<int:pk>/", AssignmentView.as_view(), name="assignment"),
    path("report/", ReportView.as_view(), name="report"),
    path("supervision/", SupervisionView.as_view(), name="supervision"),
    path("filing/", FilingView.as_view(), name="filing"),
]
