"""ISO 2859-1 switching rules: which severity the next lot is inspected on.

A pure state machine over the rules of ``../shared/reference/iso2859-1.md`` (section 5) as
issue 14 section 1 restates them. The state is kept by the caller per item x supplier (IQC)
or item x operation (IPQC), and per class of nonconformity when classes are switched
independently (reference, section 5, "Start"); this module knows no tables and no database.
Only lots on *original* inspection are passed in: resubmitted lots are ignored for the count
(reference, section 5 notes).

The rules (:func:`after_lot`):

* **Start** on normal inspection (:data:`START`).
* **Normal -> tightened** when 2 of 5 or fewer consecutive lots on normal are not accepted,
  i.e. the last 5 lots on normal hold 2 not accepted: ``tightened_after_2_of_5``.
* **Tightened -> normal** after 5 consecutive lots accepted: ``normal_after_5_accepted``.
* **Tightened -> discontinued** when the *cumulative* number of lots not accepted while on
  tightened reaches 5, accepted lots in between notwithstanding (Z1.4-2003 / ISO 2859-1, as
  the reference says; not "5 lots on tightened"): ``discontinued_after_5_not_accepted``.
  Inspection stays discontinued, whatever lots are recorded, until a supervisor
  resumes it (:func:`resume`, after the supplier's corrective action), which returns to tightened.
* **Reduced** is only *offered* (``reduced_offered``) when the plan allows it and the last 10
  lots on normal were all accepted: ``reduced_offered_after_10_accepted``. A supervisor switches
  with :func:`start_reduced` (``reduced_started``). The offer is withdrawn by a lot not accepted
  on normal or by a plan that no longer allows reduced inspection (``reduced_offer_withdrawn``).
* **Reduced -> normal** at the first lot not accepted: ``normal_after_not_accepted_on_reduced``
  (the ISO 2859-1:1999 chart, reference section 5).

What the reference lacks, and this module therefore does not invent: the ISO switching score
and its increments per accepted lot, and the limit numbers of Table VIII (ANSI Z1.4's condition
(b) for reduced). Reduced is offered on the 10 accepted lots alone; steady production and the
responsible authority's wish are the supervisor's judgement when taking the offer. The ANSI
return from reduced on a lot accepted between Ac and Re (``accept_return_to_normal`` of
:func:`takt.quality.sampling.judge`) is not a rule here: ISO returns on a lot not accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal, get_args

from takt.platform.errors import Conflict
from takt.platform.i18n import Message

__all__ = [
    "ACCEPTED_TO_NORMAL",
    "ACCEPTED_TO_OFFER_REDUCED",
    "NORMAL_WINDOW",
    "NOT_ACCEPTED_TO_DISCONTINUE",
    "NOT_ACCEPTED_TO_TIGHTEN",
    "START",
    "SWITCH_SEVERITIES",
    "SwitchSeverity",
    "SwitchState",
    "after_lot",
    "resume",
    "start_reduced",
]

SwitchSeverity = Literal["normal", "tightened", "reduced", "discontinued"]
"""Where an item stands: inspected on a severity, or with acceptance discontinued."""

SWITCH_SEVERITIES: Final[tuple[SwitchSeverity, ...]] = get_args(SwitchSeverity)

NORMAL_WINDOW: Final = 5
"""Consecutive lots on normal looked at for tightening ("2 of 5 or fewer")."""
NOT_ACCEPTED_TO_TIGHTEN: Final = 2
"""Lots not accepted within :data:`NORMAL_WINDOW` that switch normal to tightened."""
ACCEPTED_TO_NORMAL: Final = 5
"""Consecutive accepted lots on tightened that switch back to normal."""
NOT_ACCEPTED_TO_DISCONTINUE: Final = 5
"""Cumulative lots not accepted on tightened that discontinue inspection."""
ACCEPTED_TO_OFFER_REDUCED: Final = 10
"""Consecutive accepted lots on normal before reduced inspection is offered."""


@dataclass(frozen=True, slots=True)
class SwitchState:
    """The switching state of one item (x supplier or x operation), after some lots.

    Attributes:
        severity: The severity the next lot is inspected on, or ``discontinued``.
        recent_normal: Outcomes (``True`` = accepted) of the last lots on normal since normal
            began, oldest first, at most :data:`NORMAL_WINDOW`.
        accepted_on_normal: Consecutive accepted lots on normal up to now.
        accepted_on_tightened: Consecutive accepted lots on tightened up to now.
        not_accepted_on_tightened: Lots not accepted since tightened began (cumulative).
        reduced_offered: A supervisor may start reduced inspection (:func:`start_reduced`).
        reason: Why the last step changed the severity or the offer (a short code for the
            history), ``None`` when it changed neither.
    """

    severity: SwitchSeverity = "normal"
    recent_normal: tuple[bool, ...] = ()
    accepted_on_normal: int = 0
    accepted_on_tightened: int = 0
    not_accepted_on_tightened: int = 0
    reduced_offered: bool = False
    reason: str | None = "started_on_normal"


START: Final = SwitchState()
"""Where every item starts: normal inspection (reference, section 5)."""


def _on(severity: SwitchSeverity, reason: str) -> SwitchState:
    """A fresh state on ``severity``: every counter starts again when the severity changes."""
    return SwitchState(severity=severity, reason=reason)


def after_lot(state: SwitchState, accepted: bool, *,
              reduced_allowed: bool = False) -> SwitchState:
    """The state after one lot's decision on original inspection.

    Args:
        state: The state the lot was inspected under.
        accepted: Whether the lot was accepted.
        reduced_allowed: Whether the item's plan allows reduced inspection (only offered then).

    Returns:
        The new state; its ``reason`` says why the severity or the offer changed, if it did.

    Example:
        >>> s = START
        >>> for ok in (True, False, True, False):
        ...     s = after_lot(s, ok)
        >>> (s.severity, s.reason)
        ('tightened', 'tightened_after_2_of_5')
    """
    if state.severity == "discontinued":
        return replace(state, reason=None)
    if state.severity == "tightened":
        return _after_tightened_lot(state, accepted)
    if state.severity == "reduced":
        if accepted:
            return replace(state, reason=None)
        return _on("normal", "normal_after_not_accepted_on_reduced")
    return _after_normal_lot(state, accepted, reduced_allowed)


def _after_tightened_lot(state: SwitchState, accepted: bool) -> SwitchState:
    if accepted:
        run = state.accepted_on_tightened + 1
        if run >= ACCEPTED_TO_NORMAL:
            return _on("normal", "normal_after_5_accepted")
        return replace(state, accepted_on_tightened=run, reason=None)
    count = state.not_accepted_on_tightened + 1
    if count >= NOT_ACCEPTED_TO_DISCONTINUE:
        return _on("discontinued", "discontinued_after_5_not_accepted")
    return replace(state, accepted_on_tightened=0, not_accepted_on_tightened=count, reason=None)


def _after_normal_lot(state: SwitchState, accepted: bool, reduced_allowed: bool) -> SwitchState:
    recent = (*state.recent_normal, accepted)[-NORMAL_WINDOW:]
    if recent.count(False) >= NOT_ACCEPTED_TO_TIGHTEN:
        return _on("tightened", "tightened_after_2_of_5")
    run = state.accepted_on_normal + 1 if accepted else 0
    offered = reduced_allowed and run >= ACCEPTED_TO_OFFER_REDUCED
    reason: str | None = None
    if offered and not state.reduced_offered:
        reason = "reduced_offered_after_10_accepted"
    elif state.reduced_offered and not offered:
        reason = "reduced_offer_withdrawn"
    return replace(state, recent_normal=recent, accepted_on_normal=run,
                   reduced_offered=offered, reason=reason)


def resume(state: SwitchState) -> SwitchState:
    """A supervisor resumes discontinued inspection, on tightened inspection.

    Args:
        state: A discontinued state.

    Returns:
        Tightened inspection with its counters started again (``resumed_on_tightened``).

    Raises:
        Conflict: Inspection is not discontinued.
    """
    if state.severity != "discontinued":
        raise Conflict(Message("Inspection is not discontinued, so there is nothing to resume."),
                       code="sampling.not_discontinued")
    return _on("tightened", "resumed_on_tightened")


def start_reduced(state: SwitchState) -> SwitchState:
    """A supervisor takes the offer of reduced inspection.

    Args:
        state: A normal state whose ``reduced_offered`` is set.

    Returns:
        Reduced inspection (``reduced_started``).

    Raises:
        Conflict: Reduced inspection is not offered (not on normal, the plan does not allow
            it, or the last 10 lots on normal were not all accepted).
    """
    if state.severity != "normal" or not state.reduced_offered:
        raise Conflict(Message("Reduced inspection is not offered: it needs the plan to allow "
                               "it and the last 10 lots on normal inspection all accepted."),
                       code="sampling.reduced_not_offered")
    return _on("reduced", "reduced_started")
