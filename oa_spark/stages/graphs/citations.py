"""Citation edges (application → cited document) and the `cited_application` a cited key belongs to.

Each function is a DataFrame → DataFrame transform over the newest document versions, shared by the full
and the incremental build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def citation_edges(docs: DataFrame) -> DataFrame:
    """Application → cited document, aggregated over the application's actions (no `cited_application`)."""
    from pyspark.sql import functions as F

    c = docs.select("application_number", "document_id", "mail_date", F.explode("citations").alias("c"))
    statutes = F.coalesce(F.col("c.statutes"), F.array().cast("array<string>"))
    return c.groupBy("application_number", F.col("c.cited_key").alias("cited_key")).agg(
        F.max("c.cited_kind").alias("cited_kind"),
        F.min("mail_date").alias("first_mail_date"),
        F.max("mail_date").alias("last_mail_date"),
        F.countDistinct("document_id").alias("actions"),
        F.countDistinct(F.when(F.col("c.relied_upon"), F.col("document_id"))).alias("relied_upon_actions"),
        F.array_sort(F.array_distinct(F.flatten(F.collect_list(statutes)))).alias("statutes"),
    )


def claims(docs: DataFrame) -> DataFrame:
    """`(cited_key, application_number)`: the keys each application holds as its own — its patents, its
    publications and its own number (what a co-pending citation names)."""
    from pyspark.sql import functions as F

    app = F.col("application_number")
    return (
        docs.select(app, F.col("patent_key").alias("cited_key"))
        .unionByName(docs.select(app, F.col("publication_key").alias("cited_key")))
        .unionByName(docs.select(app, app.alias("cited_key")))
        .where(F.col("cited_key").isNotNull())
        .distinct()
    )


def timeline_claims(timeline: DataFrame) -> DataFrame:
    """The same claims, read back from application_timeline (`own_keys` and the number itself)."""
    from pyspark.sql import functions as F

    app = F.col("application_number")
    return timeline.select(app, F.explode("own_keys").alias("cited_key")).unionByName(
        timeline.select(app, app.alias("cited_key"))
    )


def owners(claimed: DataFrame) -> DataFrame:
    """`(cited_key, cited_application)` for the keys exactly one application claims: a key claimed by two
    applications is left out (never guess)."""
    from pyspark.sql import functions as F

    return (
        claimed.groupBy("cited_key")
        .agg(F.countDistinct("application_number").alias("n"), F.max("application_number").alias("owner"))
        .where("n = 1")
        .select("cited_key", F.col("owner").alias("cited_application"))
    )


def own_documents(docs: DataFrame) -> DataFrame:
    """`(cited_key, cited_application)`: keys known from the data to be one application's own patent or
    publication, or the application itself (a co-pending citation)."""
    return owners(claims(docs))


def with_cited_application(edges: DataFrame, own: DataFrame) -> DataFrame:
    from oa_spark.schemas import CITATION_EDGES, names

    return edges.join(own, "cited_key", "left").select(*names(CITATION_EDGES))
