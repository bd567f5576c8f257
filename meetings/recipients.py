"""Who receives a meeting's notice: every active liaison with an e-mail address of every invited unit."""

from mechanism.models import Membership, Role


def recipients(meeting):
    """Memberships (user, unit) of the liaisons to notify, one per user and unit, in unit order."""
    return (
        Membership.objects.filter(unit__in=meeting.invited_units.all(), role=Role.LIAISON, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("unit__pk", "user__pk")
    )
