"""Synthetic people: a pool of persons in need (valid resident ID numbers and mobiles, encrypted once each
with the app's own keys, so the duplicate guard meets the same person again) and the scale users."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from mechanism import personal

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞鑫宇浩然欣怡子涵梓轩雨桐思远佳琪"
MOBILE_PREFIXES = ["133", "135", "136", "137", "138", "139", "150", "151", "153", "158", "159", "177", "180", "186"]
POOL_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    id_number: str  # Fernet token, or "" when the case gives no ID number
    id_hash: str
    phone: str  # Fernet token of the E.164 number
    phone_hash: str


def chinese_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def id_number(rng, area_code):
    """A valid 18-character resident ID number (GB 11643-1999) born in that area between 1940 and 2010."""
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(70 * 365))
    first = f"{area_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first + personal.id_check_character(first)


def mobile(rng):
    return "+86" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def person_pool(rng, size, area_codes, progress=None):
    """Persons drawn once: nine in ten give an ID number, all a mobile; tokens and blind indexes as the app
    writes them (mechanism.personal), so the ORM decrypts them and the guard's hashes match."""
    pool = []
    for _ in range(size):
        number = id_number(rng, rng.choice(area_codes)) if rng.random() < 0.9 else ""
        phone = mobile(rng)
        pool.append(
            Person(
                chinese_name(rng),
                personal.encrypt(number) if number else "",
                personal.blind_index("id", number),
                personal.encrypt(phone),
                personal.blind_index("phone", phone),
            )
        )
        if progress is not None:
            progress(1)
    return pool


def pool_size(cases):
    """Fewer distinct people than cases, so some come back (and meet the duplicate guard)."""
    return max(20, min(POOL_LIMIT, cases // 10))


USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
    "is_staff", "is_active", "date_joined",
]  # fmt: skip


def user_row(user_id, username, rng, joined):
    """An auth user row with an unusable password ("!" + 40 random characters, as make_password(None) gives)."""
    password = "!" + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(40)
    )
    name = chinese_name(rng)
    email = f"{username}@scale.example.org"
    return (user_id, password, None, False, username, name[1:], name[0], email, False, True, joined)


def user_model():
    return get_user_model()
