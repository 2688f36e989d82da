"""Reading the setup card of a scoring round back: its inputs as a start request.

The theme keys come from the button's data and are only candidates: `rkk.scoring.start_scoring`
checks each against the current rode draden. Toggles arrive as "true"/"false", the date as
YYYY-MM-DD and the time as HH:MM (Input.Date, Input.Time), the audience as "key,key".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from cards.scoring_setup import MANUAL_SLOTS, local_input, manual_inputs, theme_input
from rkk.scoring import InvalidSetup, ScoringSettings, StartRequest, manual_topic

logger = logging.getLogger(__name__)


def setup_request(data: Mapping[str, Any], settings: ScoringSettings) -> StartRequest:
    """The setup card's inputs as a start request; theme keys are checked by the use case, not trusted."""
    themes = data.get("themes")
    if not isinstance(themes, list) or not all(isinstance(k, str) for k in themes):
        raise InvalidSetup("card data without theme keys", reason="unknown_theme")
    picked = tuple(k for i, k in enumerate(themes) if _on(data.get(theme_input(i)), default=False))
    not_local = frozenset(k for i, k in enumerate(themes) if not _on(data.get(local_input(i)), default=True))
    manual = []
    for slot in range(MANUAL_SLOTS):
        label_id, description_id, local_id = manual_inputs(slot)
        label, description = _text(data.get(label_id)), _text(data.get(description_id))
        if label.strip() or description.strip():
            manual.append(manual_topic(label, description, _on(data.get(local_id), default=True)))
    audience = tuple(k.strip() for k in _text(data.get("audience")).split(",") if k.strip())
    if not audience:
        raise InvalidSetup("no RKK chosen", reason="no_audience")
    try:
        day = date.fromisoformat(_text(data.get("deadlineDate")).strip())
        typed = _text(data.get("deadlineTime")).strip()
        at = time.fromisoformat(typed) if typed else time(settings.default_hour)
    except ValueError as error:
        raise InvalidSetup("unreadable deadline", reason="deadline_unreadable") from error
    deadline = datetime.combine(day, at.replace(tzinfo=None), settings.timezone)
    share = _on(data.get("shareResults"), default=False)
    return StartRequest(picked, tuple(manual), not_local, deadline, audience, share)


def _on(value: object, default: bool) -> bool:
    if value is None:
        return default
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
