"""From a member's mail address to their bestuur (municipality, OCMW, police zone, ...)."""

from __future__ import annotations

from collections.abc import Mapping

UNKNOWN_BESTUUR = "onbekend"


def mail_domain(address: str | None) -> str | None:
    """The mail domain of an address, also for guests whose UPN reads `name_domain#EXT#@tenant`."""
    if not address:
        return None
    address = address.strip().lower()
    if "#ext#@" in address:
        local = address.split("#ext#@", 1)[0]
        if "_" not in local:
            return None
        domain = local.rsplit("_", 1)[1]
        return domain or None
    if "@" not in address:
        return None
    return address.rsplit("@", 1)[1] or None


def bestuur_of(mail: str | None, upn: str | None, domains: Mapping[str, str]) -> str:
    """A member's bestuur: from their mail address, else from a guest UPN's home domain.

    A member's own UPN names the tenant's domain, not their bestuur, so only a guest's counts.
    """
    found = bestuur_for(mail, domains)
    if found == UNKNOWN_BESTUUR and upn and "#ext#@" in upn.lower():
        return bestuur_for(upn, domains)
    return found


def bestuur_for(address: str | None, domains: Mapping[str, str]) -> str:
    """The bestuur that owns the address's domain (or a parent domain), else "onbekend"."""
    domain = mail_domain(address)
    while domain:
        if domain in domains:
            return domains[domain]
        if "." not in domain:
            break
        domain = domain.split(".", 1)[1]
    return UNKNOWN_BESTUUR
