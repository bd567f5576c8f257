"""Safe YAML loading that remembers the line of every mapping and key, for error messages."""

import re

import yaml
from django.utils.translation import gettext as _


class FileError(Exception):
    """A mechanism file is refused: the line (1-based, or None for the whole file) and the reason."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self):
        if self.line is None:
            return str(self.message)
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class LineDict(dict):
    line = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise FileError(line, _("the key %(key)s appears twice") % {"key": key})
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise FileError(node.start_mark.line + 1, _("%(value)s is not a real date") % {"value": node.value}) from None


def _construct_int(loader, node):
    # YAML 1.1 reads 0351-… style digits with a leading zero as octal and 17:30 as a base-60 number;
    # in this file they are phone numbers, codes and times, so they stay text.
    if ":" in node.value or re.fullmatch(r"0\d+", node.value):
        return loader.construct_scalar(node)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load(text):
    """Parse YAML text into LineDicts and lists; a syntax error becomes a FileError with its line."""
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 -- _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise FileError(line, _("this is not valid YAML (%(problem)s)") % {"problem": error.problem}) from None
    except yaml.YAMLError as error:
        raise FileError(None, _("this is not valid YAML (%(problem)s)") % {"problem": error}) from None
    if not isinstance(document, LineDict):
        raise FileError(1, _("the file must be a mapping with the keys area, mechanism, units and convener_terms"))
    return document
