"""POST /auth/token trades a username and password for a Bearer token (throttled per username, 429 with
Retry-After); DELETE revokes the one used."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from flipmastery.accounts.models import User
from flipmastery.accounts.services import api_token_issue, api_token_revoke
from flipmastery.accounts.throttle import SignInThrottled
from flipmastery.api.auth import bearer, token_used
from flipmastery.api.errors import ApiError, error_body
from flipmastery.api.schemas import ErrorOut, TokenIn, TokenOut

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
    return 201, TokenOut(token=api_token_issue(user=user))


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
