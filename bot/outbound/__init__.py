"""Calls out to Teams: the paced, retried Bot Connector client, card publishers, file upload, deep links."""
