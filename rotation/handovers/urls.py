"""The handovers screens (filled in by the issue-8 work)."""

app_name = "rotation_handovers"
urlpatterns = []
