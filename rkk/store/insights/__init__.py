"""SQL of insights: InsightQueries (the aggregates, as GROUP BY in the database) and SqlDigestClaims."""

from rkk.store.insights.aggregates import InsightQueries
from rkk.store.insights.digests import SqlDigestClaims

__all__ = ["InsightQueries", "SqlDigestClaims"]
