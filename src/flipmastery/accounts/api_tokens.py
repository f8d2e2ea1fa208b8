"""When an API token works: its person is active, it was used within TOKEN_IDLE_DAYS (sliding: each use
starts the count again), and their password has not changed since it was issued."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import constant_time_compare

from flipmastery.accounts.models import ApiToken, User, hash_token
from flipmastery.written_out import stored_moment


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


# the tables of ApiToken and User (tests/accounts pin these names)
BY_DIGEST = (
    "SELECT u.*, t.id AS token_pk, t.password_stamp AS token_stamp, t.created_at AS token_created,"
    " t.last_used_at AS token_used FROM accounts_apitoken t INNER JOIN accounts_user u ON u.id = t.user_id"
    " WHERE t.digest = %s"
)


def find_token(raw: str) -> ApiToken | None:
    """The token with this raw value, with its person: the read every API call makes, so it is written
    out rather than built by the ORM each time (about a fifth of the CPU). Whether it works is
    `token_works`'s to say."""
    for user in User.objects.raw(BY_DIGEST, [hash_token(raw)]):
        row: Any = user  # the token's columns ride along under their aliases
        created = stored_moment(row.token_created)
        if created is None:  # the column is NOT NULL: never, but nothing unreadable opens a door
            return None
        token = ApiToken(
            id=row.token_pk,
            user=user,
            password_stamp=row.token_stamp,
            created_at=created,
            last_used_at=stored_moment(row.token_used),
        )
        token._state.adding = False
        token._state.db = user._state.db
        return token
    return None
