"""/meetings/answer/<token>/: the answer link of a notice (namespace `meeting_answers`)."""

from django.urls import path

from .answer_views import AnswerView

app_name = "meeting_answers"

urlpatterns = [path("<str:token>/", AnswerView.as_view(), name="answer")]
