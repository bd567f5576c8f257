"""The reasons of a forecast in words: "按轮值顺序轮到；2028年起与山西省妇女联合会对调（2026年第2次联席会议决定）"."""

from django.utils.translation import gettext as _


def reason(turn, names):
    """One sentence for a Turn; `names` maps unit codes to the names shown."""
    parts = [_("A new round of the rotation begins") if turn.new_cycle else _("Next in the rotation order")]
    for swap in turn.swaps:
        other = swap.second if swap.first == turn.unit else swap.first
        parts.append(
            _("swapped with %(unit)s from %(year)s (%(decision)s)")
            % {"unit": names.get(other, other), "year": swap.year, "decision": swap.decision or swap.reason}
        )
    if turn.took_over_from is not None:
        defer = turn.took_over_from
        parts.append(
            _("%(unit)s is deferred in %(year)s (%(reason)s)")
            % {"unit": names.get(defer.unit, defer.unit), "year": defer.year, "reason": defer.reason}
        )
    if turn.deferred is not None:
        parts.append(
            _("deferred from %(year)s (%(reason)s)") % {"year": turn.deferred.year, "reason": turn.deferred.reason}
        )
    return _("; ").join(parts)
