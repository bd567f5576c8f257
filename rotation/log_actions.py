"""The audit-log actions of the rotation plan, the handover and the annual work summary."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "xianjie.rotation.swap": (_("Swap in the rotation"), _("Two units swapped their places in the rotation")),
    "xianjie.rotation.defer": (_("Defer in the rotation"), _("A unit deferred its year as convener")),
    "xianjie.rotation.import": (_("Import rotation history"), _("The rotation history was loaded from a file")),
    "xianjie.handover.create": (_("Create handover"), _("The handover was created")),
    "xianjie.handover.prepare": (_("Prepare handover"), _("The handover is being prepared")),
    "xianjie.handover.meeting_held": (_("Handover meeting held"), _("The handover meeting was held")),
    "xianjie.handover.open_items": (_("List open items"), _("The open cases and action items were listed")),
    "xianjie.handover.contacts": (_("Verify contacts"), _("A unit's liaison contacts were verified")),
    "xianjie.handover.sign_outgoing": (_("Sign handover (outgoing)"), _("The outgoing convener signed")),
    "xianjie.handover.sign_incoming": (_("Sign handover (incoming)"), _("The incoming convener signed")),
    "xianjie.handover.remind": (_("Handover reminder"), _("A handover reminder was sent")),
    "xianjie.handover.escalate": (_("Escalate handover"), _("The unsigned handover was escalated")),
    "xianjie.summary.create": (_("Start annual work summary"), _("The annual work summary was started")),
    "xianjie.summary.refresh": (_("Recount summary figures"), _("The summary's figures were counted again")),
    "xianjie.summary.edit": (_("Edit annual work summary"), _("The summary's narrative was edited")),
    "xianjie.summary.submit": (_("Submit annual work summary"), _("The summary was submitted for approval")),
    "xianjie.summary.return": (_("Return annual work summary"), _("The summary was returned for changes")),
    "xianjie.summary.approve": (_("Approve annual work summary"), _("The summary was approved")),
}


@hooks.register("register_log_actions")
def register_rotation_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
