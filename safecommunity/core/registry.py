"""Discovery of what each app contributes, so that apps never edit each other's files.

An app `safecommunity.<app>` may define any of these modules:
- `menu.py`:  `MENU = [MenuItem(...), ...]` — entries of the left menu, by role.
- `api.py`:   `def register(router)` — its viewsets under /api/v1/.
- `demo.py`:  `def build(*, stdout)` — idempotent demo data, run by `safecommunity demo`
              after the divisions, code lists and demo users exist; `ORDER = <int>` sorts.
- `panels.py`: `def home_panels(request) -> list[dict]` — blocks for the role's home page,
              each `{"template": "...", "context": {...}, "order": int}`; with
              `DEPENDS_ON = ("app.Model", ...)` (every model whose table it reads) the blocks
              are kept per user in the figures cache like the to-do items (`home_panels`).
- `unit_panels.py`: `def unit_panels(request, org_unit, creating_unit) -> list[dict]` — blocks
              on an org unit's page (city, district or creating unit), same shape. The
              creating_unit argument is None for a city or district; fetch through visible_to.
- `project_panels.py`: `def project_panels(request, project) -> list[dict]` — blocks on a safety
              promotion project's page, same shape (e.g. the resident survey's figure for an
              indicator the project measures by survey).
- `todos.py`: `def todos(user) -> list[core.todos.Todo]` — what in this app waits on the user
              (the 待办 inbox and its count in the top bar); scoped with visible_to, a few queries;
              `DEPENDS_ON = ("app.Model", ...)`: every model whose table `todos` reads. The count
              shows on every page, so each app's items are kept per user in the figures cache
              until one of those models changes (or TODOS_CACHE_SECONDS pass: deadlines fall
              due with time, not writes); tests/test_todos_cache.py checks the list is whole.
- `jobs.py`: `@core.jobs.job_kind("app.verb")` functions — long work run on a worker with progress
              (see core/jobs.py); imported by `core.jobs.kinds()`.
- `evidence.py`: `def evidence(*, creating_unit, element, year=None) -> list[dict]` — what the app
              holds for a creating unit under AQ/T 9001 element "E01".."E12":
              `[{"label": str, "value": str | None, "url": str | None}]` (collected by
              `evidence_for`; the caller has checked the reader may see the unit).
"""

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import module_has_submodule


