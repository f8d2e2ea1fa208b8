"""Tokens: POST /auth/token trades a username and password for a Bearer token (throttled per username: 429
with Retry-After); DELETE /auth/token revokes the one used; GET /auth/tokens lists mine and DELETE
/auth/tokens/{id} revokes one of them. A token stops working when unused for TOKEN_IDLE_DAYS and when its
person's password changes (accounts/api_tokens.py)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router

from flipmastery.accounts.api_tokens import expires_at, working_tokens
from flipmastery.accounts.models import User
from flipmastery.accounts.services import api_token_issue, api_token_revoke, api_token_revoke_own
from flipmastery.accounts.throttle import SignInThrottled
from flipmastery.api.auth import bearer, person, token_used
from flipmastery.api.errors import ApiError, error_body
from flipmastery.api.schemas import ErrorOut, TokenIn, TokenInfoOut, TokenOut

router = Router(tags=["auth"])


@router.post(
    "/token",
    auth=None,
    response={201: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="auth_token_issue",
)
def issue_token(request: HttpRequest, credentials: TokenIn) -> tuple[int, TokenOut] | HttpResponse:
    try:
        user = authenticate(request, username=credentials.username, password=credentials.password)
    except SignInThrottled as throttled:
        return throttled_answer(throttled)
    if not isinstance(user, User):  # wrong password, unknown name and inactive people alike
        raise ApiError(401, "invalid_credentials", "Wrong username or password.")
    return 201, TokenOut(token=api_token_issue(user=user, label=credentials.label))


def throttled_answer(throttled: SignInThrottled) -> HttpResponse:
    """429 with Retry-After: too many wrong passwords for this username (accounts/throttle.py)."""
    wait = throttled.wait_seconds
    body = error_body(throttled.code, str(throttled), {"retry_after": wait})
    return JsonResponse(body, status=429, headers={"Retry-After": str(wait)})


@router.delete("/token", auth=bearer, response={204: None, 401: ErrorOut}, operation_id="auth_token_revoke")
def revoke_token(request: HttpRequest) -> tuple[int, None]:
    token = token_used(request)
    if token is not None:
        api_token_revoke(token=token)
    return 204, None


@router.get("/tokens", response={200: list[TokenInfoOut], 401: ErrorOut}, operation_id="auth_tokens_list")
def list_tokens(request: HttpRequest) -> list[TokenInfoOut]:
    """The tokens I hold that still work, newest first; never their secrets."""
    used = token_used(request)
    return [
        TokenInfoOut(
            id=t.pk,
            label=t.label,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
            expires_at=expires_at(t),
            current=used is not None and used.pk == t.pk,
        )
        for t in working_tokens(person(request), timezone.now())
    ]


@router.delete(
    "/tokens/{int:token_id}",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    operation_id="auth_tokens_revoke",
)
def revoke_one(request: HttpRequest, token_id: int) -> tuple[int, None]:
    """Revoke one of my tokens (a lost phone); someone else's is not found, like a missing one."""
    api_token_revoke_own(user=person(request), token_id=token_id)
    return 204, None
