"""Helpers for case tests: valid resident ID numbers and a make_case that goes through the intake service."""

import datetime

from mechanism.models import CaseSource, ConsentMethod, Need
from mechanism.services.intake import CaseReport, report_case

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(area="140105", born=datetime.date(1980, 5, 17), serial="123"):
    """A valid 18-character resident ID (GB 11643) with its MOD 11-2 check character."""
    body = f"{area}{born:%Y%m%d}{serial}"
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_report(mechanism, **kw):
    kw.setdefault("person_name", "张三")
    kw.setdefault("area", mechanism.area)
    kw.setdefault("needs", [Need.MEDICAL])
    kw.setdefault("source", CaseSource.HOTLINE)
    kw.setdefault("id_number", resident_id())
    kw.setdefault("phone", "13800000000")
    kw.setdefault("consent_given", True)
    kw.setdefault("consent_by", "张三本人")
    kw.setdefault("consent_method", ConsentMethod.SIGNED_FORM)
    return CaseReport(**kw)


def make_case(mechanism, by=None, confirmed=True, **kw):
    return report_case(mechanism, make_report(mechanism, **kw), by=by, confirmed=confirmed)
