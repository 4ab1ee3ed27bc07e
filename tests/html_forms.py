"""The forms of a page as a browser would submit them, read with the standard library's
HTML parser: each form's method, action and fields with their current values (a select's
chosen option, or its first; a checked box; a textarea's text), for tests that post what a
user would post."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Field:
    name: str
    tag: str  # input, select, textarea
    type: str = "text"  # the input's type; "select" / "textarea" for those
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)  # a select's chosen options
    multiple: bool = False
    checked: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    method: str
    action: str
    attrs: dict[str, str]
    fields: list[Field] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted as it stands."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.type in ("submit", "button", "reset", "image", "file"):
                continue
            if f.type in ("checkbox", "radio") and not f.checked:
                continue
            if f.tag == "select":
                if f.multiple:
                    data.setdefault(f.name, []).extend(f.selected)
                    continue
                chosen = f.value if f.value else (f.options[0] if f.options else "")
                data.setdefault(f.name, []).append(chosen)
                continue
            data.setdefault(f.name, []).append(f.value)
        return data

    def names(self, *types: str) -> list[str]:
        return [f.name for f in self.fields if not types or f.type in types]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(), action=a.get("action", ""), attrs=a
            )
            self.forms.append(self._form)
            return
        if self._form is None or tag not in ("input", "select", "textarea", "option", "button"):
            return
        name = a.get("name")
        if tag == "input" and name:
            self._form.fields.append(
                Field(
                    name=name,
                    tag="input",
                    type=a.get("type", "text").lower(),
                    value=a.get("value", "on" if a.get("type") in ("checkbox", "radio") else ""),
                    checked="checked" in a,
                    attrs=a,
                )
            )
        elif tag == "button" and name:
            self._form.fields.append(Field(name=name, tag="button", type="submit", attrs=a))
        elif tag == "select" and name:
            self._select = Field(
                name=name, tag="select", type="select", multiple="multiple" in a, attrs=a
            )
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea = Field(name=name, tag="textarea", type="textarea", attrs=a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is None and self._select is not None and hasattr(self, "_option_text"):
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else self._option_text.strip()
            self._select.options.append(value)
            if self._option_selected:
                self._select.selected.append(value)
            if self._option_selected and not self._select.value:
                self._select.value = value
            self._option = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "option":
            self.handle_endtag(tag)


def forms_of(html: str, page_url: str = "") -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    for form in parser.forms:
        form.action = urljoin(page_url, form.action or page_url)
    return parser.forms


def form_values(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The controls of the form (the first, or the one with this id) as post data."""
    forms = forms_of(html)
    form = next(f for f in forms if form_id is None or f.attrs.get("id") == form_id)
    return {name: values[0] if len(values) == 1 else values for name, values in form.data().items()}
