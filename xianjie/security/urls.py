from django.urls import path

from . import views

app_name = "xianjie_security"
urlpatterns = [
    path("", views.lockout_list, name="lockouts"),
    path("<int:pk>/unlock/", views.unlock, name="unlock"),
]
