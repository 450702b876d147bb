"""Placing a case in a township by the patient's address (伤者现住址).

The address is read against every township and district of the city, not only those of the
uploader: a case is placed where its address says, and an uploader only imports the cases of
its own area (`Placement.within`). Rules:

1. **Longest match wins.** The address is cut into names left to right, taking at each place the
   longest district or township name (full "两路口街道" or short "两路口") that starts there: in
   "渝中区两路口街道" the 渝北区 township 两路 is never seen, and in "江北区…" the district wins
   over the township short name 江北 (江北街道, 涪陵区).
2. **The district named must agree.** When the address names a district, only townships of that
   district count. A full township name of another district ("渝北区两路口街道": 两路口街道 is in
   渝中区) is a contradiction: the case is flagged and never placed. A short name of another
   district ("渝中区中山三路": 中山镇 is in 江津区) is taken for a street name and ignored.
3. Without a district, the first full township name, else the first short one, places the case
   if it names one township only (a name shared by townships of two districts does not).

Nothing found → the case waits to be placed by hand (when its district, if named, is the
uploader's) or belongs to another district's upload."""

from dataclasses import dataclass

from safecommunity.core.scoping import is_within
from safecommunity.orgunits.models import OrgUnit

SUFFIXES = ("街道办事处", "街道", "镇", "乡", "民族乡", "办事处")
DISTRICT_SUFFIXES = ("自治县", "区", "县")
FULL, SHORT, DISTRICT = 2, 1, 0


def short_name(name: str, suffixes=SUFFIXES) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an address points. `unit_id`: the township (anywhere in the city); `district_id`: the
    district it names or the township's; `conflict`: why it cannot be placed (the district named
    is not the township's), in the user's language."""

    unit_id: int | None = None
    district_id: int | None = None
    conflict: str = ""


NOWHERE = Placement()


class AddressMatcher:
    def __init__(self, area: str):
        """`area`: the path of the uploader's subtree (core.scoping.area_path)."""
        townships = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP).values_list(
            "id", "name", "parent_id", "path"))
        districts = list(OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT).values_list("id", "name", "path"))
        self.area = area
        # names → {(unit id, quality)}; a district's names carry quality DISTRICT
        self.names: dict[str, set[tuple[int, int]]] = {}
        self.unit_names: dict[int, str] = {}
        self.parent_of: dict[int, int] = {}
        self.in_scope: set[int] = set()  # townships the uploader may place cases in
        for uid, name, parent, place in townships:
            self.unit_names[uid] = name
            self.parent_of[uid] = parent
            if is_within(place, area):
                self.in_scope.add(uid)
            self.names.setdefault(name, set()).add((uid, FULL))
            short = short_name(name)
            if short:
                self.names.setdefault(short, set()).add((uid, SHORT))
        self.districts: dict[str, int] = {}
        self.district_names: dict[int, str] = {}
        self.foreign_districts: set[int] = set()  # districts wholly outside the uploader's scope
        for did, name, place in districts:
            self.district_names[did] = name
            if not (is_within(place, area) or is_within(area, place)):
                self.foreign_districts.add(did)
            spellings = [name, short_name(name, DISTRICT_SUFFIXES)]
            if name.endswith("自治县"):  # 石柱土家族自治县 is written 石柱县 or 石柱
                spellings += [name[:2] + "县", name[:2]]
            for n in spellings:
                if n:
                    self.districts.setdefault(n, did)
                    self.names.setdefault(n, set()).add((did, DISTRICT))
        # per first character: the lengths of the names starting with it, longest first
        lengths: dict[str, set[int]] = {}
        for n in self.names:
            lengths.setdefault(n[0], set()).add(len(n))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._cache: dict[str, Placement] = {}

    def tokens(self, address: str) -> list[str]:
        """The names in the address, left to right, the longest at each place, not overlapping."""
        found = []
        names, lengths = self.names, self._lengths
        i, n = 0, len(address)
        while i < n:
            for length in lengths.get(address[i], ()):
                if address[i:i + length] in names:
                    found.append(address[i:i + length])
                    i += length
                    break
            else:
                i += 1
        return found

    def place(self, address: str) -> Placement:
        if not address:
            return NOWHERE
        cached = self._cache.get(address)
        if cached is not None:
            return cached
        result = self._place(address)
        if len(self._cache) < 50000:
            self._cache[address] = result
        return result

    def _place(self, address: str) -> Placement:
        district = None
        full: list[set[int]] = []
        short: list[set[int]] = []
        for token in self.tokens(address):
            entries = self.names[token]
            units_full = {u for u, q in entries if q == FULL}
            units_short = {u for u, q in entries if q == SHORT}
            if district is None and token in self.districts and not units_full:
                district = self.districts[token]
                continue
            if units_full:
                full.append(units_full)
            elif units_short:
                short.append(units_short)
        if district is not None:
            for group in (full, short):
                for units in group:
                    mine = {u for u in units if self.parent_of[u] == district}
                    if len(mine) == 1:
                        return Placement(mine.pop(), district)
            if full:
                other = sorted(full[0])[0]
                return Placement(None, district, conflict=self.conflict_reason(district, other))
            return Placement(None, district)
        for group in (full, short):
            if group:
                units = group[0]
                if len(units) == 1:
                    unit = next(iter(units))
                    return Placement(unit, self.parent_of[unit])
                parents = {self.parent_of[u] for u in units}
                return Placement(None, parents.pop() if len(parents) == 1 else None)
        return NOWHERE

    def conflict_reason(self, district: int, unit: int) -> str:
        from django.utils.translation import gettext as _

        return _("The address names %(district)s, but %(township)s is in %(other)s: the district written "
                 "in the address does not match the township; correct the address.") % {
            "district": self.district_names[district], "township": self.unit_names[unit],
            "other": self.district_names[self.parent_of[unit]]}

    def match(self, address: str) -> int | None:
        """The id of the township of the uploader's area the address names, or None."""
        unit = self.place(address).unit_id
        return unit if unit in self.in_scope else None

    def elsewhere(self, placement: Placement) -> int | None:
        """The district (id) the case belongs to when it is not the uploader's, else None."""
        if placement.unit_id is not None:
            return None if placement.unit_id in self.in_scope else self.parent_of[placement.unit_id]
        if placement.district_id in self.foreign_districts:
            return placement.district_id
        return None
