"""A school admin's LMS pages: the registered platforms, the values to paste into Moodle or Canvas, adding,
changing and removing a platform, and our keys. Anyone else gets the 404 page (`access_school`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.domain.errors import Invalid, NotFound
from flipmastery.lti import keys
from flipmastery.lti.models import Platform
from flipmastery.lti.services import PlatformFields, platform_save
from flipmastery.school.selectors import access_school
from flipmastery.web.views import _user, action, form_page, page

FIELDS = ("name", "issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url", "key_set_url")


def tool_values(request: HttpRequest) -> list[tuple[str, str, str]]:
    """(id, label, value) of what an LMS admin pastes into the LMS."""
    url = request.build_absolute_uri
    return [
        ("tool-url", _("Tool URL (target link URI)"), url(reverse("lti_launch"))),
        ("login-url", _("Initiate login URL"), url(reverse("lti_login"))),
        ("redirect-urls", _("Redirection URI(s)"), url(reverse("lti_launch"))),
        ("jwks-url", _("Public keyset URL (JWKS)"), url(reverse("lti_jwks"))),
        ("deep-link-url", _("Deep linking URL (content selection)"), url(reverse("lti_launch"))),
    ]


@page
def platforms(request: HttpRequest) -> HttpResponse:
    access_school(_user(request))
    context = {
        "platforms": Platform.objects.order_by("name"),
        "values": tool_values(request),
        "keys": keys.published(),
        "signing": keys.current().kid,
        "fields": dict.fromkeys(FIELDS, ""),
    }
    return render(request, "lti/platforms.html", context)


@form_page
def platform_edit(request: HttpRequest, platform_id: int = 0) -> HttpResponse:
    admin = access_school(_user(request))
    platform = None
    if platform_id:
        platform = Platform.objects.filter(pk=platform_id).first()
        if platform is None:
            raise NotFound("not found")
    if request.method == "POST":
        typed = {f: request.POST.get(f, "") for f in FIELDS}
        try:
            saved = platform_save(
                admin=admin, fields=PlatformFields(**typed), now=timezone.now(), platform=platform
            )
        except Invalid as e:
            context = {"platform": platform, "fields": typed, "problems": [str(p) for p in e.problems]}
            return render(request, "lti/platform_form.html", context, status=400)
        messages.success(request, _("%(name)s is registered.") % {"name": saved.name})
        return redirect("lti_platforms")
    fields = dict.fromkeys(FIELDS, "")
    if platform is not None:
        fields = {f: str(getattr(platform, f)) for f in FIELDS}
        fields["deployment_ids"] = "\n".join(str(d) for d in platform.deployment_ids)
    return render(request, "lti/platform_form.html", {"platform": platform, "fields": fields})


@action
def platform_remove(request: HttpRequest, platform_id: int) -> HttpResponse:
    access_school(_user(request))
    platform = Platform.objects.filter(pk=platform_id).first()
    if platform is None:
        raise NotFound("not found")
    name = platform.name
    platform.delete()  # its courses' ties and placed links go; people (by issuer), sections and work stay
    messages.success(request, _("%(name)s is no longer registered.") % {"name": name})
    return redirect("lti_platforms")


@action
def key_rotate(request: HttpRequest) -> HttpResponse:
    access_school(_user(request))
    try:
        made = keys.rotate()
    except keys.KeyError_ as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("A new key signs from now on (%(kid)s); the old one stays published.") % {"kid": made.kid},
        )
    return redirect("lti_platforms")


@action
def key_remove(request: HttpRequest, kid: str) -> HttpResponse:
    access_school(_user(request))
    try:
        keys.remove(kid)
    except keys.KeyError_ as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The key %(kid)s is no longer published.") % {"kid": kid})
    return redirect("lti_platforms")
