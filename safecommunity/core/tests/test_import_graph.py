"""The import structure of the apps (docs/DEVELOPING.md, "Imports"): read from the source with
`ast`, nothing imported. An app never imports another app's views (core's generic views aside)
nor a private (underscore) name of another app; an app's API never imports its own views; and
no two apps depend on each other, directly or around a longer loop — counting imports inside
functions and `apps.get_model("app", …)` with a literal app label as dependencies too (a model
core or archive must reach without importing its app is named in settings, as AUTH_USER_MODEL)."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # safecommunity/
SHARED_VIEWS = {"core", "records"}  # the generic views apps build on: core.views, records.views (unit records)


def apps_of(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def modules(root: Path):
    """(app, path relative to root, source) of every module of an app, tests and migrations aside."""
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        yield parts[0], "/".join(parts), path.read_text(encoding="utf-8")


def references(rel: str, source: str):
    """(app, module path below it, imported names, line) for each import of a package module in
    `source` (the module at `rel`; relative imports resolved), and for each
    `get_model("label", …)` / `get_model("label.Model")`."""
    package = rel.removesuffix(".py").split("/")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            elif (node.module or "").startswith("safecommunity."):
                parts = node.module.split(".")[1:]
            else:
                continue
            if parts:
                yield parts[0], parts[1:], [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "safecommunity" and len(parts) > 1:
                    yield parts[1], parts[2:], [], node.lineno
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "get_model"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.args[0].value.split(".")[0], ["models"], [], node.lineno


def findings(root: Path = PACKAGE):
    """(views imports, private-name imports, the app dependency graph {app: {other: [where]}})."""
    apps = apps_of(root)
    views, private = [], []
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app, rel, source in modules(root):
        for other, path, names, line in references(rel, source):
            where = f"{rel}:{line}"
            if other not in apps:
                continue
            if other == app:
                if rel.endswith("/api.py") and (path[:1] == ["views"] or (not path and "views" in names)):
                    views.append(f"{where}: the API imports its app's views")
                continue
            graph[app][other].append(where)
            if other not in SHARED_VIEWS and (path[:1] == ["views"] or (not path and "views" in names)
                                              or any(p.startswith("views_") for p in path[:1])):
                views.append(f"{where}: imports {other}.views")
            hidden = [n for n in [*path, *names] if n.startswith("_") and not n.startswith("__")]
            if hidden:
                private.append(f"{where}: imports {other}'s private {', '.join(hidden)}")
    return views, private, graph


def cycles(graph) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def describe(graph, group: list[str]) -> str:
    lines = [" ↔ ".join(group)]
    for a in group:
        for b in group:
            if b in graph.get(a, {}):
                lines.append(f"  {a} → {b}: {', '.join(graph[a][b][:3])}")
    return "\n".join(lines)


def test_no_app_imports_another_apps_views():
    views, _private, _graph = findings()
    assert views == []


def test_no_app_imports_another_apps_private_names():
    _views, private, _graph = findings()
    assert private == []


def test_no_import_cycle_between_apps():
    _views, _private, graph = findings()
    assert [describe(graph, g) for g in cycles(graph)] == []


def test_the_checks_find_what_they_look_for(tmp_path):
    """The rules above on a made-up tree: each kind of fault is found and named."""
    files = {
        "alpha/__init__.py": "",
        "alpha/models.py": "from safecommunity.beta.services import thing\n",
        "alpha/api.py": "from .views import helper\n",
        "alpha/views.py": "def helper(): ...\n",
        "alpha/tests/__init__.py": "",
        "alpha/tests/test_x.py": "from safecommunity.gamma.views import anything\n",  # tests are not counted
        "beta/__init__.py": "",
        "beta/services.py": ("def f():\n    from safecommunity.gamma.views import page\n"
                             "    from safecommunity.gamma.rules import _secret\n"),
        "gamma/__init__.py": "",
        "gamma/views.py": "",
        "gamma/rules.py": "from django.apps import apps\nM = apps.get_model('alpha', 'Thing')\n",
        "core/__init__.py": "",
        "core/views.py": "",
        "gamma/selectors.py": "from safecommunity.core.views import ScopedListView\n",  # allowed
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    views, private, graph = findings(tmp_path)
    assert views == ["alpha/api.py:1: the API imports its app's views", "beta/services.py:2: imports gamma.views"]
    assert private == ["beta/services.py:3: imports gamma's private _secret"]
    assert cycles(graph) == [["alpha", "beta", "gamma"]]
    assert "gamma → alpha: gamma/rules.py:2" in describe(graph, cycles(graph)[0])
