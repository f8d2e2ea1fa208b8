"""Deep linking: a teacher of an LMS course picks a course, unit or objective of ours; it goes back to the
LMS as an ltiResourceLink content item in a JWT signed with our key, posted back by the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from flipmastery.classroom.selectors import courses_for_new_sections
from flipmastery.courses.models import Course, Objective, Unit
from flipmastery.domain.errors import NotFound
from flipmastery.lti.launch import origins
from flipmastery.lti.models import Context, Placement, Platform
from flipmastery.lti.toolconf import registration_of
from flipmastery.lti.views import DEEP_LINK, framed_policy
from flipmastery.web.views import _user, form_page


def _courses(request: HttpRequest, context: Context) -> list[Course]:
    """The tied section's course, else every course the teacher may open a section of."""
    if context.section is not None:
        return [context.section.course]
    return list(courses_for_new_sections(_user(request)))


def _target(kind: str, raw: str, courses: list[Course]) -> tuple[str, int, str, str]:
    """(kind, id, title, description) of a choice among these courses; NotFound for anything else."""
    ids = [c.pk for c in courses]
    if kind == "course":
        course = next((c for c in courses if str(c.pk) == raw), None)
        if course:
            return kind, course.pk, course.title, course.description[:300]
    if kind == "unit" and raw.isdigit():
        unit = Unit.objects.filter(pk=int(raw), course_id__in=ids).first()
        if unit:
            return kind, unit.pk, f"{unit.code} {unit.title}", ""
    if kind == "objective" and raw.isdigit():
        objective = Objective.objects.filter(pk=int(raw), course_id__in=ids, retired=False).first()
        if objective:
            return kind, objective.pk, f"{objective.code} {objective.statement}"[:250], ""
    raise NotFound("not found")


@form_page
def pick(request: HttpRequest) -> HttpResponse:
    asked: dict[str, Any] | None = request.session.get(DEEP_LINK)
    if not asked:
        raise NotFound("not found")
    context = Context.objects.select_related("section__course").filter(pk=asked["context"]).first()
    platform = Platform.objects.filter(pk=asked["platform"]).first()
    if context is None or platform is None:
        raise NotFound("not found")
    courses = _courses(request, context)
    if request.method == "POST":
        kind, _sep, raw = request.POST.get("choice", "").partition(":")
        kind, target_id, title, _text = _target(kind, raw, courses)
        item = (
            DeepLinkResource()
            .set_url(request.build_absolute_uri(reverse("lti_launch")))
            .set_title(title)
            .set_custom_params({"flipmastery_target": f"{kind}:{target_id}"})
        )
        if kind == Placement.Kind.OBJECTIVE:  # the LMS makes its gradebook column; mastered is 1.0
            item.set_lineitem(
                LineItem()
                .set_label(title[:100])
                .set_score_maximum(1)
                .set_resource_id(f"objective:{target_id}")
            )
        settings = asked["settings"]
        jwt = DeepLink(registration_of(platform), asked["deployment_id"], settings).get_response_jwt([item])
        Placement.objects.create(context=context, kind=kind, target_id=target_id)  # tied at its first launch
        del request.session[DEEP_LINK]
        return_url = str(settings.get("deep_link_return_url", ""))
        response = render(
            request, "lti/deep_link_return.html", {"return_url": return_url, "jwt": jwt, "title": title}
        )
        policy = framed_policy(request.session.get("lti_frame_ancestors", []))
        allowed = " ".join(["'self'", *origins(return_url)])
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", f"form-action {allowed}"
        )
        response.xframe_options_exempt = True
        return response
    tree = [
        (
            c,
            [
                (u, [o for o in u.objectives.all() if not o.retired])
                for u in Unit.objects.filter(course=c)
                .order_by("order", "code")
                .prefetch_related("objectives")
            ],
        )
        for c in courses
    ]
    return render(request, "lti/deep_link.html", {"tree": tree, "context": context})
