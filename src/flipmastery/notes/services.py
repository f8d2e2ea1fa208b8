"""Writing guided notes: a teacher saves a learning object's template; a student autosaves their own notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import LearningObject
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.domain.guided_notes import NotesTemplate, clean_answers, parse_template, template_data
from flipmastery.notes import models
from flipmastery.notes.selectors import read_template

MAX_IMAGE_BYTES = 5 * 1024 * 1024


@transaction.atomic
def notes_template_save(
    *,
    learning_object: LearningObject,
    raw: Any,
    images: Mapping[int, UploadedFile],
    now: datetime,
) -> models.NotesTemplate:
    """Check the parts (raw: as domain.guided_notes.parse_template reads them) and store them; `images` maps
    a part's position (from 1) to an image uploaded for that diagram. All or nothing."""
    parts = raw.get("parts", []) if isinstance(raw, Mapping) else raw
    problems = []
    for position, upload in images.items():
        problem = _image_problem(upload)
        if problem:
            problems.append(Problem(f"Part {position} (diagram): {problem}"))
    if problems:
        raise Invalid(problems)
    template = parse_template(parts)  # checked before anything is written
    row, _ = models.NotesTemplate.objects.select_for_update().get_or_create(
        learning_object=learning_object, defaults={"updated_at": now}
    )
    # A diagram names only an image uploaded for these notes: never another course's file.
    own = {
        str(name) for name in models.NotesImage.objects.filter(template=row).values_list("file", flat=True)
    }
    strangers = [
        Problem(f"Part {n} (diagram): '{p.image}' is not an image of these notes.")
        for n, p in enumerate(template.parts, start=1)
        if p.image and p.image not in own and n not in images
    ]
    if strangers:
        raise Invalid(strangers)  # the transaction is rolled back: nothing written
    if images and isinstance(parts, list):
        parts = [dict(p) if isinstance(p, Mapping) else p for p in parts]
        for position, upload in images.items():
            if 1 <= position <= len(parts) and isinstance(parts[position - 1], dict):
                stored = models.NotesImage.objects.create(template=row, file=upload, uploaded_at=now)
                parts[position - 1]["image"] = stored.file.name
        template = parse_template(parts)
    row.parts = template_data(template)
    row.updated_at = now
    row.save()
    return row


@transaction.atomic
def notes_template_remove(*, learning_object: LearningObject) -> None:
    """Take the template off (students' notes go with it)."""
    models.NotesTemplate.objects.filter(learning_object=learning_object).delete()


@transaction.atomic
def notes_save(
    *,
    section: Section,
    student: User,
    learning_object: LearningObject,
    part_id: str,
    sent: Mapping[str, str],
    now: datetime,
) -> models.NotesEntry:
    """Save what the student wrote in one part of their own notes (the other parts stay as they were)."""
    row = models.NotesTemplate.objects.filter(learning_object=learning_object).first()
    if row is None:
        raise NotFound("this learning object has no guided notes")
    part = read_template(row).part(part_id)
    if part is None:
        raise NotFound(f"these notes have no part {part_id}")
    kept = clean_answers(part, sent)
    entry, _ = models.NotesEntry.objects.select_for_update().get_or_create(
        template=row, section=section, student=student, defaults={"saved_at": now}
    )
    answers = dict(entry.answers or {})
    if kept:
        answers[part.id] = kept
    else:
        answers.pop(part.id, None)
    entry.answers = answers
    entry.part_saved_at = {**(entry.part_saved_at or {}), part.id: now.timestamp()}
    entry.saved_at = now
    entry.save()
    return entry


def _image_problem(upload: UploadedFile) -> str:
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        return f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB."
    try:
        with Image.open(upload) as picture:
            picture.verify()
            kind = picture.format
    except (UnidentifiedImageError, OSError, ValueError):
        return f"'{upload.name}' is not an image (PNG, JPEG, GIF or WebP)."
    finally:
        upload.seek(0)
    if kind not in {"PNG", "JPEG", "GIF", "WEBP"}:
        return f"'{upload.name}' is not an image (PNG, JPEG, GIF or WebP)."
    return ""


@transaction.atomic
def notes_template_from_package(
    *, learning_object: LearningObject, template: NotesTemplate, now: datetime
) -> bool:
    """A course package's `notes:` for this learning object; True if it changed anything. A package carries no
    images: a diagram part keeps the image this server already has for the same part id."""
    row = models.NotesTemplate.objects.select_for_update().filter(learning_object=learning_object).first()
    kept = {p.id: p.image for p in read_template(row).parts if p.image} if row else {}
    parts = template_data(template)["parts"]
    for part in parts:
        if part["kind"] == "diagram" and part["id"] in kept:
            part["image"] = kept[part["id"]]
    data = template_data(parse_template(parts))
    if row is not None and row.parts == data:
        return False
    if row is None:
        row = models.NotesTemplate(learning_object=learning_object)
    row.parts = data
    row.updated_at = now
    row.save()
    return True
