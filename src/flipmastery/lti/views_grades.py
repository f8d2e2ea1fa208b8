"""A teacher's LMS page for a section: the LMS courses tied to it, grades that could not be sent (and
sending them again), and the roster sync."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from pylti1p3.exception import LtiException

from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.lti.ags import send_due
from flipmastery.lti.models import Context, GradeOutbox
from flipmastery.lti.nrps import roster_sync as sync
from flipmastery.web.views import _user, action, page


@page
def section_lms(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    waiting = (
        GradeOutbox.objects.filter(section=section, sent_at__isnull=True)
        .select_related("student", "objective")
        .order_by("-tries", "created_at")
    )
    context = {
        "section": section,
        "contexts": Context.objects.filter(section=section).select_related("platform"),
        "failed": [w for w in waiting if w.tries],
        "waiting": sum(1 for w in waiting if not w.tries),
        "sent": GradeOutbox.objects.filter(section=section, sent_at__isnull=False).count(),
    }
    return render(request, "lti/section.html", context)


@action
def resend(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    sent, failed = send_due(timezone.now(), section_id=section.pk, everything=True)
    if failed:
        messages.error(
            request,
            _("%(sent)d sent, %(failed)d still not accepted by the LMS.") % {"sent": sent, "failed": failed},
        )
    else:
        messages.success(request, _("%(sent)d sent.") % {"sent": sent})
    return redirect("lti_section", section_id=section.pk)


@action
def roster_sync(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    try:
        done = sync(section=section, now=timezone.now())
    except (LookupError, LtiException, OSError) as e:
        messages.error(request, _("The roster could not be read from the LMS: %(why)s") % {"why": e})
    else:
        messages.success(
            request,
            _("Roster read: %(added)d students added, %(known)d already here, %(teachers)d teachers.")
            % {"added": done.added, "known": done.known, "teachers": done.teachers},
        )
    return redirect("lti_section", section_id=section.pk)
