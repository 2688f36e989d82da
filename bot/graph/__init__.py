"""Microsoft Graph: the port the bot uses, its msgraph-sdk adapter, and the harvest and sync use cases."""

from bot.graph.adapter import MsGraph, connect_graph, graph_from_env
from bot.graph.errors import GraphConflict, GraphError, GraphForbidden, GraphNotFound, GraphThrottled, GraphUnavailable
from bot.graph.port import RSC_CHANNEL_MESSAGES, GraphPort

__all__ = [
    "RSC_CHANNEL_MESSAGES",
    "GraphConflict",
    "GraphError",
    "GraphForbidden",
    "GraphNotFound",
    "GraphPort",
    "GraphThrottled",
    "GraphUnavailable",
    "MsGraph",
    "connect_graph",
    "graph_from_env",
]
