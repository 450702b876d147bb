"""Make method-based ModelChoiceFilters document themselves as strings in the OpenAPI schema
(drf-spectacular cannot guess their type): use core.filters.CodeChoiceFilter instead.

    python scripts/fix_filter_schema.py safecommunity/<app>/filters.py ...
"""

import re
import sys
from pathlib import Path

IMPORT = "from safecommunity.core.filters import CodeChoiceFilter"


def fix(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    out, i, changed = [], 0, False
    for m in re.finditer(r"django_filters\.ModelChoiceFilter\(", text):
        start = m.end()
        depth, j = 1, start
        while depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        if "method=" in text[start:j]:
            out.append(text[i:m.start()] + "CodeChoiceFilter(")
            i = start
            changed = True
    out.append(text[i:])
    text = "".join(out)
    if changed and IMPORT not in text:
        lines = text.split("\n")
        first = next(n for n, line in enumerate(lines) if line.startswith(("from ", "import ")))
        lines.insert(first, IMPORT)  # ruff's isort puts it in place
        text = "\n".join(lines)
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, "fixed" if fix(Path(name)) else "unchanged")
