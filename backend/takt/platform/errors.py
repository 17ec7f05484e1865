"""Domain errors and their one mapping to RFC 9457 problem-details responses."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "TaktError",
    "Unauthorized",
    "exception_handlers",
    "problem",
]

log = logging.getLogger("takt.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class TaktError(Exception):
    """A rule of the business said no. Services raise these; they know no HTTP.

    Args:
        message: A sentence a person on the shop floor understands.
        code: A stable machine code such as ``scan.unknown``.
        extra: More members for the problem body (for example the offending field).
    """

    status_code: int = 400
    default_code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra


class Invalid(TaktError):
    """The input is well-formed but breaks a rule (422)."""

    status_code = 422
    default_code = "invalid"


class NotFound(TaktError):
    """The record does not exist (404)."""

    status_code = 404
    default_code = "not_found"


class Conflict(TaktError):
    """The record's state does not allow this now (409)."""

    status_code = 409
    default_code = "conflict"


class Unauthorized(TaktError):
    """Not signed in, or the credentials are wrong (401)."""

    status_code = 401
    default_code = "auth.unauthorized"


class Forbidden(TaktError):
    """Signed in, but the roles do not allow this (403)."""

    status_code = 403
    default_code = "auth.forbidden"


_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Cannot be done",
    429: "Too many requests",
    500: "Internal error",
}


def problem(
    status: int, code: str, detail: str, *, instance: str | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    """Build an RFC 9457 problem-details response."""
    body: dict[str, Any] = {
        "type": f"urn:takt:problem:{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _domain(request: Request[Any, Any, Any], exc: TaktError) -> Response[dict[str, Any]]:
    return problem(exc.status_code, exc.code, exc.message, instance=request.url.path, **exc.extra)


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            key = item.get("key") or ""
            message = str(item.get("message") or "")
            errors.append({"field": key, "message": message})
    if errors:
        first = errors[0]
        where = f" (field {first['field']})" if first["field"] else ""
        detail = f"The request is not valid{where}: {first['message']}"
    else:
        detail = f"The request is not valid: {exc.detail}"
    return problem(400, "request.invalid", detail, instance=request.url.path, errors=errors)


_HTTP_CODES = {
    401: ("auth.unauthorized", "Sign in first: this needs a valid session or token."),
    403: ("auth.forbidden", "Your roles do not allow this."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    429: ("rate_limited", "Too many requests; wait a minute and try again."),
}


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code, detail = _HTTP_CODES.get(status, ("http_error", exc.detail))
    response = problem(status, code, detail, instance=request.url.path)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "internal",
        "Something went wrong in Takt; the error was logged. Nothing was saved.",
        instance=request.url.path,
    )


exception_handlers: dict[Any, Any] = {
    TaktError: _domain,
    ValidationException: _validation,
    NotAuthorizedException: _http,
    PermissionDeniedException: _http,
    NotFoundException: _http,
    MethodNotAllowedException: _http,
    TooManyRequestsException: _http,
    HTTPException: _http,
    Exception: _unexpected,
}
