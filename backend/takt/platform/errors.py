"""Domain errors: what services raise when a rule of the business says no. They know no HTTP;
:mod:`takt.platform.problems` answers them as problem details in the reader's language.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "TaktError",
    "Unauthorized",
]


class TaktError(Exception):
    """A rule of the business said no. Services raise these; they know no HTTP.

    Args:
        message: A sentence a person on the shop floor understands: a
            :class:`~takt.platform.i18n.Message`, so that it is answered in the reader's
            language.
        code: A stable machine code such as ``scan.unknown``.
        extra: More members for the problem body (for example the offending field).

    Attributes:
        message: The English sentence as a plain ``str`` (for logs and JSON bodies).
        sentence: The sentence as given, to be translated where it is answered.
    """

    status_code: int = 400
    default_code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.sentence = message
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
