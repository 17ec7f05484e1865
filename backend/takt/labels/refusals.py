"""Why msgspec refused a label template, told as one sentence a person can act on.

msgspec checks a template against the Structs of :mod:`takt.labels.template` and stops at the
first value it meets that breaks a constraint, in whatever order the file lists its keys, with
a message for programmers ("Expected `float` > 0.0 - at `$.elements[1].size_mm`"). The person
editing ``labels/wo.json`` reads instead which template and element, which key, the value, and
the rule: "Element 2 of the label template 'WO' has size_mm -3; it must be more than 0."

The sentence is found by checking the data the way a person reads it: the template's keys, its
name, its other values, then each element in turn (its type, keys and values). Every value is
checked by msgspec against the annotation of its Struct field, and a constraint carries the
end of its sentence in ``Meta(extra={"refusal": ...})``, so a rule is written once.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import msgspec.inspect as mi

from takt.platform.i18n import Message

__all__ = ["refusal"]

_ELEMENTS = "elements"


def refusal(
    data: Any,
    error: msgspec.ValidationError,
    template: type[msgspec.Struct],
    elements: Mapping[str, type[msgspec.Struct]],
) -> str:
    """The sentence that says what is wrong with a template msgspec refused.

    Args:
        data: The template as decoded from JSON.
        error: What msgspec said (its words are the last resort).
        template: The template Struct.
        elements: The element Structs by their ``type`` value.

    Returns:
        One sentence naming where the mistake is and what the rule asks, a
        :class:`~takt.platform.i18n.Message` (msgspec's own words, the last resort, stay
        English inside it).
    """
    if not isinstance(data, Mapping):
        return Message("A label template must be a JSON object.")
    where = Message("The label template")
    sentence = _keys(data, template, where)
    if sentence:
        return sentence
    name = data["name"]
    if not _conforms(name, _hints(template)["name"]):
        return Message("{where} needs a non-empty text 'name'.", where=where)
    where = Message("The label template {name!r}", name=name)
    sentence = _values(data, template, where, skip=("name", _ELEMENTS))
    if sentence:
        return sentence
    items = data[_ELEMENTS]
    if not isinstance(items, list):
        return Message("{where} must have {key!r} as a list.", where=where, key=_ELEMENTS)
    for i, item in enumerate(items):
        sentence = _element(item, Message("Element {number} of the label template {name!r}",
                                          number=i + 1, name=name), elements)
        if sentence:
            return sentence
    return Message("{where} is not valid: {error}.", where=where, error=str(error))


def _element(item: Any, where: str, elements: Mapping[str, type[msgspec.Struct]]) -> str | None:
    if not isinstance(item, Mapping):
        return Message("{where} must be a JSON object.", where=where)
    kind = item.get("type")
    struct = elements.get(kind) if isinstance(kind, str) else None
    if struct is None:
        return Message("{where} has type {kind!r}; the element types are {types}.",
                       where=where, kind=kind, types=_quoted_list(list(elements)))
    return _keys(item, struct, where) or _values(item, struct, where)


def _keys(data: Mapping[Any, Any], struct: type[msgspec.Struct], where: str) -> str | None:
    info = _info(struct)
    tag = [info.tag_field] if info.tag_field else []
    required = tag + [f.encode_name for f in info.fields if f.required]
    optional = [f.encode_name for f in info.fields if not f.required]
    missing = [k for k in required if k not in data]
    if missing:
        return Message("{where} is missing {keys}.", where=where, keys=_quoted_list(missing))
    unknown = sorted(str(k) for k in data if k not in required and k not in optional)
    if unknown:
        return Message("{where} has unknown {keys}; the keys it may have are {allowed}.",
                       where=where, keys=_quoted_list(unknown),
                       allowed=_quoted_list([*required, *optional]))
    return None


def _values(
    data: Mapping[str, Any], struct: type[msgspec.Struct], where: str, skip: Sequence[str] = ()
) -> str | None:
    hints = _hints(struct)
    for field in _info(struct).fields:
        key = field.encode_name
        if key in skip or key not in data or _conforms(data[key], hints[field.name]):
            continue
        return _value(where, key, data[key], field.type)
    return None


def _value(where: str, key: str, value: Any, kind: mi.Type) -> str:
    if isinstance(kind, mi.UnionType):  # X | None: the rule is X's
        kind = next(t for t in kind.types if not isinstance(t, mi.NoneType))
    extra: dict[str, Any] = {}
    if isinstance(kind, mi.Metadata):
        extra, kind = kind.extra or {}, kind.type
    rule = extra.get("refusal", Message("it is not allowed"))
    if isinstance(kind, mi.FloatType):
        number = _finite(value)
        if number is None:
            return Message("{where} has {key} {value!r}; it must be a number.",
                           where=where, key=key, value=value)
        return Message("{where} has {key} {number:g}; {rule}.",
                       where=where, key=key, number=number, rule=rule)
    if isinstance(kind, mi.BoolType):
        return Message("{where} has {key} {value!r}; it must be true or false.",
                       where=where, key=key, value=value)
    if isinstance(kind, mi.StrType) and not isinstance(value, str):
        return Message("{where} has {key} {value!r}; it must be text.",
                       where=where, key=key, value=value)
    return Message("{where} has {key} {value!r}; {rule}.",
                   where=where, key=key, value=value, rule=rule)


def _finite(value: Any) -> float | None:
    """The value as a float if it is a finite number (JSON's true is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _conforms(value: Any, annotation: Any) -> bool:
    try:
        msgspec.convert(value, annotation)
    except msgspec.ValidationError:
        return False
    return True


@functools.cache
def _info(struct: type[msgspec.Struct]) -> mi.StructType:
    info = mi.type_info(struct)
    assert isinstance(info, mi.StructType)
    return info


@functools.cache
def _hints(struct: type[msgspec.Struct]) -> dict[str, Any]:
    return typing.get_type_hints(struct, include_extras=True)


def _quoted_list(keys: Sequence[str]) -> str:
    quoted = [f"'{k}'" for k in keys]
    if len(quoted) == 1:
        return quoted[0]
    return Message("{items} and {last}", items=", ".join(quoted[:-1]), last=quoted[-1])
