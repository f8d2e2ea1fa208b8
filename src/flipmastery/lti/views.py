"""The LTI endpoints an LMS calls (login initiation, launch, our JWKS) and the pages a launch leads to:
which section an LMS course is, and the deep linking picker. A refused launch is a page that says why.

PyLTI1p3 (with its Django cookie and cache storage) checks the OIDC exchange and the id_token: state, the
signature with the platform's key by kid, expiry, registration and deployment. It is fit for that, with
gaps we close ourselves: it does not consume a nonce (launch.use_nonce keeps each one used, so a replayed
id_token is refused), it does not check the audience beyond finding the registration (launch.check_audience,
with azp), its deep linking answer is HTML with an unescaped URL and an inline script our CSP forbids
(templates/lti/deep_link_return.html and static/lti/post-back.js instead), and it finds line items by tag
only when scoring (ags.py finds them by our resource id first)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.launch_data_storage.base import DisableSessionId

from flipmastery.accounts.models import Role
from flipmastery.classroom.selectors import courses_for_new_sections, taught_sections
from flipmastery.domain.errors import DomainError, NotFound
from flipmastery.lti import keys
from flipmastery.lti.launch import MESSAGE_TYPE, Refused, context_tie, launched, origins, role_of
from flipmastery.lti.models import Context, Person
from flipmastery.lti.toolconf import ToolConf
from flipmastery.web.views import _user, form_page

log = logging.getLogger(__name__)
FRAMING = "lti_frame_ancestors"  # session key: the LMS origins that may frame our pages (lti/middleware.py)
DEEP_LINK = "lti_deep_link"  # session key: the deep linking request being answered
TEACHING = "lti_teaching_contexts"  # session key: LMS courses this session launched as their teacher


def refused(request: HttpRequest, reason: str, status: int = 400) -> HttpResponse:
    response = render(request, "lti/refused.html", {"reason": reason}, status=status)
    response.headers["Content-Security-Policy"] = framed_policy(["https:", "http:"])
    response.xframe_options_exempt = True
    return response


def framed_policy(ancestors: list[str]) -> str:
    from flipmastery.web.middleware import POLICY

    return POLICY.replace("frame-ancestors 'self'", "frame-ancestors 'self' " + " ".join(ancestors))


def _storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage(cache_name="default")


KEYS_KEPT = 600  # seconds an LMS's JWKS is kept: a class launching at once fetches it once


class _Launch(DjangoMessageLaunch):
    """A launch that keeps the LMS's JWKS in the cache, and fetches it again when a token names a kid it
    does not hold (the LMS rotated its key) before refusing."""

    def get_public_key(self) -> tuple[str, str]:
        try:
            return super().get_public_key()
        except LtiException as e:
            storage = self._public_key_cache_data_storage
            registration = self._registration
            if storage is None or registration is None or "Unable to find public key" not in str(e):
                raise
            url = str(registration.get_key_set_url())
            with DisableSessionId(storage):  # PyLTI1p3 keeps the key set under this name, for every session
                storage.set_value("key-set-url-" + hashlib.md5(url.encode()).hexdigest(), None, exp=1)  # noqa: S324
            registration.set_key_set(None)
            return super().get_public_key()


def _plain(reason: Exception) -> str:
    """What went wrong, in words a teacher can pass on to the LMS's admin."""
    text = str(reason)
    if "expired" in text.lower():
        return _("This launch has expired. Open the link again from your course.")
    if "State not found" in text or "Missing state" in text:
        return _(
            "This launch cannot be matched to its start (the browser did not keep our cookie). Open the link "
            "again; if it happens again, ask the LMS to open this tool in a new window."
        )
    if "Nonce" in text or "nonce" in text:
        return _("This launch was already used or never started here. Open the link again from your course.")
    if "Registration not found" in text or "registration details" in text or "Client id" in text:
        return _("This LMS is not registered here, or not with this client id. Ask your school admin.")
    if "deployment" in text.lower():
        return _("This deployment of the tool is not registered here. Ask your school admin to add its id.")
    if "Signature" in text or "decode" in text or "KID" in text or "key" in text.lower():
        return _("The launch's signature does not match the LMS's keys: it is refused.")
    return _("The launch could not be verified.")


@csrf_exempt  # the LMS posts it; nothing changes here but a short-lived state cookie
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Third-party initiated login: a redirect to the LMS's auth URL carrying our state and nonce."""
    try:
        oidc = DjangoOIDCLogin(request, ToolConf(), launch_data_storage=_storage())
        return oidc.redirect(request.build_absolute_uri(reverse("lti_launch")))
    except (OIDCException, LtiException) as e:
        return refused(request, _plain(e))


