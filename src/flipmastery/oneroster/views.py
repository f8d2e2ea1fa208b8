"""A school admin's OneRoster page: upload a bundle, see what it would change (or every problem with its
file and line), confirm; and download the results for the SIS. Anyone else gets the 404 page
(`access_school`). Between the preview and the confirmation the bundle waits in the data dir under a
random name that only this admin's session knows."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.classroom.models import Section
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.oneroster import read_course_map
from flipmastery.oneroster.bundles import MAX_BUNDLE_BYTES, read_bundle_bytes
from flipmastery.oneroster.exports import results_zip, sections_to_export
from flipmastery.oneroster.models import SourcedId
from flipmastery.oneroster.services import ImportReport, oneroster_import
from flipmastery.school.selectors import access_school
from flipmastery.web.views import _user, action, form_page, page

PENDING = "oneroster_pending"
SHOWN = 300  # lines of one kind on the preview; a district's first import may make thousands
STALE_SECONDS = 24 * 3600  # a bundle previewed and never confirmed is deleted the next day


# Waiting bundles are kept in the uploads' storage (a folder every node mounts, or the bucket), so the
# preview and the confirm may be answered by two nodes. The media view serves only learning objects' files.
PENDING_FOLDER = "oneroster-pending"


def _pending_name(token: object) -> str | None:
    return f"{PENDING_FOLDER}/{token}.zip" if isinstance(token, str) and token.isalnum() else None


def _sweep() -> None:
    """Delete bundles previewed more than a day ago and never confirmed (they hold a school's roster)."""
    limit = timezone.now() - timedelta(seconds=STALE_SECONDS)
    try:
        _folders, names = default_storage.listdir(PENDING_FOLDER)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if name.endswith(".zip") and default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue


def _groups(report: ImportReport) -> list[tuple[str, str, list[object], int]]:
    """The report's changes by kind, in the order an admin reads them, with the kind's heading."""
    titles = [
        ("add", _("New")),
        ("change", _("Changed")),
        ("remove", _("Removed (unenrolled or archived; no work is deleted)")),
        ("skip", _("Skipped")),
    ]
    groups: list[tuple[str, str, list[object], int]] = []
    for kind, title in titles:
        changes = report.of(kind)
        if changes:
            groups.append((kind, title, list(changes[:SHOWN]), max(len(changes) - SHOWN, 0)))
    return groups


def _context(**more: object) -> dict[str, object]:
    sections = Section.objects.filter(archived_at__isnull=True).select_related("course").order_by("name")
    mapped = SourcedId.objects.filter(kind=SourcedId.Kind.COURSE, course__isnull=False).select_related(
        "course"
    )
    return {"sections": sections, "mapped": mapped.order_by("title"), **more}


def _refused(request: HttpRequest, problems: list[Problem], courses: str) -> HttpResponse:
    context = _context(problems=[str(p) for p in problems], courses=courses)
    return render(request, "web/oneroster/import.html", context, status=422)


@form_page
def oneroster_page(request: HttpRequest) -> HttpResponse:
    access_school(_user(request))
    if request.method != "POST":
        return render(request, "web/oneroster/import.html", _context(courses=""))
    courses = request.POST.get("courses", "")
    upload = request.FILES.get("bundle")
    if upload is None:
        return _refused(request, [Problem(_("choose the bundle (.zip) the SIS exported"))], courses)
    name = Path(upload.name or "bundle.zip").name
    if upload.size is None or upload.size > MAX_BUNDLE_BYTES:
        return _refused(request, [Problem(_("the bundle is larger than 20 MB"), Location(name))], courses)
    data = upload.read()
    try:
        mapping = read_course_map(courses)
        files = read_bundle_bytes(data, name)
        report = oneroster_import(files=files, course_map=mapping, now=timezone.now(), dry_run=True)
    except Invalid as err:
        return _refused(request, err.problems, courses)
    _sweep()
    token = secrets.token_hex(16)
    default_storage.save(f"{PENDING_FOLDER}/{token}.zip", ContentFile(data))
    _forget(request)
    request.session[PENDING] = {"token": token, "courses": courses, "name": name}
    return render(
        request,
        "web/oneroster/preview.html",
        _context(report=report, groups=_groups(report), name=name, courses=courses),
    )


def _forget(request: HttpRequest) -> None:
    old = request.session.pop(PENDING, None)
    name = _pending_name(old.get("token")) if isinstance(old, dict) else None
    if name is not None:
        default_storage.delete(name)


@action
def oneroster_confirm(request: HttpRequest) -> HttpResponse:
    access_school(_user(request))
    pending = request.session.get(PENDING)
    stored = _pending_name(pending.get("token")) if isinstance(pending, dict) else None
    if not isinstance(pending, dict) or stored is None or not default_storage.exists(stored):
        problem = Problem(_("there is no bundle waiting to be imported: upload it again"))
        return _refused(request, [problem], "")
    try:
        mapping = read_course_map(pending.get("courses", ""))
        with default_storage.open(stored, "rb") as bundle:
            files = read_bundle_bytes(bundle.read(), pending.get("name", "bundle.zip"))
        report: ImportReport = oneroster_import(files=files, course_map=mapping, now=timezone.now())
    except Invalid as err:
        return _refused(request, err.problems, pending.get("courses", ""))
    _forget(request)
    return render(request, "web/oneroster/done.html", _context(report=report, groups=_groups(report)))


@page
def oneroster_results(request: HttpRequest) -> HttpResponse:
    access_school(_user(request))
    which = request.GET.get("section", "school") or "school"
    sections = sections_to_export(which)
    response = HttpResponse(
        results_zip(sections=sections, now=timezone.now()), content_type="application/zip"
    )
    day = timezone.localdate().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="oneroster-results-{day}.zip"'
    return response
