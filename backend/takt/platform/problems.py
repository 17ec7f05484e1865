"""Domain errors answered as RFC 9457 problem details: the one mapping from
:mod:`takt.platform.errors` (and Litestar's own refusals) to HTTP.

Every sentence of a problem body is a :class:`~takt.platform.i18n.Message`, answered in the
language the request's ``Accept-Language`` prefers (English or zh-CN).
"""

from __future__ import annotations

import logging
from typing import Any

from asyncpg.exceptions import CharacterNotInRepertoireError
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

from takt.platform.errors import TaktError
from takt.platform.i18n import Message, negotiate, translate

__all__ = ["PROBLEM_MEDIA_TYPE", "exception_handlers", "locale_of", "problem"]

# The logger keeps its name: log filters and alerts already read "takt.errors".
log = logging.getLogger("takt.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
"""The media type of every refusal (RFC 9457)."""


_TITLES = {
    400: Message("Bad request", context="title"),
    401: Message("Not signed in", context="title"),
    403: Message("Not allowed", context="title"),
    404: Message("Not found", context="title"),
    405: Message("Method not allowed", context="title"),
    409: Message("Conflict", context="title"),
    422: Message("Cannot be done", context="title"),
    429: Message("Too many requests", context="title"),
    500: Message("Internal error", context="title"),
}
_ERROR_TITLE = Message("Error", context="title")


def locale_of(request: Request[Any, Any, Any]) -> str:
    """The locale a request's ``Accept-Language`` prefers: ``en`` or ``zh-CN``."""
    return negotiate(request.headers.get("accept-language"))


def problem(
    status: int, code: str, detail: str, *, instance: str | None = None, locale: str = "en",
    **extra: Any
) -> Response[dict[str, Any]]:
    """Build an RFC 9457 problem-details response.

    Args:
        status: The HTTP status.
        code: The stable machine code, the same in every language.
        detail: The sentence; a :class:`~takt.platform.i18n.Message` is given in ``locale``.
        instance: The path the problem happened on.
        locale: The reader's locale (see :func:`locale_of`).
        extra: More members for the body; a :class:`~takt.platform.i18n.Message` in them
            (an import's row sentences) is given in ``locale`` too.
    """
    body: dict[str, Any] = {
        "type": f"urn:takt:problem:{code}",
        "title": translate(_TITLES.get(status, _ERROR_TITLE), locale),
        "status": status,
        "detail": translate(detail, locale),
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update({name: _in_locale(value, locale) for name, value in extra.items()})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _in_locale(value: Any, locale: str) -> Any:
    """A body member with every Message in it translated (msgspec cannot encode a Message)."""
    if isinstance(value, str):
        return translate(value, locale)
    if isinstance(value, dict):
        return {key: _in_locale(item, locale) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_in_locale(item, locale) for item in value]
    return value


def _domain(request: Request[Any, Any, Any], exc: TaktError) -> Response[dict[str, Any]]:
    return problem(exc.status_code, exc.code, exc.sentence, instance=request.url.path,
                   locale=locale_of(request), **exc.extra)


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            key = item.get("key") or ""
            message = str(item.get("message") or "")
            errors.append({"field": key, "message": message})
    # msgspec's own message stays as it is (English) inside the reader's frame: it names the
    # field and the rule exactly, and the app shows the field in its own words beside it.
    detail: Message
    if errors and errors[0]["field"]:
        detail = Message("The request is not valid (field {field}): {message}",
                         field=errors[0]["field"], message=errors[0]["message"])
    elif errors:
        detail = Message("The request is not valid: {message}", message=errors[0]["message"])
    else:
        detail = Message("The request is not valid: {message}", message=str(exc.detail))
    return problem(400, "request.invalid", detail, instance=request.url.path,
                   locale=locale_of(request), errors=errors)


_HTTP_CODES: dict[int, tuple[str, Message]] = {
    401: ("auth.unauthorized", Message("Sign in first: this needs a valid session or token.")),
    403: ("auth.forbidden", Message("Your roles do not allow this.")),
    404: ("not_found", Message("There is nothing at this address.")),
    405: ("method_not_allowed", Message("This address does not accept that method.")),
    429: ("rate_limited", Message("Too many requests; wait a minute and try again.")),
}


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code, detail = _HTTP_CODES.get(status, ("http_error", exc.detail))
    response = problem(status, code, detail, instance=request.url.path,
                       locale=locale_of(request))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "internal",
        Message("Something went wrong in Takt; the error was logged. Nothing was saved."),
        instance=request.url.path,
        locale=locale_of(request),
    )


def _nul_character(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # PostgreSQL text cannot hold U+0000 (SQLite can); refused whole, the transaction rolled back.
    return problem(400, "request.nul_character",
                   Message("Text may not contain the NUL character (U+0000)."),
                   instance=request.url.path, locale=locale_of(request))


exception_handlers: dict[Any, Any] = {
    CharacterNotInRepertoireError: _nul_character,
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
