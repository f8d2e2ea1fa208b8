"""Writes about people: API tokens."""

from __future__ import annotations

from django.db import transaction

from flipmastery.accounts.models import ApiToken, User, hash_token


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """A new raw token for `user`; only its digest is kept, so the raw value is shown once."""
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, digest=hash_token(raw))
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()
