"""Sections a higher layer adds to the mechanism file, so that `mechanism` never imports it.

`rotation` registers its `rotation:` section when the app is ready. The importer calls each registered
section's `read(importer, item, mechanism, units)` inside the import transaction, after the units and the
convener terms, when the file has the section (`item` is its mapping, `units` the file's units by code);
the exporter writes what `write(mechanism)` returns, and leaves the section out when it returns None.
A reader raises FileError to refuse the whole file and may use the importer's `upsert`, `validate`, `user`
and `file_terms` (the starts of the file's convener_terms -> their units).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    read: Callable
    write: Callable


_sections = {}


def register(name, read, write):
    """Add (or replace, on a second registration) the top-level section `name`."""
    _sections[name] = Section(name, read, write)


def registered():
    """The registered sections, in the order they were first registered."""
    return list(_sections.values())
