"""Error pages Django answers for itself: a request too large to read is a 413 (a page, or the API's JSON)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from flipmastery.api.errors import too_large
from flipmastery.api.routing import not_stored


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400. Django turns every SuspiciousOperation into a 400, a body over DATA_UPLOAD_MAX_MEMORY_SIZE
    too (read by the CSRF check or the view); that one is a 413 saying what the limit is."""
    if isinstance(exception, RequestDataTooBig):
        if request.path.startswith("/api/"):
            return not_stored(JsonResponse(too_large(), status=413))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return render(request, "413.html", {"limit": limit}, status=413)
    return defaults.bad_request(request, exception)
