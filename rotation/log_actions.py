"""The audit-log actions of the rotation plan."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "xianjie.rotation.swap": (_("Swap in the rotation"), _("Two units swapped their places in the rotation")),
    "xianjie.rotation.defer": (_("Defer in the rotation"), _("A unit deferred its year as convener")),
}


@hooks.register("register_log_actions")
def register_rotation_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
