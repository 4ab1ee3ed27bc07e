"""What a browser would submit: the named controls of a rendered <form>, with the values
they show. Tests post these back to check that a form re-saved unchanged changes nothing."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in _SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value", "on")))
                return
            self.values.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "chosen": [],
                "first": None,
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "text": "",
                "selected": "selected" in attrs,
            }
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value = self._option["value"]
            value = self._option["text"].strip() if value is None else value
            if self._select["first"] is None:
                self._select["first"] = value
            if self._option["selected"]:
                self._select["chosen"].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"]:
                chosen = [self._select["first"] or ""]
            self.values.extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline that HTML drops after <textarea>.
            self.values.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_values(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The controls of the form (the first, or the one with this id) as post data."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, str | list[str]] = {}
    for name, value in reader.values:
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data
