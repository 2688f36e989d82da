"""The scoring cards: ballot views (base, own, unknown bestuur, closed), the results card with its chart, setup."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cards.scoring_ballot import ballot_card
from cards.scoring_results import results_card
from cards.scoring_setup import SetupView, setup_card
from i18n.catalog import Catalog
from rkk.crosspost import Spread, StoredTheme, ThemeStatus
from rkk.model import ChannelTarget, Rkk
from rkk.scoring import (
    BallotView,
    Participation,
    ResultsView,
    ScoreSet,
    ScoringRound,
    ScoringState,
    Topic,
    Viewer,
    aggregate,
)
from tests.card_text import actions, elements, runs, strings

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
MRI = "29:1bSnHZ7Js2STWrgk6ScEErLk1Lp2zQuD5H2qQ960rtvstKp8tKLl-3r8b6DoW0QxZimuTxk_kupZ1DBMpvIQQUAZL-PNj0EORD"
TEAMS_MESSAGE_LIMIT = 80 * 1024  # Teams takes up to ~100 KB (UTF-16); Microsoft advises staying within 80 KB


def topics(count: int = 3) -> tuple[Topic, ...]:
    """Topics from rode draden and by hand; the first has a label a member could have typed."""
    out = [Topic("**MAGDA** {{DATE(2026-01-01)}}", "Eén zin uitleg.", "t-magda", 6, 3, True, 11, 1)]
    out += [Topic("Phishing oefeningen", "", "t-phish", 7, 2, False, 12, 2)]
    out += [Topic("Archief", "Met de hand toegevoegd.", None, 0, 0, True, 13, 3)]
    out += [
        Topic(f"Onderwerp nummer {i} met een wat langere naam", "Eén zin.", f"t{i}", 5, 2, True, 100 + i, i)
        for i in range(4, count + 1)
    ]
    return tuple(out[:count])


def scoring_round(count: int = 3, rkks: int = 2, state: ScoringState = ScoringState.OPEN) -> ScoringRound:
    """A round with `count` topics for `rkks` RKKs."""
    audience = tuple(f"rkk-{i}" for i in range(rkks))
    closed = DEADLINE if state is ScoringState.CLOSED else None
    return ScoringRound(1, state, DEADLINE, 0.6, False, audience, "Griet Globaal", NOW, closed, topics(count))


def ballot(count: int = 3, users: int = 2) -> BallotView:
    """The base ballot in Kempen."""
    return BallotView(
        1, "kempen", "RKK Kempen", DEADLINE, topics(count), 2, 5, tuple(f"{MRI}{i}" for i in range(users))
    )


MINE = ScoreSet(1, "Gemeente Geel", "kempen", "Bart Claes", NOW, {11: 8, 12: None, 13: 0})


def results(count: int = 3, rkks: int = 2, sets: int = 5) -> ResultsView:
    """Results of `sets` besturen."""
    round_ = scoring_round(count, rkks, ScoringState.CLOSED)
    score_sets = [
        ScoreSet(1, f"B{i}", "rkk-0", "Lid", NOW, {t.id: (i * 3 + t.position) % 11 for t in round_.topics})
        for i in range(sets)
    ]
    parts = tuple(Participation(f"rkk-{i}", f"RKK {i}", 3, 7) for i in range(rkks))
    return ResultsView(round_, aggregate(round_.topics, score_sets, 0.6), parts)


def scoring_cards(texts: Catalog, lang: str) -> dict[str, dict[str, Any]]:
    """Every view of every scoring card, for the official parser."""
    themes = tuple(
        StoredTheme(
            f"t{i}",
            f"Thema {i}",
            (),
            Spread.of(["a", "b"], ["x", "y", "z"]),
            "2026-W40",
            "2026-W47",
            True,
            ThemeStatus.CROSSPOSTED,
            None,
        )
        for i in range(3)
    )
    rkk = Rkk("kempen", "RKK Kempen", "t", "c", ChannelTarget("s", "t", "t", "c"))
    closed = replace(ballot(), closed=True)
    return {
        "scoring_ballot-base": ballot_card(ballot(), texts, lang),
        "scoring_ballot-mine": ballot_card(
            replace(ballot(), viewer=Viewer("Gemeente Geel", MINE)), texts, lang, notice="ok"
        ),
        "scoring_ballot-unknown": ballot_card(replace(ballot(), viewer=Viewer(None, None)), texts, lang, error="x"),
        "scoring_ballot-closed": ballot_card(
            closed, texts, lang, results_link="https://teams.microsoft.com/l/message/x"
        ),
        "scoring_results-full": results_card(results(), texts, lang),
        "scoring_results-empty": results_card(results(sets=0), texts, lang),
        "scoring_setup-themes": setup_card(SetupView(themes, (rkk,), DEADLINE), texts, lang),
        "scoring_setup-none": setup_card(SetupView((), (rkk,), DEADLINE, error="Kies iets."), texts, lang),
    }


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The score inputs by id."""
    return {e["id"]: e for e in elements(card) if e.get("type") == "Input.ChoiceSet"}


