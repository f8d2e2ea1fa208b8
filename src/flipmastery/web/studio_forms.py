"""The course studio's forms: they check what a form can (types, lengths, sizes); the course rules are the
package reader's, applied by the studio service, whose problems come back under the same field names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from flipmastery.courses.models import Course, Objective
from flipmastery.courses.studio import StudioInvalid
from flipmastery.courses.studio_edits import REMOVE_FILE, ObjectiveFields
from flipmastery.domain.course import (
    ActivitySpec,
    EnrichmentSpec,
    LearningObjectKind,
    LearningObjectSpec,
    Tier,
)
from flipmastery.web.templatetags.flipmastery import KIND_LABELS

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # a lesson video of a school LAN; the whole package may hold 500 MB
TIER_WORDS = [(Tier.ESSENTIAL.value, _("Essential")), (Tier.NICE_TO_KNOW.value, _("Nice to know"))]


def place_problems(form: forms.Form, error: StudioInvalid, rename: dict[str, str] | None = None) -> None:
    """Each problem under the field it is about; the rest above the form."""
    rename = rename or {}
    for key, messages in error.fields.items():
        name = rename.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def fraction(percent: int | None, old: float | None) -> float | None:
    """The threshold a whole percent means; one left as shown keeps its exact old value (0.333 stays)."""
    if percent is None:
        return None
    if old is not None and round(old * 100) == percent:
        return old
    return percent / 100


def _percent(required: bool, label: Any) -> forms.IntegerField:
    return forms.IntegerField(min_value=1, max_value=100, required=required, label=label)


class CourseForm(forms.Form):
    code = forms.CharField(max_length=40, label=_("Code"))
    title = forms.CharField(max_length=200, label=_("Title"))
    threshold = _percent(True, _("Mastery threshold (%)"))
    language = forms.CharField(max_length=10, initial="en", label=_("Language code"))
    grade_level = forms.IntegerField(
        min_value=1, max_value=12, required=False, label=_("Grade level (class 1–12)")
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )

    @classmethod
    def of(cls, course: Course, data: Any = None) -> CourseForm:
        initial = {
            "code": course.code,
            "title": course.title,
            "threshold": round(course.threshold * 100),
            "language": course.language,
            "grade_level": course.grade_level,
            "description": course.description,
        }
        form = cls(data, initial=initial)
        form.fields["code"].disabled = True  # packages and sections know the course by it
        return form


class CopyForm(forms.Form):
    source = forms.TypedChoiceField(coerce=int, label=_("Course to copy"))
    code = forms.CharField(max_length=40, label=_("Code of the copy"))
    title = forms.CharField(max_length=200, label=_("Title of the copy"))

    def __init__(self, *args: Any, courses: Sequence[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(c.pk, f"{c.title} ({c.code})") for c in courses]


class UnitForm(forms.Form):
    code = forms.CharField(max_length=40, label=_("Unit code"))
    title = forms.CharField(max_length=200, label=_("Unit title"))


class ObjectiveForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    code = forms.CharField(max_length=40, label=_("Code"))
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Statement"))
    tier = forms.ChoiceField(choices=TIER_WORDS, initial=Tier.ESSENTIAL.value, label=_("Tier"))
    threshold = _percent(False, _("Mastery threshold (%)"))
    estimated_minutes = forms.IntegerField(min_value=0, required=False, label=_("Estimated minutes"))
    outcome_code = forms.CharField(max_length=60, required=False, label=_("Outcome code"))
    check_items = forms.IntegerField(
        min_value=1, max_value=50, initial=2, label=_("Questions in its mastery check")
    )
    check_written = forms.IntegerField(
        min_value=0, max_value=20, initial=0, required=False, label=_("Written answers you grade")
    )
    prerequisites = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Prerequisites")
    )

    def __init__(
        self, *args: Any, units: list[tuple[str, str]], others: list[Objective], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = units
        prerequisites = self.fields["prerequisites"]
        assert isinstance(prerequisites, forms.MultipleChoiceField)
        prerequisites.choices = [(o.code, f"{o.code} — {o.statement[:80]}") for o in others]

    @classmethod
    def initial_of(cls, objective: Objective) -> dict[str, Any]:
        return {
            "unit": objective.unit.code,
            "code": objective.code,
            "statement": objective.statement,
            "tier": objective.tier,
            "threshold": None if objective.threshold is None else round(objective.threshold * 100),
            "estimated_minutes": objective.estimated_minutes,
            "outcome_code": objective.outcome_code,
            "check_items": objective.check_items,
            "check_written": objective.check_written,
            "prerequisites": [p.code for p in objective.prerequisites.all() if not p.retired],
        }

    def values(self, old: Objective | None = None) -> ObjectiveFields:
        data = self.cleaned_data
        return ObjectiveFields(
            unit=data["unit"],
            code=data["code"].strip(),
            statement=data["statement"].strip(),
            tier=Tier(data["tier"]),
            outcome_code=data["outcome_code"].strip(),
            threshold=fraction(data["threshold"], old.threshold if old else None),
            estimated_minutes=data["estimated_minutes"],
            prerequisites=tuple(sorted(data["prerequisites"])),
            check_items=data["check_items"],
            check_written=data["check_written"] or 0,
        )


class PartForm(forms.Form):
    """A form of a learning object, an activity or an enrichment task: what it makes of its data."""

    def item(self) -> LearningObjectSpec | ActivitySpec | EnrichmentSpec:
        raise NotImplementedError


class LearningObjectForm(PartForm):
    kind = forms.ChoiceField(choices=[(k.value, KIND_LABELS[k]) for k in LearningObjectKind], label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    url = forms.CharField(max_length=500, required=False, label=_("Link (URL)"))
    upload = forms.FileField(required=False, label=_("File"))
    remove_file = forms.BooleanField(required=False, label=_("Remove its file"))
    minutes = forms.IntegerField(min_value=0, required=False, label=_("Minutes"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Text (Markdown, $…$ for math)")
    )
    answers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Answers (Markdown, $…$ for math)"),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 100 MB; link to it instead."))
        return upload

    def item(self) -> LearningObjectSpec:
        data = self.cleaned_data
        return LearningObjectSpec(
            kind=LearningObjectKind(data["kind"]),
            title=data["title"].strip(),
            url=data["url"].strip(),
            file=REMOVE_FILE if data.get("remove_file") and not data.get("upload") else "",
            minutes=data["minutes"],
            body=data["body"].strip(),
            answers=data["answers"].strip(),
        )

    def uploaded(self) -> tuple[str, bytes] | None:
        found = self.cleaned_data.get("upload")
        return None if found is None else (found.name, found.read())


class ActivityForm(PartForm):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Description")
    )

    def item(self) -> ActivitySpec:
        return ActivitySpec(self.cleaned_data["title"].strip(), self.cleaned_data["description"].strip())


class EnrichmentForm(PartForm):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Description")
    )
    url = forms.CharField(max_length=500, required=False, label=_("Link (URL)"))

    def item(self) -> EnrichmentSpec:
        data = self.cleaned_data
        return EnrichmentSpec(data["title"].strip(), data["description"].strip(), data["url"].strip())


PART_FORMS: dict[str, type[PartForm]] = {
    "learn": LearningObjectForm,
    "activities": ActivityForm,
    "enrichment": EnrichmentForm,
}
