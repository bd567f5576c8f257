"""The annual work summary screens, under /admin/summaries/ (namespace rotation_summaries)."""

from django.urls import path

from . import views, views_actions

app_name = "rotation_summaries"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("start/<int:mechanism_pk>/", views.StartView.as_view(), name="start"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views_actions.EditView.as_view(), name="edit"),
    path("<int:pk>/chart/<str:name>.png", views.ChartView.as_view(), name="chart"),
    path("<int:pk>/refresh/", views_actions.ActionView.as_view(run=views_actions.refresh), name="refresh"),
    path("<int:pk>/submit/", views_actions.ActionView.as_view(run=views_actions.submit), name="submit"),
    path("<int:pk>/return/", views_actions.ActionView.as_view(run=views_actions.return_for_changes), name="return"),
    path("<int:pk>/approve/", views_actions.ActionView.as_view(run=views_actions.approve), name="approve"),
]