def utf16_size(card: dict[str, Any]) -> int:
    """What Teams counts: the payload encoded as UTF-16."""
    return len(json.dumps(card, ensure_ascii=False).encode("utf-16-le"))


def test_the_base_ballot_has_a_0_to_10_choice_per_topic_and_one_submit(texts: Catalog) -> None:
    """Each topic: label, description, who raised it, a 0-10 choice labelled with both ends."""
    card = ballot_card(ballot(), texts, "nl")
    found = inputs(card)
    assert list(found) == ["s11", "s12", "s13"]
    assert found["s11"]["label"] == "Score: 0 = geen interesse, 10 = liever gisteren dan morgen"
    assert [c["value"] for c in found["s11"]["choices"]] == ["-", *map(str, range(11))]
    assert found["s11"]["choices"][1]["title"] == "0 = geen interesse"
    assert found["s11"]["choices"][-1]["title"] == "10 = liever gisteren dan morgen"
    assert all(i["value"] == "" for i in found.values())
    text = strings(card)
    assert "Aangebracht door 6 besturen in 3 RKK's · lokale impact" in text
    assert "Toegevoegd door de coördinatoren · lokale impact" in text
    assert "geen lokale impact" in text
    assert [a["data"] for a in actions(card, "score_submit")] == [{"scoringId": 1, "rkk": "kempen"}]


def test_the_base_ballot_refreshes_for_the_listed_members(texts: Catalog) -> None:
    """refresh: Action.Execute score_refresh with the ballot's ids and the members' Teams ids as userIds."""
    card = ballot_card(ballot(users=3), texts, "nl")
    assert card["refresh"]["action"] == {
        "type": "Action.Execute",
        "verb": "score_refresh",
        "data": {"scoringId": 1, "rkk": "kempen"},
    }
    assert card["refresh"]["userIds"] == [f"{MRI}{i}" for i in range(3)]
    assert actions(card, "score_view"), "members beyond the 60 refreshed ones press a button"


def test_member_text_stays_literal_in_text_runs(texts: Catalog) -> None:
    """A label with Markdown and a {{DATE}} function shows as typed, in a TextRun, without forming a function."""
    card = ballot_card(ballot(), texts, "nl")
    label = next(r for r in runs(card) if "MAGDA" in r)
    assert label.startswith("**MAGDA** {") and "{{" not in label


def test_a_viewer_sees_the_scores_that_count_who_submitted_them_and_when(texts: Catalog) -> None:
    """Own view: prefilled choices, the submitter and moment, empty topics marked not scored."""
    card = ballot_card(replace(ballot(), viewer=Viewer("Gemeente Geel", MINE)), texts, "nl")
    assert {k: v["value"] for k, v in inputs(card).items()} == {"s11": "8", "s12": "-", "s13": "0"}
    text = strings(card) + "\n".join(runs(card))
    assert (
        "De scores van Gemeente Geel die tellen: ingediend door Bart Claes op maandag 23 november 2026 om 10:00."
        in text
    )
    assert "Niet gescoord door Gemeente Geel" in text


def test_a_viewer_whose_bestuur_has_no_scores_is_told_so(texts: Catalog) -> None:
    """Known bestuur, nothing submitted yet: empty inputs and a line saying so."""
    card = ballot_card(replace(ballot(), viewer=Viewer("Stad Mol", None)), texts, "nl")
    assert "Stad Mol gaf nog geen scores." in "\n".join(runs(card))
    assert actions(card, "score_submit")


def test_an_unknown_bestuur_gets_the_explanation_and_no_inputs(texts: Catalog) -> None:
    """No bestuur: the `domains` explanation, no choices, no submit button."""
    card = ballot_card(replace(ballot(), viewer=Viewer(None, None)), texts, "nl")
    assert "onder `domains` in de configuratie" in strings(card)
    assert inputs(card) == {} and actions(card, "score_submit") == []


def test_a_refused_submission_keeps_what_was_typed(texts: Catalog) -> None:
    """After an error the choices show the member's input again, with the reason in red."""
    view = replace(ballot(), viewer=Viewer("Gemeente Geel", MINE))
    card = ballot_card(view, texts, "nl", error="Fout.", drafts={"s11": "11"})
    assert inputs(card)["s11"]["value"] == "11" and inputs(card)["s12"]["value"] == ""
    assert any(e.get("color") == "Attention" and e.get("text") == "Fout." for e in elements(card))


def test_the_closed_ballot_has_no_inputs_no_refresh_and_links_to_the_results(texts: Catalog) -> None:
    """Afgesloten: topics stay listed, choices and buttons go, "Bekijk de resultaten" opens the results."""
    card = ballot_card(
        replace(ballot(), closed=True), texts, "nl", results_link="https://teams.microsoft.com/l/message/x"
    )
    assert "refresh" not in card and inputs(card) == {} and actions(card) == []
    assert "Afgesloten: scores geven kan niet meer." in strings(card)
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Bekijk de resultaten", "url": "https://teams.microsoft.com/l/message/x"}
    ]


