"""Buttons and links follow the permission rules (core.permissions): never a second copy of a
rule in a template.

    {% load permissions %}
    {% if user|can:"hazards.create" %}<a …>新增</a>{% endif %}
    {% can "hazards.assign" hazard as may_assign %}{% if may_assign %}<button …>{% endif %}
    {% if user|can_open:"accounts:user_list" %}…{% endif %}            (the page's own allowed_roles)
    {% can_open "injuries:source_update" source as ok %}               (… and the record's scope)
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
    return permissions.can(_user(context, user), name, obj)


def _user(context, user):
    if user is not None:
        return user
    request = context.get("request")
    return getattr(request, "user", None) if request is not None else context.get("user")


@register.filter(name="can_open")
def can_open_filter(user, url_name):
    """`user|can_open:"app:url_name"` — the page admits the user's role."""
    return permissions.may_open(user, url_name)


@register.simple_tag(takes_context=True, name="can_open")
def can_open_tag(context, url_name, obj=None, user=None):
    """`{% can_open "app:url_name" obj as ok %}` — the page admits the role and `obj` is in scope."""
    return permissions.may_open(_user(context, user), url_name, obj)
