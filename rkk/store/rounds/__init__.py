"""SQL of the weekly round: SqlStore (the Store port) and ThreadRounds (which threads to harvest)."""

from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import RoundThread, ThreadRound, ThreadRounds, split_thread

__all__ = ["RoundThread", "SqlStore", "ThreadRound", "ThreadRounds", "split_thread"]
