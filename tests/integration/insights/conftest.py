"""A hand-counted world for the insight aggregates: three RKKs around the turn of 2026 (ISO week 53), one paused.

What is in it (visible answers per RKK and week; "-" means no question was posted that week):

| week     | antwerpen                                  | kempen                          | limburg |
|----------|--------------------------------------------|---------------------------------|---------|
| 2026-W40 | -                                          | Stad Turnhout 1                 | -       |
| 2026-W49 | -                                          | -                               | -       |
| 2026-W50 | Gemeente Brasschaat 2, Stad Hoogstraten 1  | Stad Hoogstraten 1, OCMW Diepenbeek 1 | - |
| 2026-W51 | (question, no answers)                     | - (paused)                      | -       |
| 2026-W52 | Gemeente Brasschaat 1                      | - (paused)                      | -       |
| 2026-W53 | Gemeente Brasschaat 1, Politiezone Grens 1, onbekend 1 | (question; 1 hidden answer) | - |
| 2027-W01 | Gemeente Brasschaat 1                      | -                               | -       |

Every round asks the first bank question, except kempen's of W40, which asked the second.
Themes: "MAGDA documenten" (recurring, cross-posted, planned) holds the two Brasschaat answers of W50,
Hoogstraten's of W50 in both RKKs, Grens's of W53, the hidden one and Brasschaat's of 2027-W01: in
W50-W53 that is 5 visible answers from 3 besturen in 2 RKKs. "Phishing" (recurring, dismissed: W52 and
W53, Brasschaat) and "Koffie" and "Andere" (not recurring) are no rode draden for the card.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, update

from rkk.model import Member
from rkk.store.crosspost import theme_answers, theme_crossposts, theme_decisions, themes
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import answers, questions, rounds
from tests.doubles.rounds import posted_round

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
SCOPE = {"antwerpen": "RKK Antwerpen", "kempen": "RKK Kempen", "limburg": "RKK Limburg"}


class InsightWorld:
    """Seeds rounds, answers and themes through the real store."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.ids: dict[str, list[int]] = {}
        self._members = 0

    async def setup(self) -> None:
        """The RKKs, the question bank, the rounds and answers of the table above, and the themes."""
        await self.store.sync_question_bank([("q1", "Hoe pakken jullie MAGDA aan?"), ("q2", "Welke back-up?")])
        for key, name in SCOPE.items():
            await self.store.upsert_rkk(key, name, f"19:{key}@thread.tacv2", f"19:{key}@thread.tacv2")
        await self.answer("kempen", "2026-W40", "Stad Turnhout", "turnhout")
        await self.answer("antwerpen", "2026-W50", "Gemeente Brasschaat", "magda", "magda")
        await self.answer("antwerpen", "2026-W50", "Stad Hoogstraten", "magda")
        await self.answer("kempen", "2026-W50", "Stad Hoogstraten", "magda")
        await self.answer("kempen", "2026-W50", "OCMW Diepenbeek", "koffie")
        await self.round("antwerpen", "2026-W51")
        await self.answer("antwerpen", "2026-W52", "Gemeente Brasschaat", "phishing")
        await self.answer("antwerpen", "2026-W53", "Gemeente Brasschaat", "phishing")
        await self.answer("antwerpen", "2026-W53", "Politiezone Grens", "magda")
        await self.answer("antwerpen", "2026-W53", "onbekend", "other")
        hidden = await self.answer("kempen", "2026-W53", "OCMW Diepenbeek", "magda")
        await self.answer("antwerpen", "2027-W01", "Gemeente Brasschaat", "magda")
        async with self.store.engine.begin() as conn:
            await conn.execute(update(answers).where(answers.c.id.in_(hidden)).values(hidden=True))
            second = (await conn.execute(select(questions).where(questions.c.key == "q2"))).one()
            await conn.execute(
                update(rounds)
                .where(rounds.c.rkk_key == "kempen", rounds.c.week == "2026-W40")
                .values(question_id=second.id, question_text=second.text)
            )
        await self.theme("magda", "MAGDA documenten", recurring=True, state="planned", crossposted=True)
        await self.theme("phishing", "Phishing", recurring=True, state="dismissed", crossposted=True)
        await self.theme("koffie", "Koffie", recurring=False, state="active")
        await self.theme("other", "Andere", recurring=False, state="active")

    async def round(self, rkk: str, week: str) -> int:
        """The RKK's round of that week, posted now if it is not there yet."""
        found = await self.store.round_for_week(rkk, week)
        if found is None:
            found = await posted_round(self.store, rkk, week, NOW, f"19:{rkk}@thread.tacv2", f"{rkk}-{week}")
        return found.id

    async def answer(self, rkk: str, week: str, bestuur: str, *themes: str) -> list[int]:
        """One card answer by a new member of that bestuur per theme named (or one without a theme)."""
        round_id = await self.round(rkk, week)
        made = []
        for theme in themes or ("",):
            self._members += 1
            member = Member(f"aad-{self._members}", f"Lid {self._members}", None, bestuur)
            answer = (await self.store.save_card_answer(round_id, member, f"antwoord over {theme}", NOW)).answer
            self.ids.setdefault(theme, []).append(answer.id)
            made.append(answer.id)
        return made

    async def theme(self, key: str, label: str, *, recurring: bool, state: str, crossposted: bool = False) -> None:
        """A stored theme holding the answers seeded under its key, with a cross-post and a decision if asked."""
        async with self.store.engine.begin() as conn:
            await conn.execute(
                insert(themes).values(
                    key=key,
                    label=label,
                    terms="[]",
                    rkks="[]",
                    besturen="[]",
                    first_week="2026-W50",
                    last_week="2026-W53",
                    recurring=recurring,
                    state=state,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
            rows = [{"answer_id": answer_id, "theme_key": key} for answer_id in self.ids.get(key, [])]
            if rows:
                await conn.execute(insert(theme_answers), rows)
            if crossposted:
                await conn.execute(
                    insert(theme_crossposts).values(
                        theme_key=key, state="posted", claimed_at=NOW, posted_at=NOW, rkks="[]", besturen="[]"
                    )
                )
            if state in ("planned", "dismissed"):
                await conn.execute(
                    insert(theme_decisions).values(
                        theme_key=key,
                        decision="plan" if state == "planned" else "dismiss",
                        by_id="aad-global",
                        by_name="Griet",
                        decided_at=NOW,
                        rkks=json.dumps([]),
                        besturen=json.dumps([]),
                    )
                )


@pytest.fixture
async def world(store: SqlStore) -> InsightWorld:
    """The world of the table above in a fresh store (SQLite and PostgreSQL)."""
    seeded = InsightWorld(store)
    await seeded.setup()
    return seeded
