"""SQL of answers that arrive as thread replies: SqlReplySink."""

from rkk.store.answers.replies import SqlReplySink

__all__ = ["SqlReplySink"]
