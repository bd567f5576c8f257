"""The online help request: a person asks for help, the request becomes a case in the secretariat's triage queue.

Nothing of the request goes into a URL or a log: the result page is a plain URL that reads the
reference from the session, and the views mark every POST parameter and local variable as sensitive
so Django's error reports leave them out.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe

from mechanism.services.errors import DuplicateSuspected
from mechanism.services.intake import report_case

from .forms import HONEYPOT, HelpRequestForm
from .ratelimit import RateLimit

SESSION_KEY = "xianjie.helprequest.sent"
# What the result page promises; the secretariat's own triage rule.
REVIEW_WORKING_DAYS = 5


@sensitive_variables()
def send_request(form):
    """Report the case through the intake service, with the duplicate guard's warnings left for the secretariat.

    The sender is never told that the person may already be known (that would reveal another case),
    so a suspected duplicate is reported confirmed; the case page shows the guard's warnings and the
    intake log records duplicates_confirmed.
    """
    mechanism = form.cleaned_data["area"].mechanism
    report = form.case_report()
    try:
        return report_case(mechanism, report, by=None)
    except DuplicateSuspected:
        return report_case(mechanism, report, by=None, confirmed=True)


def show_form(request, form, status=200, limited=False):
    context = {"form": form, "honeypot": HONEYPOT, "limited": limited, "review_days": REVIEW_WORKING_DAYS}
    return render(request, "public/request.html", context, status=status)


@never_cache
@csrf_protect
@sensitive_post_parameters()
@sensitive_variables()
@require_http_methods(["GET", "HEAD", "POST"])
def request_help(request):
    """The form; a valid POST creates the case and redirects to the result page.

    Honeypot filled: no case is created and the sender is redirected to the result page like a
    person, which then shows only the neutral acknowledgement without a reference, so a bot learns
    nothing. Over the address's rate limit: the form again with a message, status 429.
    """
    if request.method != "POST":
        return show_form(request, HelpRequestForm())
    limit = RateLimit(request)
    if limit.exceeded():
        response = show_form(request, HelpRequestForm.refilled(request.POST), status=429, limited=True)
        response["Retry-After"] = str(limit.retry_after)
        return response
    limit.count_attempt()
    if request.POST.get(HONEYPOT):
        request.session.pop(SESSION_KEY, None)
        return redirect("helprequest:sent")
    form = HelpRequestForm(request.POST)
    if form.is_valid():
        try:
            case = send_request(form)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            limit.count_accepted()
            request.session[SESSION_KEY] = {"reference": case.reference, "mechanism": case.mechanism.name}
            return redirect("helprequest:sent")
    return show_form(request, form)


@never_cache
@require_safe
def request_sent(request):
    """The reference of the request this browser sent last, or a neutral acknowledgement when there is none."""
    context = {"sent": request.session.get(SESSION_KEY), "review_days": REVIEW_WORKING_DAYS}
    return render(request, "public/request_sent.html", context)
