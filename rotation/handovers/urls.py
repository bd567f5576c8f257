"""The handovers screens under /admin/handovers/, namespace `rotation_handovers`."""

from django.urls import path

from .views import CreateView, DetailView, IndexView
from .views_actions import ACTIONS, HandoverActionView

app_name = "rotation_handovers"

urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("create/", CreateView.as_view(), name="create"),
    path("<int:pk>/", DetailView.as_view(), name="detail"),
    path(
        "<int:pk>/contacts/<int:unit_pk>/",
        HandoverActionView.as_view(),
        {"action": "verify_contacts"},
        name="verify_contacts",
    ),
    *(
        path(f"<int:pk>/{name}/", HandoverActionView.as_view(), {"action": name}, name=name)
        for name in ACTIONS
        if name != "verify_contacts"
    ),
]
