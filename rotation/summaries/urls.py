"""The summaries screens (filled in by the issue-8 work)."""

app_name = "rotation_summaries"
urlpatterns = []
