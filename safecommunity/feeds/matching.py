"""Placing a case in a creating unit by the patient's address (伤者现住址).

Only townships (streets, towns, townships) inside the uploader's scope are candidates, so a
case can never land outside scope. The address is searched for the candidates' full names
("解放碑街道") and short forms ("解放碑"); a district name in the address ("渝中区") narrows
the candidates to that district. No match, or two equally good matches in different units,
leaves the case to be placed by hand."""

import re

from safecommunity.orgunits.models import OrgUnit

SUFFIXES = ("街道办事处", "街道", "镇", "乡", "民族乡", "办事处")
DISTRICT_SUFFIXES = ("自治县", "区", "县")


def short_name(name: str, suffixes=SUFFIXES) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


class AddressMatcher:
    def __init__(self, scope_path: str):
        units = OrgUnit.objects.filter(path__startswith=scope_path, level=OrgUnit.Level.TOWNSHIP).values_list(
            "id", "name", "parent_id")
        self.names: dict[str, set[tuple[int, int]]] = {}  # name → {(unit id, district id)}
        self.unit_names: dict[int, str] = {}
        district_ids = set()
        for uid, name, parent in units:
            self.unit_names[uid] = name
            district_ids.add(parent)
            self.names.setdefault(name, set()).add((uid, 2))  # 2 = full name
            short = short_name(name)
            if short:
                self.names.setdefault(short, set()).add((uid, 1))
        self.parent_of = {uid: parent for uid, _n, parent in units}
        self.districts: dict[str, int] = {}
        for did, name in OrgUnit.objects.filter(id__in=district_ids).values_list("id", "name"):
            self.districts[name] = did
            short = short_name(name, DISTRICT_SUFFIXES)
            if short:
                self.districts.setdefault(short, did)
        names = sorted(self.names, key=len, reverse=True)
        self._unit_re = re.compile("|".join(map(re.escape, names))) if names else None
        dnames = sorted(self.districts, key=len, reverse=True)
        self._district_re = re.compile("|".join(map(re.escape, dnames))) if dnames else None
        self._cache: dict[str, int | None] = {}

    def match(self, address: str) -> int | None:
        """The id of the one township the address names, or None."""
        if not address or self._unit_re is None:
            return None
        if address in self._cache:
            return self._cache[address]
        districts = set()
        if self._district_re is not None:
            districts = {self.districts[m] for m in self._district_re.findall(address)}
        best: dict[int, int] = {}
        pos = 0
        while True:  # overlapping search: every position may start a name
            m = self._unit_re.search(address, pos)
            if m is None:
                break
            for uid, quality in self.names[m.group(0)]:
                if not districts or self.parent_of[uid] in districts:
                    best[uid] = max(best.get(uid, 0), quality)
            pos = m.start() + 1
        result = None
        if best:
            top = max(best.values())
            winners = [u for u, q in best.items() if q == top]
            if len(winners) == 1:
                result = winners[0]
        if len(self._cache) < 50000:
            self._cache[address] = result
        return result