@lru_cache(maxsize=1024)
def _reverse(url_name: str, urlconf, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def reverse_name(url_name: str) -> str:
    """`reverse(url_name)` of a URL without arguments, worked out once per URL configuration: a
    scorecard page links each of its hundreds of figures to a list, and menus link every page."""
    return _reverse(url_name, get_urlconf(), get_script_prefix())


def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


setting_changed.connect(_urls_changed, dispatch_uid="registry.reverse_name")


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = "circle"
    roles: frozenset = field(default_factory=frozenset)  # empty: every role
    group: str = ""
    order: int = 100

    def allowed(self, user) -> bool:
        if not self.roles:
            return True
        return user.is_superuser or getattr(user, "role", None) in self.roles

    @property
    def url(self) -> str:
        try:
            return reverse_name(self.url_name)
        except NoReverseMatch:
            return "#"


def our_app_configs():
    return [c for c in apps.get_app_configs() if c.name.startswith("safecommunity.")]


@cache
def contributions(module_name: str) -> list:
    """The `module_name` submodule of every one of our apps that has one, in app order."""
    found = []
    for config in our_app_configs():
        if module_has_submodule(config.module, module_name):
            found.append(import_module(f"{config.name}.{module_name}"))
    return found


def menu_items() -> list[MenuItem]:
    items = [item for module in contributions("menu") for item in getattr(module, "MENU", [])]
    return sorted(items, key=lambda i: i.order)


def panels_for(module_name: str, *args) -> list[dict]:
    """The blocks every app's `module_name` module contributes (`unit_panels`, `project_panels`:
    the function of the module's own name, called with `args`), sorted by their order."""
    panels = []
    for module in contributions(module_name):
        panels.extend(getattr(module, module_name)(*args) or [])
    return sorted(panels, key=lambda p: p.get("order", 100))


def todos_for(user) -> list:
    """Everything waiting on `user`, from every app's `todos.py`: overdue first, then by deadline
    (items without a deadline last), then by kind. Keys are unique (the first app's item wins).
    The cached lists of all apps are read from the cache together (two round trips)."""
    if user is None or not user.is_authenticated:
        return []
    from .figures_cache import cached_figures_many

    modules = [m for m in contributions("todos") if getattr(m, "todos", None) is not None]
    asks = [_todos_ask(m, user) for m in modules]
    cached = iter(cached_figures_many([a for a in asks if a is not None]))
    seen, items = set(), []
    for module, ask in zip(modules, asks, strict=True):
        for item in (next(cached) if ask is not None else list(module.todos(user) or [])):
            if item.key and item.key in seen:
                continue
            seen.add(item.key)
            items.append(item)
    return sorted(items, key=lambda t: (not t.overdue, t.deadline is None, t.deadline or 0, str(t.kind), t.title))


def _todos_ask(module, user) -> dict | None:
    """How one app's to-do list of `user` is kept in the figures cache (None: it is not kept)."""
    seconds = getattr(settings, "TODOS_CACHE_SECONDS", 0)
    depends_on = getattr(module, "DEPENDS_ON", None)
    if not seconds or not depends_on:
        return None
    from .figures_cache import user_node

    collect = module.todos
    return {"name": f"todos.{module.__name__}", "scope": _per_user_scope(user), "depends_on": tuple(depends_on),
            "node": user_node(user), "compute": lambda: list(collect(user) or []), "timeout": seconds}


def app_todos(module, user) -> list:
    """One app's to-do items for `user`: from the figures cache while none of the models in the
    module's DEPENDS_ON changed, for at most TODOS_CACHE_SECONDS (0: computed every time)."""
    collect = getattr(module, "todos", None)  # core/todos.py itself defines only the Todo
    if collect is None:
        return []
    ask = _todos_ask(module, user)
    if ask is None:
        return list(collect(user) or [])
    from .figures_cache import cached_figures

    return cached_figures(**ask)


def _per_user_scope(user) -> str:
    """What a user's own cached items depend on besides the data: the user, its placement and
    rights, the day (what is overdue, this month) and the language of the titles."""
    from django.utils import timezone
    from django.utils.translation import get_language

    from .figures_cache import scope_key

    return f"{user.pk}:{int(user.is_superuser)}:{scope_key(user)}:{timezone.localdate()}:{get_language()}"


def home_panels(request) -> list[dict]:
    """Every app's home blocks for the signed-in user, in their order. A `panels.py` with
    DEPENDS_ON has its blocks kept per user in the figures cache like the to-do items, while none
    of those models changed (for at most TODOS_CACHE_SECONDS); the kept ones are read together."""
    from .figures_cache import cached_figures_many, user_node

    user = request.user
    seconds = getattr(settings, "TODOS_CACHE_SECONDS", 0)
    modules = contributions("panels")
    asks = []
    for module in modules:
        depends_on = getattr(module, "DEPENDS_ON", None)
        asks.append({"name": f"panels.{module.__name__}", "scope": _per_user_scope(user),
                     "depends_on": tuple(depends_on), "node": user_node(user), "timeout": seconds,
                     "compute": (lambda m=module: list(m.home_panels(request) or []))}
                    if seconds and depends_on else None)
    kept = iter(cached_figures_many([a for a in asks if a is not None]))
    panels = []
    for module, ask in zip(modules, asks, strict=True):
        panels.extend(next(kept) if ask is not None else (module.home_panels(request) or []))
    return sorted(panels, key=lambda p: p.get("order", 100))


def request_todos(request) -> list:
    """`todos_for(request.user)`, computed once per request (the top bar's badge and the inbox)."""
    if not hasattr(request, "_sc_todos"):
        request._sc_todos = todos_for(getattr(request, "user", None))
    return request._sc_todos


def evidence_for(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    """Every app's evidence for `creating_unit` under `element`, in app order; each dict also
    names its app (`app`: the app label)."""
    found = []
    for module in contributions("evidence"):
        app = module.__name__.split(".")[-2]
        for row in module.evidence(creating_unit=creating_unit, element=element, year=year):
            found.append({"label": row["label"], "value": row.get("value"), "url": row.get("url"), "app": app})
    return found
