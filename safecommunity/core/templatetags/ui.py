"""Template helpers for the Bootstrap layout."""

from datetime import date, datetime

from django import forms, template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def bs(field, size=""):
    """Render a bound form field with the Bootstrap class its widget needs."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput,)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        css = ""
    else:
        css = "form-control"
    if size and css in ("form-control", "form-select"):
        css += f" {css}-{size}"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def percent(part, whole, digits=0):
    try:
        return f"{100 * float(part) / float(whole):.{int(digits)}f}%"
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"


@register.filter
def cell(value):
    """How a value shows in a table cell: dates as 2026-03-05, times as 2026-03-05 14:20 (local)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def may_open(url, user):
    """`{% if url|may_open:user %}`: the linked view's own role check (core.permissions.may_open_url)."""
    from safecommunity.core.permissions import may_open_url

    return may_open_url(user, str(url))
