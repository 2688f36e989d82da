"""Use case: the bot was added to a team; find out which RKK it serves and whether to greet."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rkk.model import ChannelTarget, Installation, Rkk
from rkk.rounds.ports import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RkkSpec:
    """An RKK as configured: its team and channel by id or display name (channel None: General)."""

    key: str
    name: str
    team: str
    channel: str | None


@dataclass(frozen=True)
class InstallResult:
    """The RKK this team serves (None if it is not one) and whether to greet it now."""

    rkk: Rkk | None
    greet: bool
    channel_missing: str | None


async def register_installation(
    store: Store, installation: Installation, specs: Sequence[RkkSpec], demo: bool, now: datetime
) -> InstallResult:
    """Store the team, bind it to its RKK (in demo mode every team is one) and claim the greeting."""
    await store.register_installation(installation, now)
    spec = _spec_for(installation, specs)
    if spec is None and demo:
        spec = RkkSpec(
            key=slug(installation.team_name), name=installation.team_name, team=installation.team_id, channel=None
        )
    if spec is None:
        logger.info("team %s is not an RKK in the config", installation.team_id)
        return InstallResult(None, await store.claim_greeting(installation.team_id, now), None)
    channel_id = _channel_id(installation, spec.channel)
    await store.upsert_rkk(spec.key, spec.name, installation.team_id, channel_id)
    if channel_id is not None:
        await store.set_rkk_target(
            spec.key,
            ChannelTarget(installation.service_url, installation.tenant_id, installation.team_id, channel_id),
        )
    else:
        logger.warning("RKK %s: channel %r not found in team %s", spec.key, spec.channel, installation.team_id)
    rkk = await store.get_rkk(spec.key)
    greet = await store.claim_greeting(installation.team_id, now)
    return InstallResult(rkk, greet, spec.channel if channel_id is None else None)


def _spec_for(installation: Installation, specs: Sequence[RkkSpec]) -> RkkSpec | None:
    """The configured RKK whose team is this one, by id or by display name."""
    name = installation.team_name.casefold()
    for spec in specs:
        if spec.team == installation.team_id or spec.team.casefold() == name:
            return spec
    return None


def _channel_id(installation: Installation, wanted: str | None) -> str | None:
    """The id of the wanted channel (by id or name); General (the team id) when none is named."""
    if wanted is None:
        return installation.team_id
    for channel_id, channel_name in installation.channels:
        if wanted in (channel_id,) or wanted.casefold() == channel_name.casefold():
            return channel_id
    return None


def slug(name: str) -> str:
    """A stable RKK key from a display name: "RKK Kempen" -> "rkk-kempen"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "rkk"
