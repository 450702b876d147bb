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


@register.filter
def p_text(p_value):
    """A test's p-value as it is written in a report: p=0.028, p<0.001."""
    if p_value is None:
        return ""
    return "p<0.001" if p_value < 0.001 else f"p={p_value:.3f}"
