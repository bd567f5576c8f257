"""The shape of the country: areas with GB/T 2260-shaped codes and made-up names, one mechanism per area
(about 1 province : 10 cities : 90 counties), and the member units of every mechanism."""

from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mechanism.models import AreaLevel, QuorumRule, UnitKind

# Real province prefixes first, then other two-digit prefixes; 99 stays free (the benches use 99xx codes).
PROVINCE_PREFIXES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51]
PROVINCE_PREFIXES += [52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
PROVINCE_PREFIXES += [n for n in range(10, 99) if n not in PROVINCE_PREFIXES]
MAX_CHILDREN = 98  # ##01..##98: 99 is left to the benches
SYLLABLES = "安宁华平兴和泰东西南北江山河川云青丰永长清明德阳新昌顺广远福城台林石溪源乐嘉盛鹤凤桂松柏临"
LEVEL_PREFIX = {AreaLevel.PROVINCE: "省", AreaLevel.CITY: "市", AreaLevel.COUNTY: "县"}
G, M, C, S = UnitKind.GOVERNMENT, UnitKind.MASS_ORGANISATION, UnitKind.CHARITY, UnitKind.SOCIAL_ORGANISATION
# (code, full-name suffix, short suffix, kind, hotline): the lead unit first.
UNIT_TEMPLATES = [
    ("mz", "民政局", "民政局", G, "12349"),
    ("zgh", "总工会", "总工会", M, "12351"),
    ("fl", "妇女联合会", "妇联", M, "12338"),
    ("tw", "共青团委员会", "团委", M, "12355"),
    ("cl", "残疾人联合会", "残联", M, "12385"),
    ("csh", "慈善总会", "慈善总会", C, ""),
    ("hsz", "红十字会", "红十字会", S, ""),
    ("rs", "人力资源和社会保障局", "人社局", G, "12333"),
    ("wj", "卫生健康委员会", "卫健委", G, ""),
    ("yb", "医疗保障局", "医保局", G, ""),
    ("jy", "教育局", "教育局", G, ""),
    ("zj", "住房和城乡建设局", "住建局", G, ""),
    ("xczx", "乡村振兴局", "乡村振兴局", G, ""),
    ("jjh", "慈善基金会", "慈善基金会", C, ""),
    ("sg", "社会工作协会", "社工协会", S, ""),
    ("zy", "志愿服务联合会", "志愿者联合会", S, ""),
    ("sf", "司法局", "司法局", G, ""),
    ("gsl", "工商业联合会", "工商联", M, ""),
]
LANDLINE_CODES = ["010", "022", "0311", "0351", "0471", "024", "0431", "0451", "021", "025", "0571", "0551"]
LANDLINE_CODES += ["0591", "0791", "0531", "0371", "027", "0731", "020", "0771", "0898", "023", "028", "0851"]
LANDLINE_CODES += ["0871", "0891", "029", "0931", "0971", "0951", "0991"]


@dataclass
class AreaShape:
    id: int
    code: str
    name: str
    level: str
    parent: "AreaShape | None"
    children: list = field(default_factory=list)

    def descendants(self):
        """This area and every area below it."""
        found = [self]
        for child in self.children:
            found.extend(child.descendants())
        return found


@dataclass
class UnitShape:
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    is_lead: bool
    hotline: str
    liaison_id: int = 0


@dataclass
class MechanismShape:
    id: int
    area: AreaShape
    name: str
    parent: "MechanismShape | None"
    landline_code: str
    units: list = field(default_factory=list)
    case_areas: list = field(default_factory=list)
    quorum_rule: str = QuorumRule.MORE_THAN_HALF
    secretariat_id: int = 0
    supervisor_id: int = 0

    @property
    def lead(self):
        return self.units[0]


def place_name(index, suffix):
    """A made-up two-character place name with its suffix (安宁省, 华平市, 兴和县), stable per index."""
    first, second = divmod(index * 7 + 3, len(SYLLABLES))
    return SYLLABLES[first % len(SYLLABLES)] + SYLLABLES[second] + suffix


def level_counts(mechanisms):
    """(provinces, cities, counties) in the 1 : 10 : 90 shape; every level gets at least one when possible."""
    provinces = max(1, round(mechanisms / 101))
    rest = mechanisms - provinces
    cities = min(rest, max(provinces, round(rest / 10)))
    counties = rest - cities
    if provinces > len(PROVINCE_PREFIXES) or cities > provinces * MAX_CHILDREN or counties > cities * MAX_CHILDREN:
        raise CommandError(_("%(count)s mechanisms do not fit the area codes.") % {"count": mechanisms})
    return provinces, cities, counties


def build_areas(mechanisms, first_id, taken_codes):
    """The area tree (provinces, cities, counties), one area per mechanism, skipping codes already in use."""
    provinces, cities, counties = level_counts(mechanisms)
    ids = iter(range(first_id, first_id + 10**9))
    prefixes = [p for p in PROVINCE_PREFIXES if f"{p}0000" not in taken_codes][:provinces]
    tops = [
        AreaShape(next(ids), f"{p}0000", place_name(n, "省"), AreaLevel.PROVINCE, None) for n, p in enumerate(prefixes)
    ]
    mids = _children(tops, cities, AreaLevel.CITY, "市", ids, taken_codes)
    _children(mids or tops, counties, AreaLevel.COUNTY, "县", ids, taken_codes)
    return [area for top in tops for area in top.descendants()]


def _children(parents, count, level, suffix, ids, taken_codes):
    made = []
    for n in range(count):
        parent = parents[n % len(parents)]
        number = len(parent.children) + 1
        code = _child_code(parent, level, number)
        while code in taken_codes:
            number += 1
            code = _child_code(parent, level, number)
        if number > MAX_CHILDREN:
            raise CommandError(_("Too many areas under %(code)s.") % {"code": parent.code})
        area = AreaShape(next(ids), code, place_name(int(code) // 7 + n, suffix), level, parent)
        parent.children.append(area)
        made.append(area)
    return made


def _child_code(parent, level, number):
    if level == AreaLevel.CITY:
        return f"{parent.code[:2]}{number:02d}00"
    return f"{parent.code[:4]}{number:02d}" if parent.level == AreaLevel.CITY else f"{parent.code[:2]}90{number:02d}"


def build_mechanisms(areas, first_id):
    """One mechanism per area, parents first; its parent is the mechanism of the parent area."""
    by_area, made = {}, []
    prefixes = {}
    for offset, area in enumerate(areas):
        parent = by_area.get(area.parent.id) if area.parent else None
        province = area.code[:2]
        landline = prefixes.setdefault(province, LANDLINE_CODES[len(prefixes) % len(LANDLINE_CODES)])
        name = f"{area.name}政府救助与慈善帮扶工作衔接机制"
        mechanism = MechanismShape(first_id + offset, area, name, parent, landline)
        counties = [place for place in area.descendants() if place.level == AreaLevel.COUNTY]
        mechanism.case_areas = counties or [area]
        by_area[area.id] = mechanism
        made.append(mechanism)
    return made


def unit_counts(mechanisms, units, rng):
    """How many units each mechanism has: an even share, the remainder to random mechanisms; at least two."""
    if units < 2 * mechanisms:
        raise CommandError(_("Give at least two units per mechanism."))
    counts = [units // mechanisms] * mechanisms
    for index in rng.sample(range(mechanisms), units % mechanisms):
        counts[index] += 1
    return counts


def build_units(mechanism, count, first_id):
    """The lead civil-affairs unit, mass organisations, charities and departments, by the templates in order."""
    level = LEVEL_PREFIX[mechanism.area.level]
    for n in range(count):
        if n < len(UNIT_TEMPLATES):
            code, suffix, short, kind, hotline = UNIT_TEMPLATES[n]
            if kind == G and mechanism.area.level == AreaLevel.PROVINCE:
                suffix, short = suffix.replace("局", "厅"), short.replace("局", "厅")
        else:
            extra = n - len(UNIT_TEMPLATES) + 1
            code, suffix, short, kind, hotline = f"ax{extra}", f"爱心帮扶基金会（第{extra}）", f"爱心基金{extra}", C, ""
        unit = UnitShape(first_id + n, code, mechanism.area.name + suffix, level + short, kind, n == 0, hotline)
        mechanism.units.append(unit)
    return mechanism.units
