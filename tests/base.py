"""The standard cast, built once per test class.

Shanxi province (140000) with units mz (lead), zgh and tsw, tsw convening this year;
Taiyuan (140100) under it. Users: `secretariat` (province, mz), `convener_liaison` (tsw),
`other_liaison` (zgh), `supervisor` (province), `outsider` (Taiyuan's secretariat: another
mechanism), `admin` (superuser); the anonymous visitor is a client that is not logged in.
"""

from django.test import TestCase

from mechanism.models import AreaLevel, Role, UnitKind

from .factories import (
    AreaFactory,
    ConvenerTermFactory,
    MechanismFactory,
    MembershipFactory,
    MemberUnitFactory,
    UserFactory,
    jan1,
)


class CastTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.shanxi = AreaFactory(code="140000", name="山西省", level=AreaLevel.PROVINCE)
        cls.taiyuan_area = AreaFactory(code="140100", name="太原市", level=AreaLevel.CITY, parent=cls.shanxi)
        cls.province = MechanismFactory(area=cls.shanxi, name="山西省政府救助与慈善帮扶工作衔接机制")
        cls.taiyuan = MechanismFactory(
            area=cls.taiyuan_area, name="太原市政府救助与慈善帮扶工作衔接机制", parent=cls.province
        )
        cls.mz = MemberUnitFactory(
            mechanism=cls.province, code="mz", name="山西省民政厅", kind=UnitKind.GOVERNMENT, is_lead=True
        )
        cls.zgh = MemberUnitFactory(mechanism=cls.province, code="zgh", name="山西省总工会")
        cls.tsw = MemberUnitFactory(mechanism=cls.province, code="tsw", name="共青团山西省委员会")
        cls.ty_mz = MemberUnitFactory(
            mechanism=cls.taiyuan, code="mz", name="太原市民政局", kind=UnitKind.GOVERNMENT, is_lead=True
        )
        cls.ty_fl = MemberUnitFactory(mechanism=cls.taiyuan, code="fl", name="太原市妇女联合会")
        cls.zgh_term = ConvenerTermFactory(unit=cls.zgh, starts_at=jan1(2025), ends_at=jan1(2026))
        cls.tsw_term = ConvenerTermFactory(unit=cls.tsw, starts_at=jan1(2026), ends_at=None)

        cls.admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
        cls.secretariat = cls.member("secretariat", cls.mz, Role.SECRETARIAT)
        cls.convener_liaison = cls.member("convener_liaison", cls.tsw, Role.LIAISON)
        cls.other_liaison = cls.member("other_liaison", cls.zgh, Role.LIAISON)
        cls.supervisor = cls.member("supervisor", cls.mz, Role.SUPERVISOR)
        cls.outsider = cls.member("outsider", cls.ty_mz, Role.SECRETARIAT)

    @classmethod
    def member(cls, username, unit, role):
        user = UserFactory(username=username)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    def login(self, user):
        self.client.force_login(user)
        return self.client
