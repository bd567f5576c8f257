"""Hypothesis strategies for bad input: nasty text, wrong types, missing fields, invalid UTF-8 and NUL bytes.

A mutation starts from a valid payload (a dict of field name -> list of values, as a browser posts it) and
returns a `Post`: either form data for the test client or a raw url-encoded body with bytes no browser sends.
"""

from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

CONTROL = "".join(chr(c) for c in [*range(1, 32), 127, 0x85, 0x200B, 0x200E, 0x200F, 0x202E, 0x2066, 0xFEFF])
RTL = "مرحبا שלום"
EMOJI = "😀👨‍👩‍👧🏳️‍🌈🀄"
CJK = "张三李四救助帮扶衔接机制𠀀𪚥"
ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), st.sampled_from(CONTROL + RTL + EMOJI + CJK)
)

# Text a person or a script might type: anything printable or not, right-to-left, emoji, rare CJK.
nasty_text = st.text(ALPHABET, max_size=60)
# 10k+ characters: over every max_length and every column size.
long_text = st.builds(
    lambda piece, n: (piece or "长") * n, st.text(ALPHABET, min_size=1, max_size=3), st.integers(10_000, 12_000)
)
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", nasty_text, nasty_text)
# Numbers where text is expected, and text where numbers (pks, dates, times) are expected.
numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "-1", "1e309", "NaN", "99999999999999999999", "0x10", "١٢٣"]),
)
wrong_types = st.sampled_from(
    [
        "",
        " ",
        "None",
        "null",
        "true",
        "[]",
        "{}",
        "[1, 2]",
        "2026-02-30",
        "2026-13-01",
        "24:61",
        "9999-12-31T25:00",
        "-",
    ]
)
any_value = st.one_of(nasty_text, long_text, with_nul, numbers, wrong_types)


@dataclass
class Post:
    """What one example sends: `data` for client.post, or a raw `body` posted as form-urlencoded."""

    kind: str
    data: dict | None = None
    body: bytes | None = None
    field: str | None = None

    def describe(self):
        if self.body is not None:
            return f"{self.kind} {self.field}: {self.body[:120]!r}"
        short = {k: [v[:40] if isinstance(v, str) else v for v in vs] for k, vs in (self.data or {}).items()}
        return f"{self.kind} {self.field}: {short}"


def urlencode_bytes(pairs):
    return b"&".join(quote_from_bytes(k.encode()).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs)


def pairs_of(payload):
    return [
        (key, value.encode() if isinstance(value, str) else value)
        for key, values in payload.items()
        for value in values
    ]


@st.composite
def mutations(draw, payload, protected=("csrfmiddlewaretoken",)):
    """One bad variant of `payload` (name -> list of str values)."""
    fields = sorted(key for key in payload if key not in protected) or ["extra"]
    field = draw(st.sampled_from(fields))
    kind = draw(
        st.sampled_from(["value", "long", "nul", "number", "list", "drop", "drop-many", "raw-utf8", "raw-nul", "extra"])
    )
    data = {key: list(values) for key, values in payload.items()}
    if kind == "value":
        data[field] = [draw(st.one_of(nasty_text, wrong_types))]
    elif kind == "long":
        data[field] = [draw(long_text)]
    elif kind == "nul":
        data[field] = [draw(with_nul)]
    elif kind == "number":
        data[field] = [draw(numbers)]
    elif kind == "list":
        data[field] = draw(st.lists(any_value, min_size=2, max_size=4))
    elif kind == "drop":
        data.pop(field, None)
    elif kind == "drop-many":
        for key in draw(st.lists(st.sampled_from(fields), min_size=1, unique=True)):
            data.pop(key, None)
    elif kind == "extra":
        data[draw(nasty_text.filter(bool))] = [draw(any_value)]
    else:
        bad = draw(st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]))
        if kind == "raw-nul":
            bad = b"ab\x00cd"
        pairs = [(key, bad if key == field else value) for key, value in pairs_of(data)]
        return Post(kind, body=urlencode_bytes(pairs), field=field)
    return Post(kind, data=data, field=field)


upload_bytes = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"", b"PK\x03\x04broken zip", b"%PDF-1.4 not really", "编号,姓名\n1,张三\n".encode("gbk")]),
)
