"""Refusals a person can read: the service says why, the view shows it, nothing is saved."""

from django.utils.translation import gettext_lazy as _


class ActionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class StaleObject(ActionRefused):
    def __init__(self):
        super().__init__(_("Someone else changed this in the meantime. Reload the page and try again."))


class DuplicateSuspected(ActionRefused):
    """The duplicate guard found the same person elsewhere; the caller confirms and tries again."""

    def __init__(self, warnings):
        super().__init__(_("This person may already be helped elsewhere; confirm to go on."))
        self.warnings = warnings