def test_the_ballot_in_english(texts: Catalog) -> None:
    """English viewers get the English scale."""
    card = ballot_card(ballot(), texts, "en")
    assert inputs(card)["s11"]["label"] == "Score: 0 = no interest, 10 = the sooner the better"
    assert "Send scores" in strings(card)


def _chart(card: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in elements(card) if e.get("type") == "Chart.HorizontalBar.Stacked")


def _table_rows(table: dict[str, Any]) -> list[list[str]]:
    """The text of each cell, row by row."""
    return [
        [next(e["text"] for e in elements(cell) if e.get("type") in ("TextBlock", "TextRun")) for cell in row["cells"]]
        for row in table["rows"]
    ]


def test_the_chart_shows_low_middle_high_per_topic_and_its_fallback_the_same_numbers(texts: Catalog) -> None:
    """The fallback table has a row per topic with exactly the chart's numbers."""
    chart = _chart(results_card(results(), texts, "nl"))
    from_chart = [[bar["title"], *(str(d["value"]) for d in bar["data"])] for bar in chart["data"]]
    assert [d["color"] for d in chart["data"][0]["data"]] == ["attention", "warning", "good"]
    [header, *rows] = _table_rows(chart["fallback"])
    assert header == ["Onderwerp", "laag (0-4)", "midden (5-6)", "hoog (7-10)"]
    assert rows == from_chart
    assert len(rows) == 3


def test_the_results_name_the_top_topics_in_containers_that_identify_them(texts: Catalog) -> None:
    """Each top topic sits in a Container "top-{topic id}" with its numbers."""
    view = results()
    card = results_card(view, texts, "nl")
    ids = [e["id"] for e in elements(card) if str(e.get("id", "")).startswith("top-")]
    assert ids == [f"top-{r.topic.id}" for r in view.results.top]


def test_fewer_than_three_qualifying_topics_are_said_plainly(texts: Catalog) -> None:
    """No besturen, no top: the card says no topic reached the threshold, instead of filling up."""
    text = strings(results_card(results(sets=0), texts, "nl"))
    assert (
        "Geen enkel onderwerp met lokale impact haalde de drempel: minstens 60% van de besturen gaf 7 of meer." in text
    )


def test_the_ranking_table_shows_every_number_with_a_decimal_comma(texts: Catalog) -> None:
    """Rank, topic, besturen, mean, median and share hoog for every topic; Dutch decimals."""
    view = results()
    card = results_card(view, texts, "nl")
    ranking = [e for e in elements(card) if e.get("type") == "Table"][-1]
    [header, *rows] = _table_rows(ranking)
    assert header == ["#", "Onderwerp", "Besturen", "Gem.", "Med.", "Hoog"]
    first = view.results.topics[0]
    assert rows[0][0] == "1" and rows[0][2] == str(first.scored)
    assert rows[0][3] == f"{first.mean:.1f}".replace(".", ",")
    assert rows[0][5] == f"{round(first.share_high * 100)}%"


def test_participation_per_rkk_explains_known_in_the_team(texts: Catalog) -> None:
    """One fact per RKK, "3 van 7 besturen", and what "known" means."""
    card = results_card(results(rkks=2), texts, "nl")
    facts = next(e for e in elements(card) if e.get("type") == "FactSet")["facts"]
    assert facts == [{"title": "RKK 0", "value": "3 van 7 besturen"}, {"title": "RKK 1", "value": "3 van 7 besturen"}]
    assert "Bekend in het team: de besturen van leden die in die RKK ooit" in strings(card)


def test_the_largest_cards_stay_within_teams_message_size(texts: Catalog) -> None:
    """20 topics, 60 refreshed members with real-length Teams ids, 30 RKKs: each card under 80 KB in UTF-16."""
    sizes = {
        "ballot": utf16_size(ballot_card(ballot(count=20, users=60), texts, "nl")),
        "own view": utf16_size(
            ballot_card(replace(ballot(count=20, users=60), viewer=Viewer("Geel", MINE)), texts, "nl")
        ),
        "results": utf16_size(results_card(results(count=20, rkks=30, sets=300), texts, "nl")),
    }
    assert all(size < TEAMS_MESSAGE_LIMIT for size in sizes.values()), sizes


def test_the_setup_card_offers_each_rode_draad_with_lokale_impact_on(texts: Catalog) -> None:
    """A toggle per theme (on), a lokale-impact toggle (on), three manual slots, the theme keys in the data."""
    card = scoring_cards(texts, "nl")["scoring_setup-themes"]
    toggles = {e["id"]: e["value"] for e in elements(card) if e.get("type") == "Input.Toggle"}
    assert toggles == {"t0": "true", "l0": "true", "t1": "true", "l1": "true", "t2": "true", "l2": "true"} | {
        "m0local": "true",
        "m1local": "true",
        "m2local": "true",
        "shareResults": "false",
    }
    assert actions(card, "scoring_start")[0]["data"] == {"themes": ["t0", "t1", "t2"]}
