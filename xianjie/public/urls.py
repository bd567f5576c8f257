from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("channels.json", views.channels_json, name="channels_json"),
    path("channels.csv", views.channels_csv, name="channels_csv"),
]
