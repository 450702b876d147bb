"""Helpers for tests (imported by conftest files)."""
def reseed_reference_data():
    """Re-run our apps' data migrations (code lists and other seeds; they are idempotent).

    Transactional tests (live server, browser) end with a flush that empties every table,
    including what data migrations seeded; the next such test gets it back from here.
    """
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    ours = {c.label for c in global_apps.get_app_configs() if c.name.startswith("safecommunity.")}
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan.extend(k for k in loader.graph.forwards_plan(leaf) if k not in plan)
    for key in plan:
        if key[0] not in ours:
            continue
        for op in loader.graph.nodes[key].operations:
            if isinstance(op, RunPython):
                op.code(global_apps, None)


def sheet_xlsx(cells: dict[str, str] | None = None, *, rows: int = 0, dimension: str | None = None) -> bytes:
    """A minimal .xlsx written by hand (no spreadsheet library): one sheet holding `cells`
    ({"A1": "text"}) or `rows` rows of two cells, with `dimension` as its declared <dimension>.
    `sheet_xlsx({"A1": "x", "XFD1048576": "y"})` is the 1.6 KB sheet that makes a reader try to
    allocate half a terabyte."""
    import io
    import re
    import zipfile

    body = []
    if cells:
        by_row: dict[int, list[str]] = {}
        for ref, value in cells.items():
            n = int(re.sub(r"[A-Z]", "", ref))
            by_row.setdefault(n, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        body = [f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(by_row.items())]
    for n in range(1, rows + 1):
        body.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>r{n}</t></is></c><c r="B{n}"><v>{n}</v></c></row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">{dim}<sheetData>{"".join(body)}</sheetData></worksheet>'),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def assert_rule_agrees(rule, *guards) -> None:
    """The page, the API and the menu entry a permission rule guards admit exactly the rule's
    roles — one rule, no second copy. A guard is a page's URL name ("evaluation:fund_list": its
    view's `allowed_roles` and, when the menu links it, the entry's roles), a view or viewset
    class (`allowed_roles`, else `read_roles`) or `(viewset class, "write_roles")`."""
    from safecommunity.core.permissions import _views_by_name
    from safecommunity.core.registry import menu_items

    expected = rule.roles
    for guard in guards:
        if isinstance(guard, str):
            view = _views_by_name()[guard]
            found = {f"view {guard}": getattr(view, "allowed_roles", None)}
            found.update({f"menu entry {item.label}": item.roles or None for item in menu_items() if item.url_name == guard})
        elif isinstance(guard, tuple):
            found = {f"{guard[0].__name__}.{guard[1]}": getattr(guard[0], guard[1])}
        else:
            attr = "allowed_roles" if hasattr(guard, "allowed_roles") else "read_roles"
            found = {f"{guard.__name__}.{attr}": getattr(guard, attr)}
        for where, roles in found.items():
            roles = None if roles is None else frozenset(roles)
            assert roles == expected, f"{where} admits {sorted(roles or ['every role'])}, the rule {sorted(expected or ['every role'])}"


def fetch_file(client, url: str):
    """GET `url` as a user would: a file made by a job (core.jobs) is fetched from the job's page
    once done (tests run jobs at once); any other answer is returned as it came."""
    import re

    response = client.get(url)
    match = re.fullmatch(r"/jobs/(\d+)/", response.get("Location", "") if response.status_code == 302 else "")
    if match is None:
        return response
    return client.get(f"/jobs/{match.group(1)}/file/")
