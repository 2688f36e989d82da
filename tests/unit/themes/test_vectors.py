"""How the lexical rows and the sentence embedding are mixed into one cosine per pair of answers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rkk.themes import DetectionParams, RecurrenceRule, detect_themes, featurize
from rkk.themes.vectors import embedding_shares, week_rows, window_vectors

from .conftest import answer


def test_an_answer_with_few_topical_words_leans_on_its_embedding() -> None:
    """An answer with two topical words takes more of its similarity from the embedding than one with ten."""
    short, long_ = embedding_shares(np.array([2.0, 10.0]), DetectionParams())
    assert short > long_


def test_an_answer_with_enough_topical_words_keeps_the_set_embedding_weight() -> None:
    """From full_lexical_words topical words on, an answer's embedding share is embedding_weight."""
    params = DetectionParams()
    shares = embedding_shares(np.array([params.full_lexical_words, 3.0 * params.full_lexical_words]), params)
    assert shares == pytest.approx([params.embedding_weight] * 2)


def test_one_share_for_all_when_switched_off() -> None:
    """With full_lexical_words 0 every answer gets embedding_weight, however short."""
    params = replace(DetectionParams(), full_lexical_words=0)
    assert embedding_shares(np.array([1.0, 20.0]), params) == pytest.approx([params.embedding_weight] * 2)


def test_mixed_rows_stay_unit_length() -> None:
    """Whatever share of the embedding an answer gets, its mixed row has length one, so dot products are cosines."""
    texts = [
        "MFA voor de raadsleden via de authenticator-app op de gsm.",
        "Tweestapsverificatie met een app of sms voor externe toegang tot de mailbox.",
        "Multifactorauthenticatie voor alle accounts via de authenticator-app, de helpdesk kreeg veel vragen.",
    ]
    rng = np.random.default_rng(1)
    features = []
    for i, text in enumerate(texts):
        vector = rng.standard_normal(384).astype(np.float32)
        features.append(featurize(answer(f"a{i}", text), None, vector / np.linalg.norm(vector)))
    vectors = window_vectors([week_rows(features)], DetectionParams(min_centred_answers=0))
    assert vectors.dense is not None
    lengths = sum(np.asarray(block.multiply(block).sum(axis=1)).ravel() for block in vectors.lexical)
    lengths = lengths + (vectors.dense.astype(np.float64) ** 2).sum(axis=1)
    assert lengths == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)


def test_a_small_window_is_clustered_without_centring_its_embeddings() -> None:
    """Three answers about one subject still form a theme: below min_centred_answers the window's mean would
    be that subject, and centring on it would pull the answers apart."""
    texts = (
        "De MAGDA-documentendienst draait bij ons, attesten komen meteen binnen.",
        "Wij wachten nog op de machtiging voor de MAGDA-documentendienst.",
        "Onze leverancier vraagt extra geld voor de MAGDA-documentendienst.",
    )
    answers = [answer(f"a{i}", text, bestuur=f"B{i}") for i, text in enumerate(texts)]
    rng = np.random.default_rng(7)
    shared = rng.normal(size=384)
    vectors = {a.id: (shared + 0.05 * rng.normal(size=384)).astype(np.float32) for a in answers}
    params = DetectionParams()
    assert len(answers) < params.min_centred_answers
    [theme] = detect_themes(answers, rule=RecurrenceRule(2, 1, 8), params=params, vectors=vectors)
    assert theme.answer_ids == ("a0", "a1", "a2")
