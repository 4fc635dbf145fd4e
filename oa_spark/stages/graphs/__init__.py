"""The graphs job: full-history citation and rejection graphs, timelines and statistics (README).

Inputs are `office_actions`, `citations` and `rejections`; every output covers applications whose series
is at least `graphs.min_series` (the others are counted, in `runs` and `graph_summary`, never dropped
silently). Outputs:

- `citation_edges`    application → cited document (`cited_key`), aggregated over the application's actions;
  `cited_application` is the application whose own patent or publication the cited document is, when
  office_actions says so (`patent_number`, a publication-number column if one exists) for exactly one
  application in the graph, or the cited co-pending application itself; null otherwise (never guessed).
- `citation_nodes`    applications and cited documents, degrees, first_seen, weakly connected component.
  A cited document with a `cited_application` is joined to that application's node for components by a
  "same-as" edge (cited_key — cited_application); same-as edges count in components, not in degrees.
- `rejection_edges`   application × action × ground × claim × reference.
- `rejection_stats`   long format, see `rejection_stats`.
- `application_timeline`  per application; `rounds` = completed non-final → final cycles.
- `graph_summary`     one row per build.

Every action counts once, in its newest version (the `office_actions_latest` rule). The job keeps its own
compact state, `graph_actions`: one row per document version and week (no body text) with its citations and
grounds. A full build recomputes everything from all weeks. An incremental build costs what the new weeks
touch, not what the history holds: it reads only the partitions of the weeks whose extraction finished since
the last build (`runs`, job `extract`, the rows newer than that build), the state rows of the applications
those weeks touch, and the graph rows of those applications and of the documents they cite; it swaps the
`rejection_edges` rows of the weeks' documents (each row is one action's: a week of new actions only
appends) and the touched applications' `application_timeline` rows (one replaceWhere each; a MERGE when
they are many, `merge.SWAP_MAX_APPLICATIONS`) and MERGEs the rows that change in the other tables (rows
that no longer exist are deleted in the same MERGE).
Aggregates are updated, not recounted: `rejection_stats` keeps additive totals per group (with a histogram
of references per ground), the summary keeps degree histograms, and both get the touched actions' new
contribution minus the old one.
Components are merged through a contracted graph when the build only added links (its components found on
the driver when it is small, `components.DRIVER_MAX_PAIRS`); when it removed any, they are recomputed over
the whole edge table. The tables are written in three chains side by side (threads on the one session:
edges then nodes; the per-application tables then the state; the statistics), then the summary, which
records each table's Delta version: the next build is incremental only when the tables are exactly as this
one left them (compaction aside), so a build interrupted at any point is followed by a full one. A build
must write alone: when another writer's commit lands between the version a table had at its start and its
own write (a second build on the lake), it stops (`ConcurrentBuild`) before its summary, with the same
effect.


The package follows the build: `state` (the compact per-action state) → `keys`, `citations`, `rejections`,
`timeline`, `stats`, `nodes` (DataFrame transforms) → `merge` (MERGE of touched rows) → `summary` (the
figures of a build) → `build` (full or incremental) → `export` → `job` (`main`, the `oa-spark graphs` entry).
"""

from oa_spark.stages.graphs.job import main

__all__ = ["main"]
