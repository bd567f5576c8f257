"""What every service shares: the guarded transition, the audit entry, the after-commit job."""

from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed
from wagtail.log_actions import log

from .errors import ActionRefused, StaleObject


def run_transition(obj, method_name, by, action, data=None):
    """Apply one django-fsm transition, save with the concurrency check and write the audit entry."""
    method = getattr(obj, method_name)
    if not can_proceed(method):
        raise ActionRefused(
            _("%(object)s is “%(state)s”; that step is not possible now.")
            % {"object": obj, "state": obj.get_state_display()}
        )
    method()
    save_or_stale(obj)
    log(obj, action, user=by, data=data or {})


def save_or_stale(obj, **kwargs):
    try:
        obj.save(**kwargs)
    except ConcurrentTransition:
        raise StaleObject() from None


def require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Give a reason."))
    return reason


def after_commit(task_path, *args):
    """Queue a django-q2 task once the transaction has committed (never for a rolled-back change)."""
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(task_path, *args))


@contextmanager
def locked(obj, allowed):
    """Yield a fresh copy of obj under a row lock inside a transaction; refresh the caller's copy after.

    `allowed` is the queryset of rows the acting user may change. A copy whose state is behind
    the database's is refused: the person acted on an old page (no lost update).
    """
    if not allowed.filter(pk=obj.pk).exists():
        raise PermissionError
    with transaction.atomic():
        fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
        if fresh.state != obj.state:
            raise StaleObject()
        yield fresh
    obj.refresh_from_db()


def claim_next(counter_model, **keys):
    """The next number of a yearly counter row (CaseCounter, MeetingCounter), claimed under a row lock.

    Call inside the transaction that creates the object, so a rolled-back object frees nothing but its
    number; a number once given is never given again, even if its object goes.
    """
    with transaction.atomic():  # a savepoint inside the caller's transaction; its own transaction otherwise
        counter, _created = counter_model.objects.select_for_update().get_or_create(**keys)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last
