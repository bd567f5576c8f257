from django.urls import path

from . import views

app_name = "helprequest"

urlpatterns = [
    path("", views.request_help, name="form"),
    path("sent/", views.request_sent, name="sent"),
]
