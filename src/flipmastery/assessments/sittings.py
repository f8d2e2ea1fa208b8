"""One sitting, one medium: a printed copy of a check is worked on paper and entered by a teacher.

Its student never sees, resumes, autosaves or submits it on a screen: the answers on the sheet are the
answers, and a screen that also took them would make two truths of one sitting (and block the entry of
the sheet). Every door a student has to an attempt asks here first; its teachers still read, reprint
and enter it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from flipmastery.assessments.models import Attempt
from flipmastery.domain.errors import DomainError


class OnPaper(DomainError):
    """The student asked a screen for a check that is open on paper."""

    code = "conflict"


def on_paper_words(code: str) -> str:
    """Where the check is and what to do with it, in the student's words (the playlist says it too)."""
    return _("Your %(code)s check is on paper: hand your sheet to your teacher.") % {"code": code}


def paper_refusal(code: str) -> OnPaper:
    return OnPaper(on_paper_words(code))


def is_on_paper(attempt: Attempt) -> bool:
    """An open printed copy: the sheet is still with the student."""
    return attempt.paper_code is not None and attempt.state == Attempt.State.OPEN


def refuse_on_paper(attempt: Attempt, user: Any) -> None:
    """The student of an open printed copy may not use it on a screen; anyone else is not asked here."""
    if attempt.student_id == getattr(user, "pk", None) and is_on_paper(attempt):
        raise paper_refusal(attempt.objective.code if attempt.objective else "")
