"""Which language a page speaks: the person's choice, else their course's language, else the browser's.

Django's LocaleMiddleware has already picked the language from the language cookie (set by the switch
in every page's footer, POST /i18n/setlang/) or from Accept-Language. A student who has not chosen yet
sees a course whose `language` is one we translate to (other than English, the default) in that
language: a Hindi-medium class gets Hindi pages on a school computer whose browser says "en-US".

This runs in the views, not in a middleware, because only the view knows the section: it costs no query
(the section's course is already loaded), and a student of a Hindi course and an English one sees each
course in its own language. A new student page calls `use_course_language(request, section)`
right after its access check and before it renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from flipmastery.classroom.models import Section


def chose_language(request: HttpRequest) -> bool:
    """True when the person picked a language we offer (the language cookie)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not chosen:
        return False
    try:
        translation.get_supported_language_variant(chosen)
    except LookupError:
        return False
    return True


def use_course_language(request: HttpRequest, *sections: Section) -> None:
    """Speak the sections' course language to a student who has not chosen one, when all those courses
    share one we translate to. Teachers keep their own choice: their pages are in English for now.
    The course is read only when it matters (a student without the cookie)."""
    if not getattr(request.user, "is_student", False) or chose_language(request):
        return
    language = _shared_language(section.course.language for section in sections)
    if language is None or language == settings.LANGUAGE_CODE:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _shared_language(languages: Iterable[str]) -> str | None:
    found = set(languages)
    if len(found) != 1:
        return None
    try:
        return translation.get_supported_language_variant(found.pop())
    except LookupError:
        return None
