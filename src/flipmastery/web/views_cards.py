"""Sign-in cards: a teacher prints (or reprints) and revokes a section's cards; a student signs in by the
card's QR link, /c/<code>/, or by typing its code, on a device that may be shared.

The services decide (accounts/cards.py); these views read forms and render. A card's sign-in ends with the
browser (a shared device forgets it) and first signs out whoever was signed in there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from flipmastery.accounts.cards import (
    CardCodesThrottled,
    CardNotWorking,
    IssuedCard,
    card_revoke,
    card_sign_in,
    cards_issue,
    section_cards,
)
from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.domain.errors import NotFound
from flipmastery.web.views import _user, action, page
from flipmastery.web.views_paper import qr_svg

PER_PAGE = 8  # two columns of four on A4
LOOPBACK = {"localhost", "127.0.0.1", "[::1]"}


# --- teachers -------------------------------------------------------------------------------------------


@page
def cards_home(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    rows = section_cards(section)
    revoked = next((r.student for r in rows if str(r.student.pk) == request.GET.get("revoked")), None)
    context = {"section": section, "rows": rows, "revoked": revoked}
    return render(request, "web/cards/section.html", context)


@dataclass(frozen=True)
class Printed:
    name: str
    code: str
    url: str
    qr: SafeString


@action
def cards_print(request: HttpRequest, section_id: int) -> HttpResponse:
    """New cards for the students ticked (one student's button, or everyone), on a page made to print."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    ids = {int(v) for v in request.POST.getlist("student") if v.isdigit()}
    students = [r.student for r in section_cards(section) if not ids or r.student.pk in ids]
    if ids and len(students) != len(ids):
        raise NotFound("no such student in this section")
    issued = cards_issue(section=section, students=students, by=teacher, now=timezone.now())
    cards = [_printed(request, c) for c in issued]
    context = {
        "section": section,
        "count": len(cards),
        "pages": [cards[i : i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)],
        "lang": section.course.language,
        "loopback": request.get_host().rsplit(":", 1)[0] in LOOPBACK,
        "address": request.get_host() + reverse("card_sign_in"),  # short enough to type from a card
    }
    return render(request, "web/cards/print.html", context)


def _printed(request: HttpRequest, issued: IssuedCard) -> Printed:
    url = request.build_absolute_uri(reverse("card_link", args=[issued.shown]))
    return Printed(issued.student.shown_name(), issued.shown, url, qr_svg(url, f"{issued.shown}: {url}"))


@action
def card_revoke_page(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    student = _student(section, student_id)
    card_revoke(section=section, student=student, now=timezone.now())
    return redirect(f"{reverse('cards_home', args=[section.pk])}?revoked={student.pk}")


def _student(section: Section, student_id: int) -> User:
    found = next((r.student for r in section_cards(section) if r.student.pk == student_id), None)
    if found is None:
        raise NotFound("no such student in this section")
    return found


# --- students: no login needed, that is what a card is for ------------------------------------------------


@require_safe
@never_cache
def card_link(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code on a card opens."""
    return _sign_in(request, code)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def card_typed(request: HttpRequest) -> HttpResponse:
    """The code typed from a card (the sign-in page has its field too); GET shows the field alone."""
    if request.method != "POST":
        return render(request, "web/cards/sign_in.html", {"typed": ""})
    return _sign_in(request, request.POST.get("code", "")[:100], typed=True)


def _sign_in(request: HttpRequest, text: str, *, typed: bool = False) -> HttpResponse:
    address = request.META.get("REMOTE_ADDR", "")
    try:
        card = card_sign_in(text=text, address=address, now=timezone.now())
    except CardCodesThrottled as throttled:
        response = _refused(request, throttled, text if typed else "", status=429)
        response["Retry-After"] = str(throttled.wait_seconds)
        return response
    except CardNotWorking as not_working:
        return _refused(request, not_working, text if typed else "", status=404)
    logout(request)  # whoever used this device before: the next student's card works at once
    login(request, card.user, backend=settings.AUTHENTICATION_BACKENDS[0])  # the one that reads sessions
    request.session.set_expiry(0)  # cards are for shared devices: the sign-in ends with the browser
    return redirect("home")


def _refused(request: HttpRequest, error: Exception, typed: str, *, status: int) -> HttpResponse:
    context = {"problem": str(error), "typed": typed}
    return render(request, "web/cards/sign_in.html", context, status=status)
