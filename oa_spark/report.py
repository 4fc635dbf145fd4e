"""`oa-spark report`: one self-contained HTML page of plots over the lake's tables.

Every figure is aggregated in Spark and only the small aggregate reaches the driver, so the report costs
about the same on a three-week sample as on twenty years of weeks. Images are embedded as base64 PNG and the
page loads nothing from the network (a Content-Security-Policy says so), so it can be mailed, archived or
opened from a Databricks volume as is. A missing or empty table gives a placeholder naming the command that
fills it, never an error: the report is useful from the first stage on.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from oa_spark.config import Config
from oa_spark.extract.statutes import STATUTES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

    from oa_spark.tables import Lake

log = logging.getLogger("oa_spark.report")

JOB_ORDER = ("stage", "ingest", "extract", "graphs")
TOP_CITED = 20

# The command that fills each table, named in a placeholder when the table is missing or empty.
FILLED_BY = {
    "office_actions": "ingest",
    "quarantine": "ingest",
    "rejections": "extract",
    "citations": "extract",
    "action_summary": "extract",
    "citation_nodes": "graphs",
    "runs": "run",
}

Rows = list[Any]


@dataclass(frozen=True)
class Plot:
    """One figure: the tables it needs, a Spark aggregate of them, and how to draw that aggregate."""

    name: str
    title: str
    caption: str
    alt: str
    tables: tuple[str, ...]
    query: Callable[[Lake], Rows]
    draw: Callable[[Axes, Rows], None]
    empty_text: str = ""


# -- aggregates (Spark; each returns a few hundred rows at most per week or group) ---------------------------


def _one_row_per_action(df: DataFrame) -> DataFrame:
    """A document re-shipped in a later week has rows in both weeks; count its newest week only."""
    newest = Window.partitionBy("application_number", "document_id").orderBy(F.col("week").desc())
    return df.withColumn("_n", F.row_number().over(newest)).where("_n = 1").drop("_n")


def actions_per_week(lake: Lake) -> Rows:
    df = lake.read("office_actions").groupBy("week").agg(F.count(F.lit(1)).alias("actions"))
    return df.orderBy("week").collect()


# Weekly points up to half a year, monthly up to three years, quarterly beyond: a long history stays a
# readable line (at most ~40 points a decade) instead of hundreds of noisy weekly ones.
PERIODS = ((26, "week"), (156, "month"), (None, "quarter"))


def share_period(first: date, last: date) -> str:
    """The period that statute shares are counted in, for weeks from `first` to `last`."""
    weeks = (last - first).days // 7 + 1
    return next(unit for limit, unit in PERIODS if limit is None or weeks <= limit)


def statute_shares(lake: Lake) -> Rows:
    """Per period (week, month or quarter by the span of weeks; `share_period`) and statute: actions with a
    ground under it ÷ actions extracted in the period (0 when none). Rows: period (its first day), unit,
    statute, share."""
    action = ["application_number", "document_id"]
    summary = lake.read("action_summary")
    span = summary.agg(F.min("week").alias("first"), F.max("week").alias("last")).collect()[0]
    if span["first"] is None:
        return []
    unit = share_period(span["first"], span["last"])
    period = F.col("week") if unit == "week" else F.trunc("week", unit)
    actions = summary.groupBy(period.alias("period")).agg(F.countDistinct(*action).alias("actions"))
    hits = (
        lake.read("rejections")
        .where(F.col("statute").isin(*STATUTES))
        .groupBy(period.alias("period"), "statute")
        .agg(F.countDistinct(*action).alias("with_statute"))
    )
    grid = actions.crossJoin(lake.spark.createDataFrame([(s,) for s in STATUTES], "statute string"))
    share = (F.coalesce(F.col("with_statute"), F.lit(0)) / F.col("actions")).alias("share")
    rows = grid.join(hits, ["period", "statute"], "left").select(
        "period", F.lit(unit).alias("unit"), "statute", share
    )
    return rows.orderBy("period", "statute").collect()


def tech_center_rates(lake: Lake) -> Rows:
    df = _one_row_per_action(lake.read("action_summary"))
    rates = [F.avg(F.col(f"rejection_{s}").cast("double")).alias(s) for s in STATUTES]
    center = F.coalesce(F.col("tech_center"), F.lit("unknown")).alias("tech_center")
    return df.groupBy(center).agg(F.count(F.lit(1)).alias("actions"), *rates).orderBy("tech_center").collect()


def top_cited(lake: Lake) -> Rows:
    return (
        lake.read("citations")
        .where(F.col("cited_key").isNotNull())
        .groupBy("cited_key")
        .agg(F.countDistinct("application_number", "document_id").alias("actions"))
        .orderBy(F.col("actions").desc(), F.col("cited_key"))
        .limit(TOP_CITED)
        .collect()
    )


def in_degree_counts(lake: Lake) -> Rows:
    df = lake.read("citation_nodes").where(F.col("in_degree") > 0)
    return df.groupBy("in_degree").agg(F.count(F.lit(1)).alias("nodes")).orderBy("in_degree").collect()


def quarantine_reasons(lake: Lake) -> Rows:
    df = lake.read("quarantine").groupBy("week", F.coalesce("reason", F.lit("unknown")).alias("reason"))
    return df.agg(F.count(F.lit(1)).alias("records")).orderBy("week", "reason").collect()


def run_durations(lake: Lake) -> Rows:
    """Per job: the five-number summary of finished runs' durations (seconds), computed in Spark."""
    seconds = (F.unix_micros("finished_at") - F.unix_micros("started_at")) / 1e6
    done = (
        lake.read("runs")
        .where(
            (F.col("status") == "done") & F.col("started_at").isNotNull() & F.col("finished_at").isNotNull()
        )
        .select("job", seconds.alias("seconds"))
    )
    quantiles = F.percentile_approx("seconds", [0.0, 0.25, 0.5, 0.75, 1.0], 10000).alias("q")
    rows = done.groupBy("job").agg(F.count(F.lit(1)).alias("runs"), quantiles).collect()
    order = {job: i for i, job in enumerate(JOB_ORDER)}
    return sorted(rows, key=lambda r: (order.get(r["job"], len(order)), r["job"]))


