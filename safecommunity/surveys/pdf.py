"""The PDF report of a survey round (reportlab, the Chinese font of core.pdf)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from safecommunity.core.pdf import chinese_font, styles, table

from . import selectors


def _p(x):
    return "—" if x is None else f"{100 * x:.1f}%"


def round_pdf(survey_round, results) -> bytes:
    font = chinese_font()
    st = styles()
    progress = selectors.round_progress(survey_round)
    story = [
        Paragraph(_("Survey report"), st["h1"]),
        Paragraph(f"{survey_round.title} · {survey_round.org_unit.name}", st["h2"]),
        Paragraph(_("Questionnaire: %(q)s. Period: %(a)s – %(b)s. Responses: %(n)s of a planned sample of %(p)s.")
                  % {"q": survey_round.questionnaire, "a": survey_round.starts_on, "b": survey_round.ends_on,
                     "n": progress["done"], "p": progress["planned"]}, st["base"]),
        Spacer(1, 4 * mm),
        Paragraph(_("Indicators (Wilson 95% confidence interval)"), st["h2"]),
    ]
    rows = [[_("Indicator"), _("Answers"), _("Rate"), _("95% CI"), _("Change from previous round")]]
    for r in results["rows"]:
        p = r.overall
        change = ""
        if r.change and r.change.change is not None:
            change = f"{100 * r.change.change:+.1f} pt, p={r.change.p_value:.3f}" if r.change.p_value is not None \
                else f"{100 * r.change.change:+.1f} pt"
        rows.append([Paragraph(r.label, st["small"]), p.n, _p(p.value), f"{_p(p.low)} – {_p(p.high)}", change])
    story.append(table(rows, [70 * mm, 18 * mm, 20 * mm, 35 * mm, 35 * mm], font))
    hh = results.get("household")
    if hh:
        story += [Paragraph(_("Household injury survey"), st["h2"]),
                  Paragraph(_("%(h)s households, %(p)s persons; annual injury incidence %(r)s per 1,000 persons.")
                            % {"h": hh.households, "p": hh.persons, "r": hh.total.as_text()}, st["base"])]
        inc = [[_("Group"), _("Injuries"), _("Per 1,000 a year (95% CI)")]]
        inc += [[name, i.cases, i.as_text()] for name, i in hh.by_cause]
        inc += [[label, i.cases, i.as_text()] for label, _n, i in hh.by_age]
        story.append(table(inc, [60 * mm, 25 * mm, 70 * mm], font))
        surv = results.get("surveillance")
        if surv and surv.get("rate") is not None:
            story.append(Paragraph(_("Surveillance rate of the unit in the same year: %(r).1f per 1,000.")
                                   % {"r": surv["rate"]}, st["base"]))
        for note in selectors.SOURCE_NOTES.values():
            story.append(Paragraph(str(note), st["small"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(_("Printed %(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
                           st["small"]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=survey_round.title).build(story)
    return buf.getvalue()
