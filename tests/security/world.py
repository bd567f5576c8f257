"""What is not the role's, after seed_demo: the objects the crawler tries and the markers it looks for.

The rules are the product's (mechanism/access.py, meetings/access.py, rotation/*/access.py): the secretariat and
the supervisors read their whole mechanism; a liaison reads its mechanism (units, meetings, handovers,
summaries, channels) but of the cases, assignments, memberships only its own unit's, and never the access log;
the anonymous visitor reads nothing of the admin. Document jobs belong to the user who asked for them. Unpublished
minutes are read by those who draft, approve, supervise or were asked to review them (meetings/access.py).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from mechanism.models import (
    Area,
    Assignment,
    BrandProject,
    Case,
    ConvenerTerm,
    DocumentJob,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    PersonalDataAccess,
    Role,
)
from meetings import answers
from meetings.models import AgendaItem, Attendance, CalendarFeed, Meeting, MeetingSeries, Minutes
from rotation.models import AnnualSummary, Handover
from rotation.summaries.charts import CHARTS

from . import markers as marks

PER_SOURCE = 3  # objects tried per source (cases, assignments and meetings: one per state)


class World:
    def __init__(self, user):
        self.user = user
        memberships = Membership.objects.filter(user=user) if user else Membership.objects.none()
        self.own_mechanisms = list(memberships.values_list("unit__mechanism_id", flat=True).distinct())
        self.whole = memberships.filter(role__in=[Role.SECRETARIAT, Role.SUPERVISOR]).exists()
        self.own_units = list(memberships.filter(role=Role.LIAISON).values_list("unit_id", flat=True))

    # Foreign querysets ---------------------------------------------------------------------------------
    def mechanism_objects(self, model, path="mechanism"):
        return model.objects.exclude(**{f"{path}__in": self.own_mechanisms})

    def cases(self):
        if self.whole:
            return self.mechanism_objects(Case)
        assigned = Assignment.objects.filter(unit_id__in=self.own_units, case__isnull=False).values("case_id")
        return Case.objects.exclude(Q(pk__in=assigned) | Q(source_unit_id__in=self.own_units))

    def assignments(self):
        if self.whole:
            return self.mechanism_objects(Assignment)
        return Assignment.objects.exclude(unit_id__in=self.own_units)

    def memberships(self):
        if self.whole:
            return self.mechanism_objects(Membership, "unit__mechanism")
        return Membership.objects.exclude(unit_id__in=self.own_units)

    def access_log(self):
        if self.whole:
            return self.mechanism_objects(PersonalDataAccess)
        # A liaison reads none of the log; the rows its own reading writes (its own cases) are not foreign.
        return PersonalDataAccess.objects.exclude(user=self.user) if self.user else PersonalDataAccess.objects.all()

    def foreign(self):
        """Model -> queryset of the rows that are not the role's (also the rows a POST must leave alone)."""
        return {
            Case: self.cases(),
            Assignment: self.assignments(),
            Membership: self.memberships(),
            PersonalDataAccess: self.access_log(),
            Mechanism: self.mechanism_objects(Mechanism, "pk"),
            MemberUnit: self.mechanism_objects(MemberUnit),
            ConvenerTerm: self.mechanism_objects(ConvenerTerm),
            HelpChannel: self.mechanism_objects(HelpChannel, "unit__mechanism"),
            BrandProject: self.mechanism_objects(BrandProject, "unit__mechanism"),
            Area: self.mechanism_objects(Area),
            MeetingSeries: self.mechanism_objects(MeetingSeries),
            Meeting: self.mechanism_objects(Meeting),
            AgendaItem: self.mechanism_objects(AgendaItem, "meeting__mechanism"),
            Attendance: self.mechanism_objects(Attendance, "meeting__mechanism"),
            Handover: self.mechanism_objects(Handover),
            AnnualSummary: self.mechanism_objects(AnnualSummary),
            DocumentJob: DocumentJob.objects.exclude(requested_by_id=getattr(self.user, "pk", None)),
            Minutes: self.mechanism_objects(Minutes, "meeting__mechanism") | self.hidden_minutes(),
        }

    def foreign_meetings(self):
        return set(self.mechanism_objects(Meeting).values_list("pk", flat=True))

    def read_only(self):
        """Rows the role reads but may not change: for a liaison, the other units' channels and projects."""
        if self.whole or self.user is None:
            return {}
        return {
            model: model.objects.filter(unit__mechanism_id__in=self.own_mechanisms).exclude(unit_id__in=self.own_units)
            for model in (HelpChannel, BrandProject)
        }

    def post_only(self):
        """Source -> parameter sets tried with POST only (the role may read them): nothing may change."""
        keys = {HelpChannel: "channel", BrandProject: "project"}
        return {keys[model]: _kw(_sample(queryset)) for model, queryset in self.read_only().items()}

    # Sources: parameter sets per source key -------------------------------------------------------------
    def sources(self):
        f = self.foreign()
        pks = {model: _sample(qs) for model, qs in f.items()}
        meetings = pks[Meeting]
        sources = {
            "case": _kw(pks[Case]),
            "assignment": _kw(pks[Assignment]),
            "membership": _kw(pks[Membership]),
            "access_log": _kw(pks[PersonalDataAccess]),
            "mechanism": _kw(pks[Mechanism]),
            "unit": _kw(pks[MemberUnit]),
            "term": _kw(pks[ConvenerTerm]),
            "channel": _kw(pks[HelpChannel]),
            "project": _kw(pks[BrandProject]),
            "area": _kw(pks[Area]),
            "series": _kw(pks[MeetingSeries]),
            "meeting": _kw(meetings),
            "minutes": _kw(sorted({*meetings, *_sample(Meeting.objects.filter(minutes__in=self.hidden_minutes()))})),
            "handover": _kw(pks[Handover]),
            "summary": _kw(pks[AnnualSummary]),
            "document_job": _kw(pks[DocumentJob]),
            "lockout": [],  # login lock-outs are not objects of a mechanism; none exists in the demo
            "holiday": [],  # nationwide reference data, nobody's own: no foreign holiday to try
            "summary_mechanism": [{"mechanism_pk": pk} for pk in pks[Mechanism]],
            "summary_chart": [{"pk": pk, "name": name} for pk in pks[AnnualSummary] for name in sorted(CHARTS)],
        }
        sources["agenda_item"] = _pairs(f[AgendaItem])
        sources["attendance"] = _pairs(f[Attendance])
        sources["handover_unit"] = [
            {"pk": h.pk, "unit_pk": h.incoming_unit_id} for h in Handover.objects.filter(pk__in=pks[Handover])
        ]
        referrals = _sample(f[Assignment].filter(case__isnull=False))
        sources["document"] = (
            [{"kind": "referral", "pk": pk} for pk in referrals]
            + [{"kind": k, "pk": pk} for k in ("notice", "agenda", "signin") for pk in meetings]
            + [{"kind": "minutes", "pk": kw["pk"]} for kw in sources["minutes"]]
            + [{"kind": "handover", "pk": pk} for pk in pks[Handover]]
            + [{"kind": "summary", "pk": pk} for pk in pks[AnnualSummary]]
        )
        sources["answer_token"] = [{"token": token} for token in self.forged_answer_tokens(f[Membership])]
        sources["feed_token"] = [{"token": token} for token in self.forged_feed_tokens()]
        return sources

    def forged_answer_tokens(self, foreign_memberships):
        """A foreign unit's answer link with its signature broken, and a token signed with another salt."""
        membership = foreign_memberships.select_related("unit").first()
        meeting = Meeting.objects.filter(mechanism_id=membership.unit.mechanism_id).order_by("-starts_at").first()
        token = answers.make_token(meeting, membership)
        from django.core import signing

        return [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), signing.dumps({"m": meeting.pk})]

    def forged_feed_tokens(self):
        """Someone else's feed token with one character changed, and a revoked token."""
        feed = CalendarFeed.objects.exclude(user=self.user).first() if self.user else CalendarFeed.objects.first()
        revoked = "revoked-" + feed.token[8:]
        return [feed.token[:-1] + ("a" if feed.token[-1] != "a" else "b"), revoked]

    # Markers ----------------------------------------------------------------------------------------------
    def markers(self):
        """Reference numbers, names, phones and ID numbers of the foreign cases (less any value the role may see
        on a case of its own, e.g. the same person reported in both mechanisms), the names of foreign people
        (users of memberships that are not the role's), and the texts of the business the role may not read
        (tests/security/markers.py)."""
        foreign = self.cases()
        mine = Case.objects.exclude(pk__in=foreign.values("pk"))
        values = set(_case_values(foreign)) - set(_case_values(mine))
        users = get_user_model().objects
        foreign_people = users.filter(pk__in=self.memberships().values("user_id"))
        own_people = users.exclude(pk__in=self.memberships().values("user_id"))
        names = set(foreign_people.exclude(first_name="").values_list("first_name", flat=True))
        names -= set(own_people.values_list("first_name", flat=True))
        people = sorted(value for value in values | names if value and len(value) >= 2)
        return people + sorted(self.business_markers())

    def business_markers(self):
        """Texts of other mechanisms' meetings, minutes, topics, series, summaries and unpublished channels, and of
        the own mechanism's unpublished minutes the role may not read; less the texts it reads."""
        foreign_ids = list(Mechanism.objects.exclude(pk__in=self.own_mechanisms).values_list("pk", flat=True))
        hidden = self.hidden_minutes()
        readable = Minutes.objects.filter(meeting__mechanism_id__in=self.own_mechanisms).exclude(pk__in=hidden)
        foreign = marks.mechanism_texts(foreign_ids) | marks.minutes_texts(
            Minutes.objects.filter(meeting__mechanism_id__in=foreign_ids) | hidden
        )
        return foreign - marks.mechanism_texts(self.own_mechanisms) - marks.minutes_texts(readable)

    def hidden_minutes(self):
        """Unpublished minutes of the own mechanism a liaison reads only when its unit convenes now (drafts and
        approves) or was asked to review them (meetings.access.get_minutes_for_user)."""
        if self.whole or not self.own_units:
            return Minutes.objects.none()
        now = timezone.now()
        convening = [m.pk for m in Mechanism.objects.filter(pk__in=self.own_mechanisms) if _convenes(m, now, self)]
        asked = Minutes.objects.filter(revisions__reviewers__in=self.own_units).values("pk")
        unpublished = Minutes.objects.filter(meeting__mechanism_id__in=self.own_mechanisms, published_at__isnull=True)
        return unpublished.exclude(meeting__mechanism_id__in=convening).exclude(pk__in=asked)


def _convenes(mechanism, now, world):
    convener = mechanism.convener_on(now)
    return convener is not None and convener.pk in world.own_units


def _case_values(cases):
    for case in cases:
        yield case.reference
        yield case.person_name
        yield case.phone
        yield case.id_number


def _sample(queryset):
    model = queryset.model
    if hasattr(model, "state"):
        firsts = {}
        for pk, state in queryset.order_by("pk").values_list("pk", "state"):
            firsts.setdefault(state, pk)
        return sorted(firsts.values())
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:PER_SOURCE])


def _kw(pks):
    return [{"pk": pk} for pk in pks]


def _pairs(queryset):
    rows = queryset.order_by("pk").values_list("meeting_id", "pk")[:PER_SOURCE]
    return [{"pk": meeting, "item_pk": item} for meeting, item in rows]