# -- drawing (matplotlib, driver side, on the small aggregates) ----------------------------------------------


def _integer_axis(axis: Axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _legend_outside(ax: Axes, **kwargs: Any) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", **kwargs)


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def draw_actions(ax: Axes, rows: Rows) -> None:
    ax.bar([r["week"] for r in rows], [r["actions"] for r in rows], width=5, color="#4c72b0")
    ax.set_ylabel("office actions")
    _integer_axis(ax.yaxis)
    _date_axis(ax)


def draw_statute_shares(ax: Axes, rows: Rows) -> None:
    from matplotlib.ticker import PercentFormatter

    periods = len({r["period"] for r in rows})
    marker: dict[str, Any] = {"marker": "o", "markersize": 3} if periods <= 60 else {}
    for statute in STATUTES:
        points = [(r["period"], r["share"]) for r in rows if r["statute"] == statute]
        if points:
            days, shares = zip(*points, strict=True)
            ax.plot(days, shares, label=f"§{statute}" if statute != "dp" else "DP", **marker)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(f"share of actions per {rows[0]['unit']}")
    ax.set_ylim(bottom=0)
    _legend_outside(ax)
    _date_axis(ax)


def compact_count(n: int) -> str:
    """1234 → `1.2k`, 13000 → `13k`, 2500000 → `2.5M`: short enough for a tick label."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            value = n / size
            return f"{value:.1f}{suffix}" if value < 10 else f"{value:.0f}{suffix}"
    return str(n)


def draw_tech_center_rates(ax: Axes, rows: Rows) -> None:
    from matplotlib.ticker import PercentFormatter

    width = 0.8 / len(STATUTES)
    for i, statute in enumerate(STATUTES):
        xs = [j + (i - (len(STATUTES) - 1) / 2) * width for j in range(len(rows))]
        ax.bar(xs, [r[statute] or 0.0 for r in rows], width=width, label=statute)
    labels = [f"{r['tech_center']}\n{compact_count(r['actions'])}" for r in rows]
    ax.set_xticks(range(len(rows)), labels, fontsize="small" if len(rows) > 8 else None)
    ax.set_xlabel("technology center (actions)")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("actions with a rejection")
    _legend_outside(ax, title="statute")


def draw_top_cited(ax: Axes, rows: Rows) -> None:
    shown = list(reversed(rows))  # barh draws bottom-up: the most cited goes on top
    ax.barh([r["cited_key"] for r in shown], [r["actions"] for r in shown], color="#55a868")
    ax.set_xlabel("citing office actions")
    _integer_axis(ax.xaxis)
    ax.tick_params(axis="y", labelsize="small")


def draw_degrees(ax: Axes, rows: Rows) -> None:
    ax.loglog([r["in_degree"] for r in rows], [r["nodes"] for r in rows], "o", color="#c44e52")
    ax.set_xlabel("in-degree (citing applications)")
    ax.set_ylabel("nodes")
    ax.grid(True, which="both", alpha=0.3)


def draw_quarantine(ax: Axes, rows: Rows) -> None:
    weeks = sorted({r["week"] for r in rows})
    counts: dict[str, dict[Any, int]] = {}
    for r in rows:
        counts.setdefault(r["reason"], {})[r["week"]] = r["records"]
    bottom = [0] * len(weeks)
    for reason in sorted(counts, key=lambda k: -sum(counts[k].values())):
        heights = [counts[reason].get(w, 0) for w in weeks]
        ax.bar(weeks, heights, width=5, bottom=bottom, label=reason)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("quarantined records")
    _integer_axis(ax.yaxis)
    _legend_outside(ax, title="reason")
    _date_axis(ax)


def draw_durations(ax: Axes, rows: Rows) -> None:
    stats = [
        {
            "label": f"{r['job']}\n{r['runs']} run{'s' if r['runs'] != 1 else ''}",
            "whislo": r["q"][0],
            "q1": r["q"][1],
            "med": r["q"][2],
            "q3": r["q"][3],
            "whishi": r["q"][4],
        }
        for r in rows
    ]
    ax.bxp(stats, showfliers=False)
    ax.set_ylabel("seconds per week and job")


PLOTS: tuple[Plot, ...] = (
    Plot(
        "actions-per-week",
        "Office actions per week",
        "Rows of office_actions per weekly file (each document version shipped that week).",
        "Bar chart of the number of office actions in each weekly file",
        ("office_actions",),
        actions_per_week,
        draw_actions,
    ),
    Plot(
        "statute-shares",
        "Rejection statutes over time",
        "Share of each {unit}'s extracted actions with at least one ground under 35 U.S.C. 101, 102, 103, "
        "112, or double patenting (weekly up to half a year of weeks, monthly up to three years, then "
        "quarterly).",
        "Line chart of the share of office actions rejecting under each statute over time",
        ("rejections", "action_summary"),
        statute_shares,
        draw_statute_shares,
    ),
    Plot(
        "tech-center-rates",
        "Rejection rates by technology center",
        "Share of actions (each document's newest version) in each technology center rejecting under each "
        "statute.",
        "Grouped bar chart of rejection rates per statute for each technology center",
        ("action_summary",),
        tech_center_rates,
        draw_tech_center_rates,
    ),
    Plot(
        "top-cited",
        f"Top {TOP_CITED} cited documents",
        "Cited documents (kind code dropped) by the number of office actions citing them.",
        "Horizontal bar chart of the most cited documents by number of citing office actions",
        ("citations",),
        top_cited,
        draw_top_cited,
    ),
    Plot(
        "degree-distribution",
        "Citation graph: in-degree distribution",
        "Number of cited nodes by in-degree, log-log; a straight tail means a few documents draw most "
        "citations.",
        "Log-log scatter plot of node count against in-degree in the citation graph",
        ("citation_nodes",),
        in_degree_counts,
        draw_degrees,
    ),
    Plot(
        "quarantine-reasons",
        "Quarantined records per week",
        "Input records set aside by ingest, stacked by reason code (see quarantine.reason).",
        "Stacked bar chart of quarantined records per week by reason",
        ("quarantine",),
        quarantine_reasons,
        draw_quarantine,
        empty_text="no records quarantined",
    ),
    Plot(
        "run-durations",
        "Run durations",
        "Wall time of finished (done) runs per job, from the runs ledger: box = quartiles, "
        "whiskers = min/max.",
        "Box plot of run durations in seconds for each pipeline job",
        ("runs",),
        run_durations,
        draw_durations,
    ),
)


# -- page ----------------------------------------------------------------------------------------------------


def figure_for(plot: Plot, rows: Rows) -> Figure:
    """Draw on a figure of its own (no pyplot state) with the Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot.draw(ax, rows)
    ax.set_title(plot.title)
    return fig


def png_base64(plot: Plot, rows: Rows) -> str:
    """The figure as a base64 PNG."""
    buf = io.BytesIO()
    figure_for(plot, rows).savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def caption_of(plot: Plot, rows: Rows) -> str:
    """The caption, with `{unit}` filled from the rows (the period a figure was counted in)."""
    if "{unit}" not in plot.caption:
        return plot.caption
    return plot.caption.replace("{unit}", rows[0]["unit"] if rows else "week")


def missing_table(lake: Lake, tables: Sequence[str]) -> str | None:
    return next((t for t in tables if not lake.exists(t)), None)


def figure_html(lake: Lake, plot: Plot) -> str:
    esc = html.escape
    absent = missing_table(lake, plot.tables)
    rows = [] if absent else plot.query(lake)
    caption = f"<figcaption><b>{esc(plot.title)}.</b> {esc(caption_of(plot, rows))}</figcaption>"
    if rows:
        img = f'<img alt="{esc(plot.alt)}" src="data:image/png;base64,{png_base64(plot, rows)}">'
        return f'<figure id="plot-{plot.name}">{img}{caption}</figure>'
    if plot.empty_text and not absent:
        text = esc(plot.empty_text)
    else:
        stage = FILLED_BY.get(absent or plot.tables[0], "run")
        text = f"no data yet: run <code>oa-spark {stage}</code>"
    log.info("report figure %s has no data (%s)", plot.name, absent or "empty")
    return f'<figure id="plot-{plot.name}" class="empty"><p class="placeholder">{text}</p>{caption}</figure>'


def headline(lake: Lake) -> list[tuple[str, str]]:
    """(label, value) pairs; a missing table shows a dash rather than a misleading zero."""

    def when(table: str, compute: Callable[[DataFrame], str]) -> str:
        return compute(lake.read(table)) if lake.exists(table) else "–"

    def weeks(df: DataFrame) -> str:
        row = df.agg(F.countDistinct("week").alias("n"), F.min("week").alias("a"), F.max("week").alias("b"))
        r = row.collect()[0]
        return f"{r['n']:,}" + (f" ({r['a']} – {r['b']})" if r["n"] else "")

    def rows(df: DataFrame) -> str:
        return f"{df.count():,}"

    def actions(df: DataFrame) -> str:
        return f"{df.select(F.countDistinct('application_number', 'document_id')).collect()[0][0]:,}"

    return [
        ("weeks", when("office_actions", weeks)),
        ("actions", when("office_actions", actions)),
        ("grounds of rejection", when("rejections", rows)),
        ("citations", when("citations", rows)),
        ("quarantined records", when("quarantine", rows)),
    ]


CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #222; }
table.headline { border-collapse: collapse; margin-bottom: 2rem; }
table.headline th, table.headline td { padding: .25rem .9rem; border-bottom: 1px solid #ddd; }
table.headline th { text-align: left; }
table.headline td { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 2.5rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .9rem; }
p.placeholder { padding: 2rem; background: #f4f4f4; border: 1px dashed #bbb; text-align: center; }
"""

# The page's only script, inline: lists the figures whose image decoded, so a headless browser can check them.
SCRIPT = """
window.addEventListener("load", function () {
  var ok = [];
  document.querySelectorAll("figure img").forEach(function (img) {
    if (img.complete && img.naturalWidth > 0) { ok.push(img.closest("figure").id); }
  });
  document.body.setAttribute("data-loaded", ok.join(" "));
});
"""


def render(lake: Lake, generated: datetime | None = None) -> str:
    esc = html.escape
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    numbers = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in headline(lake))
    figures = "\n".join(figure_html(lake, plot) for plot in PLOTS)
    where = lake.location("<table>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oa-spark report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>USPTO office actions: pipeline report</h1>
<p>Tables at <code>{esc(where)}</code>, read {esc(stamp)}.</p>
<table class="headline">{numbers}</table>
{figures}
<script>{SCRIPT}</script>
</body>
</html>
"""


def main(cfg: Config, out_dir: Path, spark: SparkSession | None = None) -> int:
    """Write `out_dir/index.html` (replacing it in one rename, so a reader never sees half a page)."""
    from oa_spark.session import get_spark
    from oa_spark.tables import Lake

    spark = spark or get_spark(cfg)
    page = render(Lake(spark, cfg.lake))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    partial = out_dir / ".index.html.partial"
    partial.write_text(page, encoding="utf-8")
    partial.replace(target)
    print(f"wrote report to {target}")
    return 0
