"""A fixed sweep next to the random fuzz: each field of a form gets each edge value once (huge and negative
numbers, a NUL byte, 12,000 characters, empty, missing), so a few examples per action still reach every field."""

from tests import guarantees

from .harness import rolled_back
from .strategies import Post

EDGES = ("99999999999999999999", "-1", "a\x00b", "长" * 12_000, "", "2026-02-30")


def sweep(case, url, payload, subject, protected=("csrfmiddlewaretoken",)):
    """Post every edge value to every field of `payload` (and each field left out) through `case.check_one`."""
    inputs = 0
    for field in [key for key in payload if key not in protected]:
        variants = [{**payload, field: [value]} for value in EDGES]
        variants.append({key: values for key, values in payload.items() if key != field})
        for data in variants:
            with rolled_back():
                case.check_one(url, Post("sweep", data=data, field=field))
                inputs += 1
    guarantees.add("fuzz", "inputs", inputs, subject=subject)
    guarantees.add("fuzz", "5xx", 0, subject=subject)
    guarantees.add("fuzz", "half-saved", 0, subject=subject)
    return inputs
