"""Teams-facing: the HTTP edge (server, envelope, inbound_auth, connector_clients, handler, activity_facts, roster,
member_cache, rate_limit, direct_replies) and below it."""
