"""The meetings' documents (会议通知, 议程, 签到表, 会议纪要), registered as document kinds in AppConfig.ready."""

from django.utils.translation import pgettext_lazy

from mechanism.documents.registry import DocumentKind, register


def register_kinds():
    from ..access import get_meeting_for_user, get_minutes_for_user
    from . import agenda, minutes, notice, signin
    from .common import get_meeting

    for name, label, module in (
        ("notice", pgettext_lazy("document kind", "Meeting notice"), notice),
        ("agenda", pgettext_lazy("document kind", "Agenda"), agenda),
        ("signin", pgettext_lazy("document kind", "Sign-in sheet"), signin),
    ):
        register(
            DocumentKind(
                name=name,
                label=label,
                get_for_user=get_meeting_for_user,
                get=get_meeting,
                build=module.build,
                filename=module.filename,
            )
        )
    register(
        DocumentKind(
            name="minutes",
            label=pgettext_lazy("document kind", "Minutes"),
            get_for_user=get_minutes_for_user,
            get=minutes.get_minutes,
            build=minutes.build,
            filename=minutes.filename,
            steps=minutes.steps,
        )
    )
