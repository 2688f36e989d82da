"""The Microsoft 365 Agents Playground (a Teams client without a tenant), started as a subprocess."""
