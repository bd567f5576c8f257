"""The public answer page behind a notice's link: no login, the signed token is the key."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from .answers import TokenRefused, read_token, record_answer
from .models import AnswerKind
from .notices.ics import TZ, agenda, item_label, location


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Your unit's answer"), choices=AnswerKind.choices, widget=forms.RadioSelect)
    attendee = forms.CharField(
        label=_("Who attends"),
        max_length=100,
        required=False,
        help_text=_("For a deputy: the deputy's name. Leave empty if you attend yourself."),
    )
    reason = forms.CharField(label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def meeting_context(grant):
    meeting = grant.meeting
    return {
        "meeting": meeting,
        "unit": grant.unit,
        "starts_at": timezone.localtime(meeting.starts_at, TZ),
        "ends_at": timezone.localtime(meeting.ends_at, TZ),
        "location": location(meeting),
        "agenda": [item_label(item) for item in agenda(meeting)],
        "answer": meeting.answers.filter(unit=grant.unit).first(),
    }


@method_decorator([never_cache, csrf_protect], name="dispatch")
class AnswerView(View):
    template_name = "meetings/answer.html"

    def dispatch(self, request, token):
        try:
            self.grant = read_token(token)
        except TokenRefused as refused:
            return render(request, "meetings/answer_refused.html", {"message": refused.message}, status=refused.status)
        return super().dispatch(request, token)

    def get(self, request, token):
        context = meeting_context(self.grant)
        answer = context["answer"]
        initial = {"kind": answer.kind, "attendee": answer.attendee, "reason": answer.reason} if answer else {}
        context.update(form=AnswerForm(initial=initial), saved="saved" in request.GET)
        return render(request, self.template_name, context)

    def post(self, request, token):
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                record_answer(self.grant.meeting, self.grant.unit, by=self.grant.user, **form.cleaned_data)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect(request.path + "?saved=1")
        context = meeting_context(self.grant)
        context.update(form=form, saved=False)
        return render(request, self.template_name, context, status=400)
