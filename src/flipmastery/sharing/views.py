"""Share links over HTTP: the public /s/<code>/ page a chat unfurls, its PNG, and a teacher's Share page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import NotFound
from flipmastery.sharing.models import ShareLink
from flipmastery.sharing.services import share_link_get_or_create
from flipmastery.web.language import chose_language
from flipmastery.web.views import action, page
from flipmastery.web.views_paper import qr_svg

IMAGE_SCALE, IMAGE_BORDER = 12, 4  # about 400 px square: chats show it as the preview's picture


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def _link(code: str) -> ShareLink:
    found = (
        ShareLink.objects.select_related("section__course", "objective")
        .filter(code=code.strip().lower())
        .first()
    )
    if found is None or (found.objective is not None and found.objective.retired):
        raise Http404("no such share link")
    return found


def _title(link: ShareLink) -> str:
    course = link.section.course.title
    if link.objective is None:
        return _("%(course)s · the playlist") % {"course": course}
    return f"{course} · {link.objective.code}: {link.objective.statement}"


def _description(link: ShareLink) -> str:
    """What a student will do there, from the course alone: no names, no scores, nothing of the section."""
    if link.objective is None:
        return _(
            "Work through the objectives of %(course)s at your own pace: learn each one, then show that "
            "you have mastered it in a short check."
        ) % {"course": link.section.course.title}
    ways = [lo.title for lo in link.objective.learning_objects.all() if not lo.retired]
    if not ways:
        return _("Learn this objective, then show that you have mastered it in a short check.")
    return _("Learn it with %(ways)s, then show that you have mastered it in a short check.") % {
        "ways": ", ".join(ways[:3])
    }


def _address(request: HttpRequest, link: ShareLink) -> str:
    return request.build_absolute_uri(reverse("share_open", args=[link.code]))


@require_safe
@never_cache
def share_open(request: HttpRequest, code: str) -> HttpResponse:
    """/s/<code>/. Anyone (a chat's link preview too) gets the card; a signed-in person goes where it leads.

    A signed-out visitor is not redirected: WhatsApp, Google Classroom and Facebook fetch the address as
    robots, and a redirect would unfurl the sign-in page; the card's button signs in and comes back here."""
    link = _link(code)
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return redirect(_destination(link, user))
    _speak_course_language(request, link)
    url = _address(request, link)
    context = {
        "link": link,
        "title": _title(link),
        "description": _description(link),
        "url": url,
        "image": request.build_absolute_uri(reverse("share_image", args=[link.code])),
        "image_size": _qr(url).symbol_size(scale=IMAGE_SCALE, border=IMAGE_BORDER)[0],
        "sign_in": reverse("login") + "?" + urlencode({"next": reverse("share_open", args=[link.code])}),
    }
    return render(request, "sharing/open.html", context)


def _speak_course_language(request: HttpRequest, link: ShareLink) -> None:
    """The card speaks its course's language (a Hindi-medium class's chat sees Hindi), unless the visitor
    chose one; it is what a student of that course would see."""
    if chose_language(request):
        return
    try:
        language = translation.get_supported_language_variant(link.section.course.language)
    except LookupError:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _destination(link: ShareLink, user: User) -> str:
    section = link.section
    anchor = f"#obj-{link.objective.code}" if link.objective is not None else ""
    if Enrollment.objects.filter(section=section, student=user).exists():
        return reverse("playlist", args=[section.pk]) + anchor
    if section.teachers.filter(pk=user.pk).exists():
        return reverse("course_outline", args=[section.pk]) + anchor
    if section.join_mode == Section.JoinMode.APPROVE:
        # The section's own join page names its code, but a teacher still accepts whoever asks.
        return reverse("join_code", args=[section.join_code])
    # An open section's code lets anyone in at once (a closed one, nobody): a forwarded link must not
    # hand it out, so the person types the code their teacher gives them.
    return reverse("join")


@require_safe
def share_image(request: HttpRequest, code: str) -> HttpResponse:
    """The card's picture: a QR code of the link, drawn here (no other server is asked)."""
    link = _link(code)
    out = io.BytesIO()
    _qr(_address(request, link)).save(out, kind="png", scale=IMAGE_SCALE, border=IMAGE_BORDER)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@action
def share_create(request: HttpRequest, section_id: int) -> HttpResponse:
    """A teacher's Share button: the link of the objective named (or of the playlist), then its page."""
    user = request.user
    assert isinstance(user, User)
    section = access_section_as_teacher(user, section_id)
    code = request.POST.get("objective", "").strip()
    objective = None
    if code:
        objective = Objective.objects.filter(course=section.course, code=code, retired=False).first()
        if objective is None:
            raise NotFound("objective not found")
    link = share_link_get_or_create(actor=user, section=section, objective=objective)
    return redirect("share_page", code=link.code)


@page
def share_page(request: HttpRequest, code: str) -> HttpResponse:
    """The link, a copy button and a big QR code for the projector; the section's teachers only."""
    user = request.user
    assert isinstance(user, User)
    link = get_object_or_404(ShareLink.objects.select_related("section__course", "objective"), code=code)
    if not link.section.teachers.filter(pk=user.pk).exists():
        raise NotFound("share link not found")
    url = _address(request, link)
    context = {
        "link": link,
        "section": link.section,
        "title": _title(link),
        "url": url,
        "qr": qr_svg(url, url),
    }
    return render(request, "sharing/page.html", context)
