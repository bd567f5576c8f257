"""factory_boy factories for the mechanism layer; the defaults make a valid Shanxi-like world."""

import datetime
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from mechanism.models import (
    Area,
    AreaLevel,
    BrandProject,
    ChannelKind,
    ConvenerTerm,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    Role,
    UnitKind,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def jan1(year):
    """Midnight of January 1 in Asia/Shanghai: where convener terms start and end."""
    return datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{11 + n % 80:02d}0000")
    name = factory.LazyAttribute(lambda a: f"地区{a.code}")
    level = AreaLevel.PROVINCE
    parent = None


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    area = factory.SubFactory(AreaFactory)
    name = factory.LazyAttribute(lambda m: f"{m.area.name}政府救助与慈善帮扶工作衔接机制")


class MemberUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberUnit

    mechanism = factory.SubFactory(MechanismFactory)
    code = factory.Sequence(lambda n: f"u{n}")
    name = factory.LazyAttribute(lambda u: f"成员单位{u.code}")
    short_name = factory.LazyAttribute(lambda u: u.name[:10])
    kind = UnitKind.MASS_ORGANISATION
    joined_on = datetime.date(2023, 11, 20)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    role = Role.LIAISON


class ConvenerTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConvenerTerm

    unit = factory.SubFactory(MemberUnitFactory)
    mechanism = factory.LazyAttribute(lambda t: t.unit.mechanism)
    starts_at = factory.LazyFunction(lambda: jan1(2026))
    ends_at = None


class HelpChannelFactory(factory.django.DjangoModelFactory):
    """A public hotline, verified on 2026-01-05; give `value` in its stored form (12349, +863511234567)."""

    class Meta:
        model = HelpChannel

    unit = factory.SubFactory(MemberUnitFactory)
    kind = ChannelKind.HOTLINE
    value = "12349"
    description = "求助热线"
    open_24_hours = True
    is_public = True
    last_verified_on = datetime.date(2026, 1, 5)


class BrandProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandProject

    unit = factory.SubFactory(MemberUnitFactory)
    name = factory.Sequence(lambda n: f"品牌项目{n}")
    summary = "帮扶困难群众"
