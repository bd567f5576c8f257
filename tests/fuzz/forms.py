"""The POST forms of a rendered page and the payload a browser would send for each, to start fuzzing from."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    payload: dict = field(default_factory=dict)  # name -> list of values
    multipart: bool = False
    files: list = field(default_factory=list)

    def add(self, name, value):
        self.payload.setdefault(name, []).append(value)


class _FormParser(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.form, self.select, self.textarea = url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                enctype = attrs.get("enctype", "")
                self.form = PageForm(attrs.get("action") or self.url, multipart="multipart" in enctype)
                self.forms.append(self.form)
            return
        if self.form is None or "name" not in attrs or "disabled" in attrs:
            if tag == "option" and self.select is not None:
                self._option(attrs)
            return
        name, kind = attrs["name"], (attrs.get("type") or "text").lower()
        if tag == "input":
            if kind == "file":
                self.form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form.add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                self.form.add(name, attrs.get("value", ""))
        elif tag == "select":
            self.select = {"name": name, "chosen": None, "first": None, "multiple": "multiple" in attrs}
        elif tag == "textarea":
            self.textarea = {"name": name, "text": ""}

    def _option(self, attrs):
        value = attrs.get("value", "")
        if "selected" in attrs and (self.select["chosen"] is None or self.select["multiple"]):
            self.select["chosen"] = (self.select["chosen"] or []) + [value]
        if self.select["first"] is None and value:
            self.select["first"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            values = self.select["chosen"] or ([self.select["first"]] if self.select["first"] else [""])
            if self.form is not None:
                for value in values:
                    self.form.add(self.select["name"], value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.form is not None:
                self.form.add(self.textarea["name"], self.textarea["text"].removeprefix("\n"))
            self.textarea = None


def post_forms(html, url):
    """Every method=post form of the page, with the values its fields start with."""
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms
