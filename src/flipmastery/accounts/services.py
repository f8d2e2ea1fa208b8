"""Writes about people: API tokens, and the sign-in throttle's counts of wrong passwords."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from flipmastery.accounts.api_tokens import password_stamp
from flipmastery.accounts.models import ApiToken, SignInFailures, User, hash_token
from flipmastery.accounts.throttle import FORGET_AFTER, limits, wait_after
from flipmastery.classroom.models import Section
from flipmastery.domain.errors import NotFound


@transaction.atomic
def api_token_issue(*, user: User, label: str = "") -> str:
    """A new raw token for `user`; only its digest is kept, so the raw value is shown once. It is stamped
    with the person's password (`password_stamp`), so a new password voids it (accounts/api_tokens.py)."""
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=hash_token(raw), label=label.strip()[:100], password_stamp=password_stamp(user)
    )
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


def api_token_revoke_own(*, user: User, token_id: int) -> None:
    """`user` revokes one of their own tokens; anyone else's, like a missing one, is not found."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if not deleted:
        raise NotFound("no such token")


@transaction.atomic
def sign_in_failed(*, username: str, address: str, now: datetime) -> None:
    """Count a wrong password for `username` from `address`, and overall; past a limit, sign-in waits
    (accounts/throttle.py). Counts older than a day are forgotten here, so the table stays small."""
    SignInFailures.objects.filter(last_failure_at__lt=now - FORGET_AFTER).delete()
    for where, limit in limits(address[:45]):
        row = _locked_row(username[:150], where, now)
        row.failures += 1
        row.last_failure_at = now
        wait = wait_after(row.failures, limit)
        row.locked_until = now + wait if wait else None
        row.save(update_fields=["failures", "last_failure_at", "locked_until"])


def _locked_row(username: str, address: str, now: datetime) -> SignInFailures:
    """The count of `username` at `address`, locked for this transaction; made when there is none."""
    for _ in range(2):
        found = SignInFailures.objects.select_for_update().filter(username=username, address=address).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():  # a savepoint: another server process may make it first
                return SignInFailures.objects.create(
                    username=username, address=address, failures=0, last_failure_at=now
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"the count of wrong passwords for {username!r} could not be read or made")


def sign_in_succeeded(*, username: str, address: str) -> None:
    """A right password: the username starts afresh, from this address and overall. Counts from other
    addresses stay, so signing in does not give someone guessing elsewhere new tries."""
    SignInFailures.objects.filter(
        username=username[:150], address__in=[a for a, _ in limits(address[:45])]
    ).delete()


def sign_in_unlock(*, section: Section, student_id: int) -> User:
    """A teacher of `section` lets one of its students sign in again at once, from everywhere (the caller
    checked that they teach it). Not a student of the section: NotFound, as for a missing one."""
    student = section.students.filter(pk=student_id).first()
    if student is None:
        raise NotFound("no such student in this section")
    SignInFailures.objects.filter(username=student.username).delete()
    return student
