"""One JSON error shape for the whole API: {"error": code, "message": text, "details": …}."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from flipmastery.domain.errors import DomainError, Invalid

logger = logging.getLogger(__name__)

# HTTP status for each DomainError code; a code not listed here is a rule refusing a request (400).
STATUS_BY_CODE = {
    "not_found": 404,
    "invalid": 422,
    "not_authenticated": 401,
    "forbidden": 403,
    "conflict": 409,
    "not_ready": 409,
    "bank_too_small": 409,
    "archived": 409,  # an archived section is read-only
    "join_closed": 409,  # its teachers closed joining by code
}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}

SERVER_ERROR = "Something went wrong on the server; it has been logged."


class ApiError(HttpError):
    """An HTTP-level refusal that carries its own error code (e.g. csrf_failed, invalid_credentials)."""

    def __init__(self, status_code: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.details = details


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details}


def too_large() -> dict[str, Any]:
    """The body of a 413: the request was bigger than DATA_UPLOAD_MAX_MEMORY_SIZE, so none of it was read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_body(
        "too_large",
        f"The request is larger than this server accepts ({limit // (1024 * 1024)} MB).",
        {"limit_bytes": limit},
    )


def describe(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and JSON body for an exception raised while serving a request."""
    if isinstance(exc, DomainError):
        details: list[dict[str, str | None]] | None = None
        if isinstance(exc, Invalid):
            details = [
                {"message": p.message, "location": str(p.location) if p.location else None}
                for p in exc.problems
            ]
        return STATUS_BY_CODE.get(exc.code, 400), error_body(exc.code, str(exc), details)
    if isinstance(exc, ValidationError):
        fields = [
            {"loc": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors
        ]
        return 422, error_body("invalid", "The request is not valid; see details.", fields)
    if isinstance(exc, ApiError):
        return exc.status_code, error_body(exc.code, exc.message, exc.details)
    if isinstance(exc, AuthenticationError):
        return 401, error_body("not_authenticated", "Log in or send a valid Bearer token.")
    if isinstance(exc, HttpError):
        return exc.status_code, error_body(CODE_BY_STATUS.get(exc.status_code, "error"), exc.message)
    if isinstance(exc, Http404):
        return 404, error_body("not_found", "Not found.")
    if isinstance(exc, PermissionDenied):
        return 403, error_body("forbidden", "You may not do this.")
    if isinstance(exc, RequestDataTooBig):  # raised by Django when ninja reads the body
        return 413, too_large()
    return 500, error_body("server_error", SERVER_ERROR)


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (which answer {"detail": …} or a traceback) with ours."""

    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        status, body = describe(exc)
        if status >= 500:  # the traceback goes to the server log, never to the client
            logger.error("unexpected error in %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(request, body, status=status)

    # ninja looks handlers up along the exception's MRO, so its own defaults for these classes must go.
    for exc_class in (DomainError, ValidationError, HttpError, Http404, PermissionDenied, Exception):
        api.add_exception_handler(exc_class, handle)
