"""The directory as open data: Open Referral HSDS 3.0 services (JSON), the same flattened (CSV), and
schema.org JSON-LD for the HTML page. Field meanings are documented in docs/open-data.md."""

import csv
import io
import json
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings

from mechanism.models import ChannelKind, Need, ServedGroup

from .directory import areas_served, units_of

# Stable identifiers: the same channel keeps its id across exports (HSDS ids are UUIDs).
ID_NAMESPACE = uuid.UUID("0f5c8d2e-6a8b-4c1e-9f3a-7b2d4e6a8c10")
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
SCHEMA_DAYS = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}
CSV_HEADER = [
    "id",
    "name",
    "description",
    "organization_id",
    "organization_name",
    "phone_number",
    "phone_type",
    "email",
    "url",
    "schedule_byday",
    "schedule_opens_at",
    "schedule_closes_at",
    "schedule_description",
    "service_area_names",
    "service_area_extents",
    "eligibility_description",
    "needs",
    "assured_date",
    "last_modified",
]


def channel_id(channel):
    return str(uuid.uuid5(ID_NAMESPACE, f"help-channel:{channel.pk}"))


def unit_id(unit):
    return str(uuid.uuid5(ID_NAMESPACE, f"member-unit:{unit.pk}"))


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _clock(value):
    """HH:MM with the UTC offset of the service's time zone, as HSDS asks: 08:30+08:00."""
    return f"{value:%H:%M}+08:00" if value else None


def _schedule(channel):
    if channel.open_24_hours:
        days = list(range(1, 8)) if not channel.days else channel.days
        return [
            {
                "freq": "WEEKLY",
                "byday": ",".join(BYDAY[day] for day in sorted(days)),
                "opens_at": "00:00+08:00",
                "closes_at": "23:59+08:00",
                "description": channel.hours_text(),
            }
        ]
    if not (channel.days or channel.opens_at or channel.hours_note):
        return []
    return [
        {
            "freq": "WEEKLY",
            "byday": ",".join(BYDAY[day] for day in sorted(channel.days or []) if day in BYDAY),
            "opens_at": _clock(channel.opens_at),
            "closes_at": _clock(channel.closes_at),
            "description": channel.hours_text(),
        }
    ]


def service(channel):
    """One channel as an HSDS 3.0 service with its organization, phones, schedules and service areas."""
    unit = channel.unit
    kind = ChannelKind(channel.kind)
    return {
        "id": channel_id(channel),
        "name": channel.description or f"{unit.short_name} {kind.label}",
        "description": channel.description,
        "organization": {"id": unit_id(unit), "name": unit.name},
        "phones": [{"number": channel.value, "type": "voice"}] if kind == ChannelKind.HOTLINE else [],
        "email": channel.value if kind == ChannelKind.EMAIL else None,
        "url": channel.value if kind == ChannelKind.WEB_FORM else None,
        "schedules": _schedule(channel),
        "service_areas": [
            {"name": area.name, "extent": area.code, "extent_type": "text"} for area in areas_served(channel)
        ],
        "eligibility_description": "、".join(str(label) for label in channel.group_labels()),
        "needs": [{"code": need, "name": str(Need(need).label)} for need in channel.needs or [] if need in Need.values],
        "assured_date": channel.last_verified_on.isoformat() if channel.last_verified_on else None,
        "last_modified": channel.updated_at.astimezone(_tz()).isoformat(timespec="milliseconds"),
    }


def services_page(channels, warnings=()):
    """The list of services in the HSDS 3.0 API page envelope: everything on one page."""
    contents = [service(channel) for channel in channels]
    page = {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
    if warnings:
        page["warnings"] = [str(warning) for warning in warnings]
    return page


def csv_row(record):
    phone = record["phones"][0] if record["phones"] else {}
    schedule = record["schedules"][0] if record["schedules"] else {}
    return [
        record["id"],
        record["name"],
        record["description"],
        record["organization"]["id"],
        record["organization"]["name"],
        phone.get("number", ""),
        phone.get("type", ""),
        record["email"] or "",
        record["url"] or "",
        schedule.get("byday", ""),
        schedule.get("opens_at") or "",
        schedule.get("closes_at") or "",
        schedule.get("description", ""),
        ";".join(area["name"] for area in record["service_areas"]),
        ";".join(area["extent"] for area in record["service_areas"]),
        record["eligibility_description"],
        ";".join(need["code"] for need in record["needs"]),
        record["assured_date"] or "",
        record["last_modified"],
    ]


def services_csv(channels):
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for channel in channels:
        writer.writerow(csv_row(service(channel)))
    return out.getvalue()


# schema.org ----------------------------------------------------------------------------------------


def _contact_point(channel):
    point = {"@type": "ContactPoint", "contactType": channel.description or str(ChannelKind(channel.kind).label)}
    if channel.kind == ChannelKind.HOTLINE:
        point["telephone"] = channel.value
    elif channel.kind == ChannelKind.EMAIL:
        point["email"] = channel.value
    elif channel.kind == ChannelKind.WEB_FORM:
        point["url"] = channel.value
    point["areaServed"] = [{"@type": "AdministrativeArea", "name": area.name} for area in areas_served(channel)]
    hours = {"@type": "OpeningHoursSpecification"}
    days = sorted(channel.days or []) or (list(range(1, 8)) if channel.open_24_hours else [])
    if days:
        hours["dayOfWeek"] = [f"https://schema.org/{SCHEMA_DAYS[day]}" for day in days if day in SCHEMA_DAYS]
    if channel.open_24_hours:
        hours.update(opens="00:00", closes="23:59")
    elif channel.opens_at and channel.closes_at:
        hours.update(opens=f"{channel.opens_at:%H:%M}", closes=f"{channel.closes_at:%H:%M}")
    if len(hours) > 1:
        point["hoursAvailable"] = hours
    if channel.groups and ServedGroup.EVERYONE not in channel.groups:
        point["audience"] = {"@type": "Audience", "audienceType": "、".join(map(str, channel.group_labels()))}
    return point


def json_ld(channels):
    """A `@graph` of GovernmentOrganization entries, one per unit, with a ContactPoint per channel."""
    graph = [
        {
            "@type": "GovernmentOrganization",
            "@id": f"urn:uuid:{unit_id(unit)}",
            "name": unit.name,
            "alternateName": unit.short_name,
            "parentOrganization": {"@type": "GovernmentOrganization", "name": unit.mechanism.name},
            "contactPoint": [_contact_point(channel) for channel in unit_channels],
        }
        for unit, unit_channels in units_of(channels)
    ]
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    # Inside <script>, "</" or "<!--" in data would end or confuse the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
