from collections import OrderedDict

from django.utils.translation import gettext as _

from .registry import menu_items


def navigation(request):
    """The left menu for the signed-in user's role, grouped, and the unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: OrderedDict[str, list] = OrderedDict()
    path = request.path
    for item in menu_items():
        if item.allowed(user):
            url = item.url
            active = url != "/" and path.startswith(url) or url == path
            groups.setdefault(str(item.group) or _("Workspace"), []).append({"item": item, "url": url, "active": active})
    return {
        "menu_groups": groups,
        "unread_notifications": user.notifications.filter(is_read=False).count(),
    }
