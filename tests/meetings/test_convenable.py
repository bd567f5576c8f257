"""The mechanisms a user may convene in, as the Meetings menu asks on every admin page: the same answer as
may_convene for each mechanism, in one query however many mechanisms the user reads."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanism.models import AreaLevel, Role
from meetings.access import convenable_mechanisms, may_convene
from tests.base import CastTestCase
from tests.factories import (
    AreaFactory,
    ConvenerTermFactory,
    MechanismFactory,
    MembershipFactory,
    MemberUnitFactory,
    jan1,
)


class ConvenableMechanismsTests(CastTestCase):
    def counted(self, user):
        user = type(user).objects.get(pk=user.pk)  # a fresh object: no roles cached from an earlier call
        with CaptureQueriesContext(connection) as queries:
            mechanisms = convenable_mechanisms(user)
        return mechanisms, len(queries)

    def add_mechanism(self, code):
        area = AreaFactory(code=code, name=f"区{code}", level=AreaLevel.COUNTY, parent=self.taiyuan_area)
        mechanism = MechanismFactory(area=area, name=f"机制{code}", parent=self.taiyuan)
        unit = MemberUnitFactory(mechanism=mechanism, code="mz", is_lead=True)
        ConvenerTermFactory(unit=unit, starts_at=jan1(2020), ends_at=None)
        return mechanism, unit

    def test_it_agrees_with_may_convene_for_every_user(self):
        for user in (self.admin, self.secretariat, self.convener_liaison, self.other_liaison, self.supervisor):
            with self.subTest(user=user.username):
                expected = [m for m in (self.province, self.taiyuan) if may_convene(user, m)]
                self.assertEqual(convenable_mechanisms(user), expected)
        self.assertEqual(convenable_mechanisms(self.convener_liaison), [self.province])
        self.assertEqual(convenable_mechanisms(self.admin), [self.province, self.taiyuan])
        self.assertEqual(convenable_mechanisms(self.other_liaison), [])

    def test_one_query_however_many_mechanisms(self):
        liaison = self.member("many_liaison", self.tsw, Role.LIAISON)
        first, one = self.counted(liaison)
        for code in ("140105", "140106", "140107"):
            _mechanism, unit = self.add_mechanism(code)
            MembershipFactory(user=liaison, unit=unit, role=Role.LIAISON)
        more, many = self.counted(liaison)
        self.assertEqual(len(more), len(first) + 3)
        self.assertEqual(one, many)
        self.assertLessEqual(many, 2)  # whether the user is staff, then the mechanisms
