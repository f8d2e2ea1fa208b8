"""Who is calling: a Bearer token (only its digest is stored; idle tokens and those issued before a password
change do not work, accounts/api_tokens.py) or the Django session (CSRF-checked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from flipmastery.accounts.api_tokens import find_token, token_works
from flipmastery.accounts.models import ApiToken, User
from flipmastery.api.errors import ApiError

# Recording every use would turn each read into a write; a minute is precise enough to spot stale tokens.
TOUCH_EVERY = timedelta(minutes=1)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        found = find_token(token)
        if found is None:
            return None
        now = timezone.now()
        if not token_works(found, now):  # idle too long, or the password changed since: it is gone for good
            if found.user.is_active:  # an inactive person's tokens may work again if they are reactivated
                ApiToken.objects.filter(pk=found.pk).delete()
            return None
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """ninja's session auth, except that an anonymous caller is told 401 (not a CSRF 403)
    and a failed CSRF check has its own error code."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as exc:
            if exc.status_code != 403:
                raise
            raise ApiError(
                403, "csrf_failed", "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
            ) from exc


bearer = BearerAuth()
AUTH = [bearer, SessionAuth()]  # bearer first: a token client never needs a CSRF token


def person(request: HttpRequest) -> User:
    """The authenticated person of an operation that requires auth."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def token_used(request: HttpRequest) -> ApiToken | None:
    found = getattr(request, "api_token", None)
    return found if isinstance(found, ApiToken) else None
