"""Demo data for the mechanism layer: the Shanxi and Taiyuan mechanisms and their people."""

import datetime
import re
from pathlib import Path
from string import Template

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log

from .files.importer import import_mechanism
from .models import Membership, MemberUnit, Role

DEMO_DIR = Path(__file__).resolve().parent / "fixtures" / "demo"
PROVINCE, TAIYUAN = "140000", "140100"
PROVINCE_UNITS = ["mz", "zgh", "tsw", "fl", "cl", "hsh", "sgw"]


class _DemoTemplate(Template):
    """Placeholders may end in -<n>d, as in ${today-30d}."""

    idpattern = r"(?a:[a-z][a-z0-9]*(?:-\d+d)?)"


class _DemoValues(dict):
    """${y0}..${y2}: the convener years; ${today-30d}: a date counted back from the day of loading."""

    def __init__(self, year, today):
        super().__init__(y0=year - 2, y1=year - 1, y2=year)
        self.today = today

    def __missing__(self, name):
        match = re.fullmatch(r"today-(\d+)d", name)
        if match is None:
            raise KeyError(name)
        return (self.today - datetime.timedelta(days=int(match[1]))).isoformat()


def demo_files(year=None, today=None):
    """The demo mechanism files, parents first, with the convener years and verification dates filled in."""
    today = today or timezone.localdate()
    values = _DemoValues(year or today.year, today)
    return [
        (path, _DemoTemplate(path.read_text(encoding="utf-8")).substitute(values))
        for path in sorted(DEMO_DIR.glob("*.yaml"))
    ]


def demo_people():
    """(username, display name, is superuser, [(area code, unit code, role)])."""
    people = [
        ("admin", "系统管理员", True, []),
        ("secretariat", "省秘书处 王秘书", False, [(PROVINCE, "mz", Role.SECRETARIAT)]),
        ("supervisor", "省监督 李监督", False, [(PROVINCE, "mz", Role.SUPERVISOR)]),
        ("ty_secretariat", "太原市秘书处 赵秘书", False, [(TAIYUAN, "mz", Role.SECRETARIAT)]),
    ]
    people += [
        (f"liaison_{code}", f"联络员 {code}", False, [(PROVINCE, code, Role.LIAISON)]) for code in PROVINCE_UNITS
    ]
    return people


def seed_mechanisms(year=None, today=None):
    for _path, text in demo_files(year, today):
        import_mechanism(text)
    User = get_user_model()
    logins = []
    for username, display, is_superuser, roles in demo_people():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": display,
                "email": f"{username}@demo.xianjie.localhost",
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for area_code, unit_code, role in roles:
            unit = MemberUnit.objects.get(mechanism__area__code=area_code, code=unit_code)
            membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
            if created:
                log(membership, "wagtail.create", content_changed=True)
        logins.append((username, display))
    return logins
