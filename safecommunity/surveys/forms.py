from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.core.forms import DateInput, OrgUnitFormMixin
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.injuries import choices as injury_choices
from safecommunity.orgunits.models import OrgUnit

from .models import Question, Questionnaire, Section, SurveyRound

TEXT = forms.Textarea(attrs={"rows": 3})
CHECK = {"class": "form-check-input"}


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["org_unit", "title", "kind", "introduction", "asks_sex_and_age"]
        widgets = {"introduction": TEXT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        field.queryset = OrgUnit.objects.visible_to(user).filter(level__in=[OrgUnit.Level.CITY,
                                                                            OrgUnit.Level.DISTRICT])
        if user is not None and user.role in (Role.DISTRICT, Role.CITY):
            field.initial = user.org_unit_id
            if user.role == Role.DISTRICT:
                field.disabled = True
                if not self.instance.pk:
                    self.instance.org_unit_id = user.org_unit_id


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "order"]


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Answer options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One option a line as value|label; end the line with * if it counts towards the indicator, "
                    "e.g. 1|是*. Likert questions left empty get 1–5 (4 and 5 count)."))

    class Meta:
        model = Question
        fields = ["section", "order", "code", "text", "kind", "required", "indicator", "show_if_question",
                  "show_if_value"]

    def __init__(self, *args, questionnaire=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire or self.instance.questionnaire
        self.instance.questionnaire = self.questionnaire
        self.fields["section"].queryset = self.questionnaire.sections.all()
        others = self.questionnaire.questions.exclude(pk=self.instance.pk)
        self.fields["show_if_question"].queryset = others
        self.fields["show_if_question"].help_text = _("Skip logic: ask this question only when that question "
                                                      "has the answer (its value) below.")
        if self.instance.pk and not self.is_bound:
            self.initial["options"] = "\n".join(
                f"{c.value}|{c.label}{'*' if c.is_positive else ''}" for c in self.instance.choices.all())

    def clean_options(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            positive = line.endswith("*")
            line = line.rstrip("*").strip()
            if "|" not in line:
                raise forms.ValidationError(_("Line %(n)s: write value|label.") % {"n": n})
            value, label = (p.strip() for p in line.split("|", 1))
            if not value or not label:
                raise forms.ValidationError(_("Line %(n)s: write value|label.") % {"n": n})
            rows.append((value, label, positive))
        if len({r[0] for r in rows}) != len(rows):
            raise forms.ValidationError(_("Two options have the same value."))
        return rows


class RoundForm(OrgUnitFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = ["org_unit", "questionnaire", "title", "starts_on", "ends_on", "population", "margin", "sampling",
                  "design_effect", "requires_code", "recall_months"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_org_unit(user)
        self.fields["questionnaire"].queryset = Questionnaire.objects.visible_to(user).filter(
            status=Questionnaire.Status.PUBLISHED)
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget = DateInput()


AGE_BAND_CHOICES = [("", "—")] + [(c, injury_choices.age_band_label(c)) for c in injury_choices.AGE_BAND_CODES]
SEX_CHOICES = [("", "—"), *injury_choices.Sex.choices[:2]]


def field_name(question: Question) -> str:
    return f"q_{question.code}"


class AnswerForm(forms.Form):
    """The questions of a questionnaire as a form; required-ness and skip logic are checked by the
    service (a skipped question may stay empty)."""

    def __init__(self, *args, questionnaire: Questionnaire, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = list(questions if questions is not None else questionnaire.questions.all())
        if questionnaire.asks_sex_and_age:
            self.fields["sex"] = forms.ChoiceField(label=_("Your sex"), choices=SEX_CHOICES, required=False,
                                                   widget=forms.RadioSelect(attrs=CHECK))
            self.fields["age_band"] = forms.ChoiceField(label=_("Your age"), choices=AGE_BAND_CHOICES,
                                                        required=False)
        for q in self.questions:
            options = [(c.value, c.label) for c in q.choices.all()]
            if q.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT):
                f = forms.ChoiceField(choices=options, widget=forms.RadioSelect(attrs=CHECK), required=False)
            elif q.kind == Question.Kind.MULTIPLE:
                f = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple(attrs=CHECK),
                                              required=False)
            elif q.kind == Question.Kind.NUMBER:
                f = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
            else:
                f = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
            f.label = f"{q.code}. {q.text}"
            f.question = q
            self.fields[field_name(q)] = f

    def answers(self) -> dict[str, list[str]]:
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(field_name(q))
            if value in (None, "", []):
                continue
            out[q.code] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return out

    def question_fields(self):
        """(bound field, question) in order, for the template (sections and skip-logic data)."""
        return [(self[field_name(q)], q) for q in self.questions]


class MemberForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=injury_choices.MAX_AGE, required=False)


def _codes(key):
    return [("", "—")] + [(c.code, c.name) for c in CodeItem.objects.of(key).active()]


class InjuryForm(forms.Form):
    member = forms.IntegerField(label=_("Member no."), min_value=1, required=False)
    mechanism = forms.ChoiceField(label=_("Cause"), required=False)
    place = forms.ChoiceField(label=_("Place"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].choices = _codes(injury_choices.MECHANISM)
        self.fields["place"].choices = _codes(injury_choices.PLACE)
        self.fields["severity"].choices = _codes(injury_choices.SEVERITY)


MemberFormSet = forms.formset_factory(MemberForm, extra=8, max_num=30)
InjuryFormSet = forms.formset_factory(InjuryForm, extra=4, max_num=30)


class InvitationForm(forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=5000, initial=50)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
