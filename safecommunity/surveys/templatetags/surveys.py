from django import template

register = template.Library()


@register.filter
def pct(value):
    return "—" if value is None or value == "" else f"{100 * value:.1f}%"


@register.filter
def pct_points(value):
    return "—" if value is None else f"{100 * value:+.1f}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def prop(p):
    """A proportion as 82.1%（78.0–85.7%）n=380."""
    if p is None or not p.n:
        return "—"
    return f"{100 * p.value:.1f}%（{100 * p.low:.1f}–{100 * p.high:.1f}%）n={p.n}"
