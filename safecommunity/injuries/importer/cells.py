"""One cell read as a date, a time or a whole number, as people and other systems write them; each
distinct value of a column read once (`_cached`)."""

from datetime import date, datetime, time, timedelta

from safecommunity.core.excel import cell_text

_BAD = object()


def _iso(v, kind):
    """A text cell in ISO form read as `kind` (date or time); None otherwise."""
    if type(v) is str:
        try:
            return kind.fromisoformat(v.strip())
        except ValueError:
            pass
    return None


def _written(v, formats: tuple[str, ...], part):
    """`part` (datetime.date or datetime.time) of the cell's text read in the first of `formats`
    that fits; ValueError when none does."""
    s = cell_text(v)
    for fmt in formats:
        try:
            return part(datetime.strptime(s, fmt))
        except ValueError:
            continue
    raise ValueError


def _date(v) -> date | None:
    if (iso := _iso(v, date)) is not None:
        return iso
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and 20000 < v < 80000:  # an Excel serial number
        return date(1899, 12, 30) + timedelta(days=int(v))
    return _written(v, ("%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"), datetime.date)


def _time(v) -> time | None:
    if v is None or v == "":
        return None
    if (iso := _iso(v, time)) is not None:
        return iso
    if isinstance(v, time):
        return v
    if isinstance(v, datetime):
        return v.time()
    if isinstance(v, timedelta):
        return (datetime.min + v).time()
    if isinstance(v, float) and 0 <= v < 1:
        seconds = round(v * 86400)
        return time(seconds // 3600, (seconds // 60) % 60)
    return _written(v, ("%H:%M", "%H:%M:%S", "%H时%M分"), datetime.time)


def _int(v) -> int | None:
    if v is None or v == "":
        return None
    if type(v) is int:
        return v
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError
        return int(v)
    return int(cell_text(v))


def _cached(col, memo: dict, parse) -> list:
    """`parse` of every cell of a column, once per distinct value (kept in `memo`); the look-ups
    run at C speed (set difference, map)."""
    col = col if isinstance(col, (list, tuple)) else list(col)
    for v in set(col).difference(memo):
        memo[v] = parse(v)
    return list(map(memo.__getitem__, col))


def _date_or_none(v) -> date | None:
    try:
        return _date(v)
    except (ValueError, OverflowError, TypeError):
        return None


def _time_or_bad(v):
    try:
        return _time(v)
    except (ValueError, TypeError):
        return _BAD


def _age_or_bad(v):
    try:
        age = _int(v)
    except (ValueError, OverflowError):
        return _BAD
    return _BAD if age is not None and age < 0 else age
