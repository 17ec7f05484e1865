"""Sentences for people, in the language their request asks for (English and zh-CN).

Services know no HTTP, so they cannot know who reads a refusal. They raise a
:class:`Message`: an English template with its parameters. It *is* the English sentence
(a ``str``), so logs, the CLI and tests read it as before; the one place that turns domain
errors into problem details translates it with :func:`translate` for the locale that
:func:`negotiate` picks from the request's ``Accept-Language``.

The zh-CN catalog (``locales/zh-CN.json``) is keyed by the English template and follows the
project glossary, the same words as the app's own strings. A template the catalog lacks is
answered in English; a unit test keeps every raised template in the catalog.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "Message",
    "catalog",
    "catalog_key",
    "negotiate",
    "placeholders",
    "term",
    "translate",
]

DEFAULT_LOCALE = "en"
LOCALES = ("en", "zh-CN")

_LOCALE_DIR = Path(__file__).with_name("locales")
# Language tags that read Simplified Chinese; any other language falls back to English.
_ZH_CN_TAGS = frozenset({"zh", "zh-cn", "zh-hans", "zh-hans-cn"})


class Message(str):
    """A sentence with the English template and parameters it was made from.

    Args:
        template: The English sentence with ``str.format`` placeholders, written as a
            literal at the raise site so that the catalog test can find it.
        context: Set only when the same English words need different Chinese in different
            places (``released`` is 已下达 on a work order, 已放行 on a lot).
        **params: The values of the placeholders. A value that is itself a :class:`Message`
            is translated too.

    Example:
        >>> Message("There is no lot {code}.", code="L-1")
        'There is no lot L-1.'
    """

    template: str
    params: dict[str, Any]
    context: str | None

    def __new__(cls, template: str, /, *, context: str | None = None, **params: Any) -> Message:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        self.context = context
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.context, self.params))


def _rebuild(template: str, context: str | None, params: dict[str, Any]) -> Message:
    return Message(template, context=context, **params)


def term(context: str, value: str) -> Message:
    """A code word (a status, a movement kind) as words in a sentence, translated per object.

    Example:
        >>> term("work order status", "on_hold")
        'on hold'
    """
    return Message(value.replace("_", " "), context=context)


def catalog_key(template: str, context: str | None = None) -> str:
    """The catalog key of a template: the English itself, prefixed by its context if any."""
    return f"{context}|{template}" if context else template


@cache
def catalog(locale: str) -> dict[str, str]:
    """The translations of one locale, keyed by :func:`catalog_key` (empty for English)."""
    path = _LOCALE_DIR / f"{locale}.json"
    if locale == DEFAULT_LOCALE or not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def placeholders(template: str) -> frozenset[str]:
    """The names of a template's placeholders (conversions and format specs aside)."""
    return frozenset(
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    )


def translate(text: str, locale: str) -> str:
    """Give ``text`` in ``locale``: a :class:`Message` is translated, any other str as is.

    A template the catalog lacks, or one whose translation cannot be filled, stays English
    rather than failing the answer it is part of.
    """
    if not isinstance(text, Message):
        return str(text)
    params = {name: translate(value, locale) if isinstance(value, Message) else value
              for name, value in text.params.items()}
    template = catalog(locale).get(catalog_key(text.template, text.context), text.template)
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):
        return text.template.format(**params) if params else text.template


def negotiate(accept_language: str | None) -> str:
    """Pick the locale an ``Accept-Language`` header prefers among :data:`LOCALES`.

    The highest q-value wins, the earlier tag on a tie; zh, zh-CN and zh-Hans mean zh-CN, en
    and en-* mean English, and a header naming neither (or none at all) gets English.

    Example:
        >>> negotiate("fr-FR, zh-CN;q=0.8, en;q=0.5")
        'zh-CN'
    """
    best, best_q = DEFAULT_LOCALE, 0.0
    for part in (accept_language or "").split(","):
        tag, *attributes = (piece.strip() for piece in part.split(";"))
        tag = tag.lower()
        if tag in _ZH_CN_TAGS:
            locale = "zh-CN"
        elif tag == "en" or tag.startswith("en-"):
            locale = "en"
        else:
            continue
        q = 1.0
        for attribute in attributes:
            name, _, value = attribute.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = locale, q
    return best
