from collections import OrderedDict

from django.utils.translation import gettext as _

from .registry import menu_items, request_todos


def navigation(request):
    """The left menu for the signed-in user's role, grouped, the unread notification count and the
    number of to-do items (待办)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: OrderedDict[str, list] = OrderedDict()
    path = request.path
    entries = [{"item": item, "url": item.url, "active": False} for item in menu_items() if item.allowed(user)]
    # The active entry is the one whose link is the longest prefix of the current path.
    matches = [e for e in entries if e["url"] == path or (e["url"] not in ("/", "#") and path.startswith(e["url"]))]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    for entry in entries:
        groups.setdefault(str(entry["item"].group) or _("Workspace"), []).append(entry)
    return {
        "menu_groups": groups,
        "unread_notifications": user.notifications.filter(is_read=False).count(),
        # A callable: counted only on pages that show the top bar, once per request.
        "todo_count": lambda: len(request_todos(request)),
    }
