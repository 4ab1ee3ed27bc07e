"""`{% csrf_token %}` that also writes the form's one-time token (core/once.py).

Loaded as a template builtin after Django's own, so it takes the place of Django's tag in
every template, the admin's included."""

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from core.once import FIELD, new_token

register = template.Library()


class CsrfAndOnceNode(CsrfTokenNode):
    def render(self, context: Context) -> str:
        csrf = super().render(context)
        if not csrf:
            return csrf
        return csrf + format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.tag
def csrf_token(parser: Parser, token: Token) -> CsrfAndOnceNode:
    return CsrfAndOnceNode()
