"""From a member's mail address to their bestuur."""

from __future__ import annotations

import pytest

from rkk.answers.bestuur import UNKNOWN_BESTUUR, bestuur_for, bestuur_of, mail_domain

DOMAINS = {
    "brasschaat.be": "Gemeente Brasschaat",
    "hoogstraten.be": "Stad Hoogstraten",
    "pz-grens.be": "Politiezone Grens",
}


def test_bestuur_for_finds_the_bestuur_of_the_mail_domain() -> None:
    """A member's domain maps to their bestuur."""
    assert bestuur_for("an.peeters@hoogstraten.be", DOMAINS) == "Stad Hoogstraten"


def test_bestuur_for_matches_a_parent_domain() -> None:
    """A subdomain belongs to the bestuur of its parent domain."""
    assert bestuur_for("agent@politie.brasschaat.be", DOMAINS) == "Gemeente Brasschaat"


def test_bestuur_for_prefers_the_most_specific_domain() -> None:
    """A subdomain with its own entry wins over its parent."""
    domains = {**DOMAINS, "politie.brasschaat.be": "Politiezone Brasschaat"}
    assert bestuur_for("agent@politie.brasschaat.be", domains) == "Politiezone Brasschaat"


def test_bestuur_for_reads_the_home_domain_of_a_guest_upn() -> None:
    """A guest's UPN `name_domain#EXT#@tenant` maps to the guest's own domain."""
    upn = "jan.peeters_brasschaat.be#EXT#@victor.onmicrosoft.com"
    assert bestuur_for(upn, DOMAINS) == "Gemeente Brasschaat"


def test_bestuur_for_does_not_use_the_host_tenant_of_a_guest() -> None:
    """The tenant after #EXT# is the host, not the guest's bestuur."""
    upn = "jan.peeters_gmail.com#EXT#@victor.onmicrosoft.com"
    assert bestuur_for(upn, {"victor.onmicrosoft.com": "V-ICT-OR"}) == UNKNOWN_BESTUUR


def test_bestuur_for_is_onbekend_for_an_unknown_domain() -> None:
    """A domain not in the map gives "onbekend"."""
    assert bestuur_for("iemand@antwerpen.be", DOMAINS) == "onbekend"


def test_bestuur_for_does_not_match_a_domain_that_merely_ends_alike() -> None:
    """notbrasschaat.be is not a subdomain of brasschaat.be."""
    assert bestuur_for("x@notbrasschaat.be", DOMAINS) == UNKNOWN_BESTUUR


@pytest.mark.parametrize(
    "address", [None, "", "   ", "geen adres", "jan@", "@", "jan#EXT#@victor.onmicrosoft.com", "_#EXT#@x.be"]
)
def test_bestuur_for_is_onbekend_for_missing_or_garbage_addresses(address: str | None) -> None:
    """Nothing usable as an address gives "onbekend" rather than an error."""
    assert bestuur_for(address, DOMAINS) == UNKNOWN_BESTUUR


@pytest.mark.parametrize(
    "address",
    [
        "An.Peeters@Brasschaat.BE",
        "  an.peeters@brasschaat.be ",
        "JAN.PEETERS_BRASSCHAAT.BE#ext#@Victor.onmicrosoft.com",
    ],
)
def test_bestuur_for_ignores_case_and_surrounding_spaces(address: str) -> None:
    """Addresses are matched case-insensitively."""
    assert bestuur_for(address, DOMAINS) == "Gemeente Brasschaat"


def test_mail_domain_takes_the_part_after_the_last_at_sign() -> None:
    """The domain of a plain address, lower-cased."""
    assert mail_domain("Jan@Hoogstraten.be") == "hoogstraten.be"


def test_mail_domain_of_a_guest_with_underscores_in_the_name_is_the_last_part() -> None:
    """Underscores in the guest's own name do not confuse the domain."""
    assert mail_domain("jan_de_smet_pz-grens.be#EXT#@victor.onmicrosoft.com") == "pz-grens.be"


def test_bestuur_of_reads_the_mail_not_the_upn() -> None:
    """A member whose UPN is in the association's tenant but whose mail is their bestuur's gets that bestuur."""
    assert bestuur_of("an.peeters@hoogstraten.be", "apeeters@victor.onmicrosoft.com", DOMAINS) == "Stad Hoogstraten"


def test_bestuur_of_a_guest_without_mail_comes_from_their_upns_home_domain() -> None:
    """A guest (`name_domain#EXT#@tenant`) whose mail is unknown is placed by the home domain in their UPN."""
    assert bestuur_of(None, "an.peeters_hoogstraten.be#EXT#@victor.onmicrosoft.com", DOMAINS) == "Stad Hoogstraten"


def test_bestuur_of_a_member_upn_alone_stays_unknown() -> None:
    """Without a mail address, a member's own UPN says nothing about their bestuur."""
    assert bestuur_of(None, "an.peeters@brasschaat.be", DOMAINS) == UNKNOWN_BESTUUR
