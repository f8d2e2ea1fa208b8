"""How a username and password are checked: Django's own check, behind the sign-in throttle."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.accounts.services import sign_in_failed, sign_in_succeeded
from flipmastery.accounts.throttle import SignInThrottled, sign_in_standing
from flipmastery.prepared import Prepared

# the person of a signed-in page, read on every request: prepared (flipmastery/prepared.py)
_BY_ID = Prepared(lambda pk: User.objects.filter(pk=pk).order_by()[:1], int)


class ThrottledModelBackend(ModelBackend):
    """Every password check of the product (the sign-in page, `POST /api/v1/auth/token`, the admin's login)
    calls `django.contrib.auth.authenticate`, which asks this backend; so none of them escapes the throttle
    (accounts/throttle.py). While sign-in waits it raises SignInThrottled without checking the password,
    which also spares the server a hash for each try of someone guessing."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> User | None:
        if username is None:
            username = kw.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request)
        now = timezone.now()
        standing = sign_in_standing(username=username, address=address, now=now)
        if standing.wait_seconds:
            raise SignInThrottled(standing.wait_seconds)
        user = super().authenticate(request, username=username, password=password, **kw)
        if user is None:
            sign_in_failed(username=username, address=address, now=now)
        elif standing.counted:
            sign_in_succeeded(username=username, address=address)
        return user if isinstance(user, User) else None

    def get_user(self, user_id: Any) -> User | None:
        """As Django's: the person of the session, unless they may no longer sign in."""
        if type(user_id) is not int:
            found = super().get_user(user_id)
            return found if isinstance(found, User) else None
        user = _BY_ID.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from. Behind a proxy that is the proxy's, so every sign-in shares it:
    the counts per username still hold, which is all the throttle needs."""
    return str(request.META.get("REMOTE_ADDR") or "") if request is not None else ""
