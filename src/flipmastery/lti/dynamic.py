"""IMS LTI Dynamic Registration: a school admin makes a one-time URL here and pastes it into Moodle 4.1+ or
Canvas; the LMS opens it with its openid_configuration, we read that, post our registration to it, keep
the platform and tell the LMS's page to close. The URL is secret and used once: nobody else can register an
LMS with us."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from flipmastery.accounts.models import User
from flipmastery.lti.ags import SCOPES
from flipmastery.lti.models import Platform
from flipmastery.lti.views import framed_policy, refused
from flipmastery.school.selectors import access_school
from flipmastery.web.views import _user, form_page

TOKEN_DAYS = 7
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
TIMEOUT = 20


def _key(token: str) -> str:
    return f"lti-dynamic-registration-{token}"


@form_page
def start(request: HttpRequest) -> HttpResponse:
    """A school admin makes a one-time registration URL (valid a week)."""
    admin = access_school(_user(request))
    url = ""
    if request.method == "POST":
        token = secrets.token_urlsafe(24)
        cache.set(_key(token), admin.pk, TOKEN_DAYS * 86400)
        url = request.build_absolute_uri(reverse("lti_dynamic_register", args=[token]))
    return render(request, "lti/dynamic_start.html", {"url": url, "days": TOKEN_DAYS})


class RegistrationFailed(Exception):
    pass


def tool_metadata(request: HttpRequest) -> dict[str, Any]:
    url = request.build_absolute_uri
    launch = url(reverse("lti_launch"))
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": url(reverse("lti_login")),
        "redirect_uris": [launch],
        "client_name": "flipmastery",
        "jwks_uri": url(reverse("lti_jwks")),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(
            [*SCOPES, "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly", NRPS_SCOPE]
        ),
        TOOL_CONFIG: {
            "domain": urlsplit(launch).netloc,
            "target_link_uri": launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch, "label": "flipmastery"},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": launch, "label": "flipmastery"},
            ],
        },
    }


def register_with(
    *, request: HttpRequest, config_url: str, registration_token: str, admin_id: int | None, now: datetime
) -> Platform:
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        found = requests.get(config_url, headers=headers, timeout=TIMEOUT)
        found.raise_for_status()
        config = found.json()
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
        missing = [k for k in needed if not config.get(k)]
        if missing:
            raise RegistrationFailed(
                _("The LMS's configuration lacks %(what)s.") % {"what": ", ".join(missing)}
            )
        answer = requests.post(
            config["registration_endpoint"], json=tool_metadata(request), headers=headers, timeout=TIMEOUT
        )
        answer.raise_for_status()
        registered = answer.json()
    except (requests.RequestException, ValueError) as e:
        raise RegistrationFailed(
            _("The LMS could not be reached or answered oddly: %(why)s") % {"why": e}
        ) from e
    client_id = str(registered.get("client_id") or "")
    if not client_id:
        raise RegistrationFailed(_("The LMS did not give a client id."))
    deployment = str((registered.get(TOOL_CONFIG) or {}).get("deployment_id") or "")
    family = str(
        (config.get("https://purl.imsglobal.org/spec/lti-platform-configuration") or {}).get(
            "product_family_code"
        )
        or ""
    )
    platform, _made = Platform.objects.get_or_create(
        issuer=str(config["issuer"]),
        client_id=client_id,
        defaults={
            "name": (family or urlsplit(str(config["issuer"])).netloc)[:120],
            "created_at": now,
            "created_by": User.objects.filter(pk=admin_id or 0).first(),
            "auth_login_url": str(config["authorization_endpoint"]),
            "auth_token_url": str(config["token_endpoint"]),
            "key_set_url": str(config["jwks_uri"]),
        },
    )
    if deployment and deployment not in platform.deployment_ids:
        platform.deployment_ids = [*platform.deployment_ids, deployment]
        platform.save(update_fields=["deployment_ids"])
    return platform


@xframe_options_exempt
@never_cache
@require_safe
def register(request: HttpRequest, token: str) -> HttpResponse:
    """Opened by the LMS (in its window or frame) with ?openid_configuration=…&registration_token=…"""
    admin_id = cache.get(_key(token))
    if admin_id is None:
        return refused(
            request, _("This registration URL is not valid (used, expired or mistyped). Make a new one."), 404
        )
    config_url = request.GET.get("openid_configuration", "")
    if not config_url.startswith(("https://", "http://")):
        return refused(request, _("Open this URL from the LMS's tool registration, not in a browser tab."))
    try:
        platform = register_with(
            request=request,
            config_url=config_url,
            registration_token=request.GET.get("registration_token", ""),
            admin_id=admin_id,
            now=timezone.now(),
        )
    except RegistrationFailed as e:
        return refused(request, str(e), 502)
    cache.delete(_key(token))
    response = render(request, "lti/dynamic_done.html", {"platform": platform})
    response.headers["Content-Security-Policy"] = framed_policy(["https:", "http:"])
    return response
