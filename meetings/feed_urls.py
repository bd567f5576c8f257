from django.urls import path

from . import feed_views

app_name = "calendar"

urlpatterns = [
    path("<str:token>.ics", feed_views.calendar_feed, name="feed"),
]
