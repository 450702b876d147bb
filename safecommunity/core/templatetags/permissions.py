"""Buttons and links follow the permission rules (core.permissions): never a second copy of a
rule in a template.

    {% load permissions %}
    {% if user|can:"hazards.create" %}<a …>新增</a>{% endif %}
    {% can "hazards.assign" hazard as may_assign %}{% if may_assign %}<button …>{% endif %}
"""

from django import template

from safecommunity.core import permissions

register = template.Library()


@register.filter(name="can")
def can_filter(user, name):
    """`user|can:"app.rule"` — the role rule, no object."""
    return permissions.can(user, name)


@register.simple_tag(takes_context=True, name="can")
def can_tag(context, name, obj=None, user=None):
    """`{% can "app.rule" obj as ok %}` — the rule for the request's user (or `user=`) on `obj`."""
    if user is None:
        request = context.get("request")
        user = getattr(request, "user", None) if request is not None else context.get("user")
    return permissions.can(user, name, obj)
