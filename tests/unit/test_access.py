"""Who may steer the bot."""

from __future__ import annotations

from rkk.access import Coordinators, Person

AN = Person(aad_object_id="00000000-0000-0000-0000-0000000000a1", upn="an.peeters@brasschaat.be")
BEA = Person(aad_object_id="00000000-0000-0000-0000-0000000000b2", upn="bea@v-ict-or.be")
MEMBER = Person(aad_object_id="00000000-0000-0000-0000-0000000000c3", upn="lid@hoogstraten.be")
NOBODY = Person(aad_object_id=None, upn=None)


def coordinators(everyone: bool = False) -> Coordinators:
    """AN coordinates Antwerpen by UPN, BEA coordinates everything by object id."""
    return Coordinators.build(
        global_ids=[BEA.aad_object_id or ""],
        per_rkk={"antwerpen": ["An.Peeters@Brasschaat.be"], "kempen": []},
        everyone=everyone,
    )


def test_rkk_coordinator_may_steer_own_rkk() -> None:
    """A coordinator of an RKK may steer that RKK."""
    assert coordinators().may_steer(AN, "antwerpen")


def test_rkk_coordinator_may_not_steer_another_rkk() -> None:
    """A coordinator of one RKK has no say over another."""
    assert not coordinators().may_steer(AN, "kempen")


def test_rkk_coordinator_may_not_steer_without_an_rkk() -> None:
    """Outside any RKK only global coordinators may steer."""
    assert not coordinators().may_steer(AN, None)


def test_global_coordinator_may_steer_every_rkk() -> None:
    """A global coordinator may steer all RKKs, known or not, and outside any RKK."""
    rules = coordinators()
    assert all(rules.may_steer(BEA, key) for key in ("antwerpen", "kempen", "onbekend-rkk", None))


def test_member_may_not_steer() -> None:
    """A member who coordinates nothing may not steer."""
    assert not coordinators().may_steer(MEMBER, "antwerpen")


def test_person_without_identifiers_may_not_steer() -> None:
    """Without an object id or UPN nobody is recognised."""
    assert not coordinators().may_steer(NOBODY, "antwerpen")


def test_upn_match_ignores_case() -> None:
    """The UPN Teams reports matches the configured one whatever its case."""
    shouting = Person(aad_object_id=None, upn="AN.PEETERS@BRASSCHAAT.BE")
    assert coordinators().may_steer(shouting, "antwerpen")


def test_object_id_match_ignores_case() -> None:
    """Object ids match whatever their case."""
    upper = Person(aad_object_id=(BEA.aad_object_id or "").upper(), upn=None)
    assert coordinators().may_steer(upper, "kempen")


def test_demo_lets_everyone_steer() -> None:
    """In demo mode every person may steer every RKK."""
    rules = coordinators(everyone=True)
    assert rules.may_steer(MEMBER, "kempen")
    assert rules.may_steer(NOBODY, None)