@csrf_exempt  # the id_token is the proof: signed by the LMS, bound to our state cookie and nonce
@xframe_options_exempt
@never_cache
@require_http_methods(["POST"])
def launch(request: HttpRequest) -> HttpResponse:
    conf = ToolConf()
    storage = _storage()
    message = _Launch(request, conf, launch_data_storage=storage)
    message.set_public_key_caching(storage, cache_lifetime=KEYS_KEPT)
    try:
        claims: dict[str, Any] = dict(message.get_launch_data())
    except (LtiException, OIDCException) as e:
        log.warning("LTI launch refused: %s", e)
        return refused(request, _plain(e))
    platform = conf.found
    assert platform is not None  # the registration was found, or validation failed above
    now = timezone.now()
    try:
        if claims.get(MESSAGE_TYPE) == "LtiDeepLinkingRequest":
            return _deep_linking(request, message, claims, now)
        user, context, land = launched(platform, claims, now)
    except DomainError as e:
        return refused(request, str(e), status=403)
    _sign_in(request, user, claims, [platform.issuer, platform.auth_login_url])
    if land.view == "lti_pick_section":  # only a teacher of this LMS course, in this session, says which
        request.session[TEACHING] = sorted({*request.session.get(TEACHING, []), context.pk})
    url = reverse(land.view, args=land.args)
    if land.anchor:
        url += "#" + land.anchor
    return redirect(url)


def _sign_in(request: HttpRequest, user: Any, claims: dict[str, Any], urls: list[str]) -> None:
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])  # the LMS vouched for them
    presentation = claims.get("https://purl.imsglobal.org/spec/lti/claim/launch_presentation") or {}
    request.session[FRAMING] = origins(
        *urls, str(presentation.get("return_url") or ""), request.headers.get("Origin", "")
    )


def _deep_linking(request: HttpRequest, message: Any, claims: dict[str, Any], now: Any) -> HttpResponse:
    from flipmastery.lti.launch import check_audience, context_for, person_for, use_nonce

    conf_platform = message._tool_config.found
    check_audience(conf_platform, claims)
    use_nonce(conf_platform, claims, now)
    if role_of(claims) != Role.TEACHER:
        raise Refused(_("Only a teacher of the course can place our objectives in it."))
    user = person_for(conf_platform, claims, Role.TEACHER)
    context = context_for(conf_platform, claims, now)
    _sign_in(request, user, claims, [conf_platform.issuer, conf_platform.auth_login_url])
    settings_ = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings") or {}
    request.session[DEEP_LINK] = {
        "platform": conf_platform.pk,
        "context": context.pk,
        "deployment_id": str(claims.get("https://purl.imsglobal.org/spec/lti/claim/deployment_id", "")),
        "settings": settings_,
    }
    return redirect("lti_deep_link")


@require_safe
def jwks(request: HttpRequest) -> JsonResponse:
    """Our public keys: the platform checks our deep linking answers and token requests with them."""
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@xframe_options_exempt
def waiting(request: HttpRequest) -> HttpResponse:
    return refused(
        request,
        _("Your teacher has not opened this course here yet. Try the link again after they have."),
        status=200,
    )


@form_page
def pick_section(request: HttpRequest, context_id: int) -> HttpResponse:
    """At a teacher's first launch of an LMS course: which of our sections it is, or a new one of a course."""
    user = _user(request)
    if not (user.is_teacher or user.is_school_admin):
        raise NotFound("not found")
    context = _their_context(request, context_id)
    if context.section is not None:
        return redirect("cockpit_grid", section_id=context.section.pk)
    sections = list(taught_sections(user))
    courses = list(courses_for_new_sections(user))
    if request.method == "POST":
        chosen = request.POST.get("choice", "")
        kind, _sep, raw = chosen.partition(":")
        section = next((s for s in sections if kind == "section" and str(s.pk) == raw), None)
        course = next((c for c in courses if kind == "course" and str(c.pk) == raw), None)
        if section is None and course is None:
            return render(
                request,
                "lti/pick_section.html",
                {"context": context, "sections": sections, "courses": courses, "problem": _("Choose one.")},
                status=400,
            )
        tied = context_tie(context=context, teacher=user, section=section, course=course)
        return redirect("cockpit_grid", section_id=tied.pk)
    return render(
        request, "lti/pick_section.html", {"context": context, "sections": sections, "courses": courses}
    )


def _their_context(request: HttpRequest, context_id: int) -> Context:
    """An LMS course this session launched as its teacher: a teacher of another course of the same LMS may
    not tie this one to their section (and so take its students)."""
    found = (
        Context.objects.select_related("section", "platform")
        .filter(
            pk=context_id, platform__issuer__in=Person.objects.filter(user=_user(request)).values("issuer")
        )
        .first()
    )
    if found is None or context_id not in request.session.get(TEACHING, []):
        raise NotFound("not found")
    return found
