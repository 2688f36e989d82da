"""Teams-facing: the HTTP edge (server, inbound_auth, handler, activity_facts, roster, direct_replies) and below it."""
