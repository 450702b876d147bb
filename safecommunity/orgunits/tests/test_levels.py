"""The org-unit levels that run creation are written once (core.choices.CREATING_LEVELS); every
other place asks for it or for `OrgUnit.is_creating_level`."""

import ast
from pathlib import Path

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.orgunits.models import OrgUnit

PACKAGE = Path(__file__).resolve().parents[2]  # safecommunity/
NAMES = {"township", "enterprise", "park"}


def test_the_creating_levels_are_org_unit_levels():
    assert set(CREATING_LEVELS) <= set(OrgUnit.Level.values)
    assert {level for level in OrgUnit.Level.values if OrgUnit(level=level).is_creating_level} == set(CREATING_LEVELS)


def _spelt_out(source: str) -> list[int]:
    """Lines of tuple, list and set literals naming all three creating levels (as strings or as
    `Level.TOWNSHIP`-style attributes)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            names |= {e.attr.lower() for e in node.elts if isinstance(e, ast.Attribute)}
            if NAMES <= names:
                lines.append(node.lineno)
    return lines


def test_no_module_spells_the_creating_levels_out_again():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if "migrations" in rel.parts or "tests" in rel.parts or rel.as_posix() == "core/choices.py":
            continue
        found += [f"{rel}:{line}" for line in _spelt_out(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_check_finds_what_it_looks_for():
    assert _spelt_out('A = ("township", "enterprise", "park")\n') == [1]
    assert _spelt_out("B = [\n    Level.DISTRICT, Level.TOWNSHIP, Level.ENTERPRISE, Level.PARK]\n") == [1]
    assert _spelt_out('C = ("enterprise", "park")\n') == []
