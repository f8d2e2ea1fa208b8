"""When an API token works: its person is active, it was used within TOKEN_IDLE_DAYS (sliding: each use
starts the count again), and their password has not changed since it was issued."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import constant_time_compare

from flipmastery.accounts.models import ApiToken, User, hash_token
from flipmastery.prepared import Prepared


def password_stamp(user: User) -> str:
    """What a token remembers of its person's password: Django's session hash, an HMAC of the stored hash
    under the secret key (so it reveals nothing of the password, and leaks nothing if the table is copied).
    A new password, a rehash of the old one with stronger parameters (accounts/hashers.py) or a new secret
    key changes it, and so voids the tokens, as Django does with sessions."""
    return user.get_session_auth_hash()


def idle_limit() -> timedelta:
    return timedelta(days=settings.TOKEN_IDLE_DAYS)


def expires_at(token: ApiToken) -> datetime:
    """When the token stops working unless it is used before."""
    return (token.last_used_at or token.created_at) + idle_limit()


def token_works(token: ApiToken, now: datetime) -> bool:
    """`token` (with its user loaded) may authenticate now. A token issued before tokens were stamped has
    an empty stamp and works no more: whether its password changed cannot be known."""
    return (
        token.user.is_active
        and now < expires_at(token)
        and bool(token.password_stamp)
        and constant_time_compare(token.password_stamp, password_stamp(token.user))
    )


def working_tokens(user: User, now: datetime) -> list[ApiToken]:
    """The tokens `user` holds that still work, newest first."""
    cutoff = now - idle_limit()
    recent = Q(last_used_at__gte=cutoff) | Q(last_used_at__isnull=True, created_at__gte=cutoff)
    found = ApiToken.objects.filter(recent, user=user).select_related("user").order_by("-created_at", "-pk")
    return [t for t in found if token_works(t, now)]


# the read every API call makes: compiled by the ORM once per thread (flipmastery/prepared.py)
_BY_DIGEST = Prepared(
    lambda digest: ApiToken.objects.select_related("user").filter(digest=digest).order_by()[:1], str
)


def find_token(raw: str) -> ApiToken | None:
    """The token with this raw value, with its person. Whether it works is `token_works`'s to say."""
    return _BY_DIGEST.first(hash_token(raw))
