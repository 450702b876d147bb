"""No path arithmetic outside core/scoping.py (docs/DEVELOPING.md, "Scoping"). The org-unit tree's
materialized paths ("/500000/500103/500103003/") are read by core.scoping's helpers only —
`user_path`, `area_path`, `within_q`, `ScopedQuerySet.under`, `is_within`, `path_codes`,
`child_path`. Read from the source with `ast`, nothing imported: every module under
safecommunity/ (tests and migrations aside) fails, naming file and line, on
- `scope_path` (the User property core.scoping.user_path replaced) anywhere: a name, an
  attribute, an argument, a string;
- a lookup comparing an org-unit path: `path__startswith` (`__istartswith`, `__endswith`,
  `__contains`, `__regex`), also built in an f-string (`f"{field}__path__startswith"`,
  `f"{self.x_path_field}__startswith"`);
- string surgery on a path: `.startswith`, `.split`, `.strip`, `.partition`, `.count`… called on
  or with one (`unit.path`, a name `path` or `…_path`, `row["org_unit__path"]`), `in` against one,
  or a slice of one.
A URL path (`request.path`, `urlsplit(…).path`, a name assigned from one) and a file path
(`os.path`) are not org-unit paths. Docstrings are prose and are not read."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # safecommunity/
HOME = "core/scoping.py"
# (module, function): why it may still read paths itself. Each must exist (see the last test).
ALLOWED = {
    ("core/figures_cache.py", "common_node"): "the figures cache's own version keys per subtree (issue 20)",
    ("core/figures_cache.py", "_ancestors"): "the figures cache's own version keys per subtree (issue 20)",
}

STRING_OPS = {"startswith", "endswith", "split", "rsplit", "strip", "lstrip", "rstrip", "partition", "rpartition",
              "removeprefix", "removesuffix", "find", "rfind", "index", "rindex", "count"}
LOOKUP = re.compile(r"path\w*\}?__i?(startswith|endswith|contains|regex)\b")
URL_SOURCES = re.compile(r"\brequest\b|urlsplit|urlparse|get_full_path|\bos\b|posixpath")


def _url_names(tree) -> set[str]:
    """Names assigned from a request, a parsed URL or os.path anywhere in the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and URL_SOURCES.search(ast.unparse(node.value)):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _rendered(node) -> str:
    """A string constant's text, or an f-string's with each value as {its source}."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    return "".join(v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
                   for v in node.values)


class _Finder(ast.NodeVisitor):
    def __init__(self, url_names: set[str]):
        self.url_names = url_names
        self.functions: list[str] = []
        self.where: list[tuple[int, str, tuple[str, ...]]] = []

    def hit(self, node, what: str) -> None:
        self.where.append((node.lineno, what, tuple(self.functions)))

    def is_url(self, node) -> bool:
        if isinstance(node, ast.Name) and node.id in self.url_names:
            return True
        return bool(URL_SOURCES.search(ast.unparse(node)))

    def is_tree_path(self, node) -> bool:
        """Whether `node` evaluates to an org-unit path (or a piece cut from one)."""
        if isinstance(node, ast.Attribute):
            return node.attr == "path" and not self.is_url(node.value)
        if isinstance(node, ast.Name):
            return (node.id == "path" or node.id.endswith("_path")) and not self.is_url(node)
        if isinstance(node, ast.Subscript):
            key = node.slice
            keyed = isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.endswith("path")
            return keyed or self.is_tree_path(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STRING_OPS:
            return self.is_tree_path(node.func.value)
        return False

    def visit_FunctionDef(self, node):
        if "scope_path" in node.name:
            self.hit(node, "scope_path")
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if "scope_path" in arg.arg:
                self.hit(arg, "scope_path")
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Expr(self, node):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring: prose
        self.generic_visit(node)

    def visit_Name(self, node):
        if "scope_path" in node.id:
            self.hit(node, "scope_path")

    def visit_Attribute(self, node):
        if "scope_path" in node.attr:
            self.hit(node, "scope_path")
        self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg and ("scope_path" in node.arg or LOOKUP.search(node.arg)):
            self.hit(node.value, f"the lookup {node.arg}" if LOOKUP.search(node.arg) else "scope_path")
        self.generic_visit(node)

    def visit_Constant(self, node):
        text = _rendered(node)
        if "scope_path" in text:
            self.hit(node, "scope_path")
        elif LOOKUP.search(text):
            self.hit(node, f"the lookup {text!r}")

    def visit_JoinedStr(self, node):
        text = _rendered(node)
        if "scope_path" in text:
            self.hit(node, "scope_path")
        elif LOOKUP.search(text):
            self.hit(node, f"the lookup {text!r}")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in STRING_OPS and (
                self.is_tree_path(func.value) or any(self.is_tree_path(a) for a in node.args)):
            self.hit(node, f".{func.attr}() on an org-unit path")
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.slice, ast.Slice) and self.is_tree_path(node.value):
            self.hit(node, "a slice of an org-unit path")
        self.generic_visit(node)

    def visit_Compare(self, node):
        if any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and any(
                self.is_tree_path(c) for c in node.comparators):
            self.hit(node, "`in` an org-unit path")
        self.generic_visit(node)


def path_arithmetic(source: str, rel: str = "") -> list[str]:
    """"line: what" for each piece of path arithmetic in `source` (the module at `rel`, whose
    ALLOWED functions are passed over)."""
    tree = ast.parse(source)
    finder = _Finder(_url_names(tree))
    finder.visit(tree)
    lines = {}
    for line, what, functions in finder.where:
        if any((rel, f) in ALLOWED for f in functions):
            continue
        lines.setdefault(line, what)
    return [f"{line}: {what}" for line, what in sorted(lines.items())]


def modules(root: Path = PACKAGE):
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = rel.split("/")
        if rel == HOME or "tests" in parts or "migrations" in parts or parts[-1].startswith("test_"):
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_no_path_arithmetic_outside_core_scoping():
    found = [f"safecommunity/{rel}:{hit}" for rel, source in modules() for hit in path_arithmetic(source, rel)]
    assert not found, ("Path arithmetic outside core/scoping.py — use its helpers (user_path, within_q, "
                       "under, is_within, path_codes; docs/DEVELOPING.md, Scoping):\n" + "\n".join(found))


@pytest.mark.parametrize("snippet", [
    "x = user.scope_path",
    "def f(*, scope_path): pass",
    "Analyser(scope_path=p)",
    "qs.filter(org_unit__path__startswith=unit.path)",
    "qs.filter(path__istartswith=p)",
    'qs.filter(**{f"{field}__path__startswith": unit.path})',
    'qs.filter(**{f"{self.district_path_field}__startswith": unit.path})',
    "ok = unit.path.startswith(district.path)",
    "ok = path.startswith(scope)",
    "ok = area.startswith(unit.path)",
    'codes = unit.path.strip("/").split("/")',
    'code = c.org_unit.path.split("/")[2]',
    'key = row["org_unit__path"].strip("/")',
    "head = unit.path[:8]",
    "depth = unit.path.count('/')",
    "ok = code in unit.path",
    'def f(p):\n    """prose"""\n    return p.path.rsplit("/", 2)',
])
def test_the_guard_sees_each_kind(snippet):
    assert path_arithmetic(snippet), snippet


@pytest.mark.parametrize("snippet", [
    'ok = request.path.startswith("/api/")',
    'bad = "\\x00" in request.path or self.request.path[:4] == "/api"',
    'path = request.path\nok = path.startswith(entry["url"])',
    'parts = urlsplit(url)\nok = parts.path.startswith("/")',
    "name = os.path.basename(f)",
    'qs.filter(Q(org_unit__code__startswith=value) | Q(name__icontains=value))',
    'qs.filter(**{f"{self.unit_path}__code__startswith": value})',
    'rows = qs.values_list("org_unit__path")',
    "qs.filter(within_q('org_unit', unit)).under(district.path)",
    '"""Never path__startswith by hand, nor scope_path."""',
])
def test_the_guard_leaves_other_paths_alone(snippet):
    assert not path_arithmetic(snippet), snippet


def test_the_guard_honours_allowed_functions_only_there():
    source = 'def _ancestors(path):\n    return path.strip("/").split("/")\n'
    assert not path_arithmetic(source, "core/figures_cache.py")
    assert path_arithmetic(source, "core/other.py")


def test_each_allowed_place_still_exists():
    for module, function in ALLOWED:
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        assert function in names, f"{module}: {function} is gone; drop it from ALLOWED"
