"""Schemathesis hooks for the fuzz run (loaded through ``SCHEMATHESIS_HOOKS``).

A handheld sends every command with a fresh ``Idempotency-Key``; so does the fuzzer, so that
commands run rather than replay the first answer.
"""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis


@schemathesis.hook
def before_call(context: Any, case: Any, **kwargs: Any) -> None:
    if case.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
        case.headers = {**(case.headers or {}), "Idempotency-Key": str(uuid.uuid4())}
