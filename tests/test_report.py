"""`oa-spark report`: one self-contained HTML page, every plot rendered by a real (headless) browser."""

from __future__ import annotations

import html
import itertools
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from oa_spark import config

pytestmark = pytest.mark.spark

W1, W2, W3 = date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)
PLOT_IDS = {
    "plot-actions-per-week",
    "plot-statute-shares",
    "plot-tech-center-rates",
    "plot-top-cited",
    "plot-degree-distribution",
    "plot-quarantine-reasons",
    "plot-run-durations",
}

# (week, application, document, tech center, statutes rejected: one entry per ground)
ACTIONS = [
    (W1, "16000001", "D1", "1600", ["103", "103", "112"]),
    (W1, "16000002", "D2", "1700", ["102"]),
    (W1, "17000003", "D3", "2100", []),
    (W2, "16000004", "D4", "1600", ["101"]),
    (W2, "16000005", "D5", "2100", []),
    (W3, "16000006", "D6", "1700", ["103", "dp"]),
]
# (week, document, cited key): D1 cites US-1 twice (two rows, one citing action)
CITED = [
    (W1, "D1", "US-1"),
    (W1, "D1", "US-1"),
    (W1, "D1", "US-2"),
    (W1, "D2", "US-1"),
    (W2, "D4", "US-1"),
    (W2, "D4", "EP-3"),
]


def _chromium() -> str | None:
    found = shutil.which("chromium")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


needs_chromium = pytest.mark.skipif(
    _chromium() is None, reason="headless Chromium not installed (apt-get install -y chromium)"
)


def _fill(spark, lake) -> None:
    from oa_spark import schemas

    app = {doc: (week, number, tc) for week, number, doc, tc, _ in ACTIONS}
    lake.append(
        "office_actions",
        spark.createDataFrame(
            [
                {"week": w, "document_id": d, "application_number": a, "tech_center": tc}
                for w, a, d, tc, _ in ACTIONS
            ],
            schemas.OFFICE_ACTIONS,
        ),
    )
    lake.append(
        "rejections",
        spark.createDataFrame(
            [
                {"week": w, "document_id": d, "application_number": a, "ground": i, "statute": s}
                for w, a, d, _, statutes in ACTIONS
                for i, s in enumerate(statutes, 1)
            ],
            schemas.REJECTIONS,
        ),
    )
    lake.append(
        "action_summary",
        spark.createDataFrame(
            [
                {
                    "week": w,
                    "document_id": d,
                    "application_number": a,
                    "tech_center": tc,
                    **{f"rejection_{s}": s in statutes for s in ("101", "102", "103", "112", "dp")},
                }
                for w, a, d, tc, statutes in ACTIONS
            ],
            schemas.ACTION_SUMMARY,
        ),
    )
    lake.append(
        "citations",
        spark.createDataFrame(
            [
                {"week": w, "document_id": d, "application_number": app[d][1], "cited_key": key}
                for w, d, key in CITED
            ],
            schemas.CITATIONS,
        ),
    )
    lake.append(
        "citation_nodes",
        spark.createDataFrame(
            [
                {"node_id": "US-1", "node_type": "us_patent", "in_degree": 3, "out_degree": 0},
                {"node_id": "US-2", "node_type": "us_patent", "in_degree": 1, "out_degree": 0},
                {"node_id": "EP-3", "node_type": "foreign", "in_degree": 1, "out_degree": 0},
                {"node_id": "16000001", "node_type": "application", "in_degree": 0, "out_degree": 2},
            ],
            schemas.CITATION_NODES,
        ),
    )
    lake.append(
        "quarantine",
        spark.createDataFrame(
            [
                {"week": W1, "source_file": "f1", "line_number": 3, "reason": "invalid_json"},
                {"week": W1, "source_file": "f1", "line_number": 9, "reason": "invalid_json"},
                {"week": W2, "source_file": "f2", "line_number": 4, "reason": "bad_date"},
            ],
            schemas.QUARANTINE,
        ),
    )
    lake.append(
        "runs",
        spark.createDataFrame(
            [
                {
                    "run_id": f"r{i}",
                    "job": job,
                    "week": week,
                    "status": "done",
                    "started_at": datetime(2024, 1, 1, 0, 0, 0),
                    "finished_at": datetime(2024, 1, 1, 0, 0, seconds),
                }
                for i, (job, week, seconds) in enumerate(
                    [
                        ("stage", W1, 2),
                        ("stage", W2, 4),
                        ("ingest", W1, 9),
                        ("extract", W1, 5),
                        ("graphs", None, 7),
                    ]
                )
            ],
            schemas.RUNS,
        ),
    )


@pytest.fixture(scope="module")
def filled(spark, tmp_path_factory):
    """A small lake with every table the report reads, and its report (built once for the module)."""
    from oa_spark import report
    from oa_spark.tables import Lake

    root = tmp_path_factory.mktemp("report")
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"])
    lake = Lake(spark, cfg.lake)
    _fill(spark, lake)
    assert report.main(cfg, root / "out", spark=spark) == 0
    return lake, root / "out" / "index.html"


def _figures(page: str) -> dict[str, str]:
    return dict(re.findall(r'<figure id="([^"]+)"[^>]*>(.*?)</figure>', page, re.S))


def _browser(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    return subprocess.run(
        [_chromium(), *flags, *args], capture_output=True, text=True, timeout=120, check=True
    )


def test_report_has_one_figure_per_plot_with_image_and_caption(filled) -> None:
    figures = _figures(filled[1].read_text(encoding="utf-8"))
    assert set(figures) == PLOT_IDS
    for body in figures.values():
        assert re.search(r'<img alt="[^"]+" src="data:image/png;base64,', body)
        assert "<figcaption>" in body


def test_report_loads_nothing_from_the_network(filled) -> None:
    page = filled[1].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"<(link|iframe|object|embed)\b", page)
    assert "default-src 'none'" in page
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]+)"', page))


def test_headline_numbers_count_weeks_actions_grounds_citations_quarantined(filled) -> None:
    from oa_spark.report import headline

    numbers = dict(headline(filled[0]))
    assert numbers["weeks"] == "3 (2022-01-02 – 2022-01-16)"
    assert numbers["actions"] == "6"
    assert numbers["grounds of rejection"] == "7"
    assert numbers["citations"] == "6"
    assert numbers["quarantined records"] == "3"


def test_statute_share_counts_an_action_once_however_many_grounds(filled) -> None:
    from oa_spark.report import statute_shares

    rows = statute_shares(filled[0])
    assert {r["unit"] for r in rows} == {"week"}  # three weeks: weekly points
    shares = {(r["period"], r["statute"]): r["share"] for r in rows}
    assert shares[(W1, "103")] == pytest.approx(1 / 3)
    assert shares[(W1, "112")] == pytest.approx(1 / 3)
    assert shares[(W2, "101")] == pytest.approx(1 / 2)
    assert shares[(W3, "dp")] == pytest.approx(1.0)


def test_top_cited_ranks_by_citing_actions_not_rows(filled) -> None:
    from oa_spark.report import top_cited

    assert [(r["cited_key"], r["actions"]) for r in top_cited(filled[0])] == [
        ("US-1", 3),
        ("EP-3", 1),
        ("US-2", 1),
    ]


def test_run_durations_summarise_each_job_in_pipeline_order(filled) -> None:
    from oa_spark.report import run_durations

    rows = run_durations(filled[0])
    assert [r["job"] for r in rows] == ["stage", "ingest", "extract", "graphs"]
    stage = rows[0]
    assert (stage["runs"], stage["q"][0], stage["q"][-1]) == (2, 2.0, 4.0)


def test_missing_tables_give_placeholders_naming_the_command(spark, tmp_path) -> None:
    from oa_spark import report

    cfg = config.load(overrides=[f"lake.path={tmp_path / 'empty-lake'}", "spark.master=local[2]"])
    assert report.main(cfg, tmp_path / "out", spark=spark) == 0
    figures = _figures((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert set(figures) == PLOT_IDS
    assert not any("<img" in body for body in figures.values())
    assert "no data yet: run <code>oa-spark ingest</code>" in figures["plot-actions-per-week"]
    assert "no data yet: run <code>oa-spark extract</code>" in figures["plot-statute-shares"]
    assert "no data yet: run <code>oa-spark graphs</code>" in figures["plot-degree-distribution"]
    assert "no data yet: run <code>oa-spark run</code>" in figures["plot-run-durations"]


def test_empty_quarantine_says_nothing_was_quarantined(spark, tmp_path) -> None:
    from oa_spark import report
    from oa_spark.tables import Lake

    cfg = config.load(overrides=[f"lake.path={tmp_path / 'lake'}", "spark.master=local[2]"])
    Lake(spark, cfg.lake).ensure("quarantine")
    assert report.main(cfg, tmp_path / "out", spark=spark) == 0
    figures = _figures((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert "no records quarantined" in figures["plot-quarantine-reasons"]


@needs_chromium
def test_every_plot_image_decodes_in_headless_chromium(filled, tmp_path) -> None:
    dom = _browser("--dump-dom", filled[1].as_uri(), tmp_path=tmp_path).stdout
    loaded = re.search(r'<body[^>]*\bdata-loaded="([^"]*)"', dom)
    assert loaded, "the page's load script did not run"
    assert set(loaded.group(1).split()) == PLOT_IDS


@needs_chromium
def test_screenshot_of_the_report_is_not_blank(filled, tmp_path) -> None:
    from PIL import Image

    shot = tmp_path / "report.png"
    _browser("--window-size=1000,4200", f"--screenshot={shot}", filled[1].as_uri(), tmp_path=tmp_path)
    with Image.open(shot) as image:
        assert image.size == (1000, 4200)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200
    white = max(count for count, rgb in colours if rgb == (255, 255, 255))
    assert white < 0.97 * 1000 * 4200


# -- a long history: ten years of weeks ----------------------------------------------------------------------

LONG_WEEKS = 520
LONG_START = date(2015, 1, 4)
LONG_PER_WEEK = 25
TECH_CENTERS = ["1600", "1700", "2100", "2400", "2600", "2800", "2900", "3600", "3700"]


def _fill_long(spark, lake) -> None:
    """Ten years of tiny weeks written straight into the tables the report reads (one commit each): action i
    of week w is in tech center i mod 9 (every 31st has none), rejects under 103 when (w + i) is even and
    under 101 when i mod 5 is 0."""
    from pyspark.sql import functions as F

    from oa_spark import schemas

    i = F.col("id") % LONG_PER_WEEK
    w = (F.col("id") / LONG_PER_WEEK).cast("int")
    tc = F.when(F.col("id") % 31 == 0, F.lit(None)).otherwise(
        F.element_at(F.array(*[F.lit(t) for t in TECH_CENTERS]), (i % 9 + 1).cast("int"))
    )
    base = spark.range(LONG_WEEKS * LONG_PER_WEEK).select(
        F.date_add(F.lit(LONG_START), (w * 7).cast("int")).alias("week"),
        F.format_string("L%06d", "id").alias("document_id"),
        F.format_string("16%06d", "id").alias("application_number"),
        tc.alias("tech_center"),
        ((w + i) % 2 == 0).alias("rejection_103"),
        (i % 5 == 0).alias("rejection_101"),
    )

    def conform(df, schema):
        return df.select(
            *[
                (F.col(f.name) if f.name in df.columns else F.lit(None)).cast(f.dataType).alias(f.name)
                for f in schema
            ]
        )

    lake.append("office_actions", conform(base, schemas.OFFICE_ACTIONS))
    lake.append("action_summary", conform(base, schemas.ACTION_SUMMARY))
    grounds = (
        base.where("rejection_103")
        .withColumn("statute", F.lit("103"))
        .unionByName(base.where("rejection_101").withColumn("statute", F.lit("101")))
    )
    lake.append("rejections", conform(grounds.withColumn("ground", F.lit(1)), schemas.REJECTIONS))


@pytest.fixture(scope="module")
def long_history(spark, tmp_path_factory):
    from oa_spark import report
    from oa_spark.tables import Lake

    root = tmp_path_factory.mktemp("report-long")
    cfg = config.load(overrides=[f"lake.path={root / 'lake'}", "spark.master=local[2]"])
    lake = Lake(spark, cfg.lake)
    _fill_long(spark, lake)
    assert report.main(cfg, root / "out", spark=spark) == 0
    return lake, root / "out" / "index.html"


def test_statute_shares_over_ten_years_are_counted_per_quarter(long_history) -> None:
    from oa_spark.report import statute_shares

    rows = statute_shares(long_history[0])
    assert {r["unit"] for r in rows} == {"quarter"}
    periods = sorted({r["period"] for r in rows})
    assert len(periods) == 40  # 2015-Q1 … 2024-Q4
    assert all(p.day == 1 and p.month in (1, 4, 7, 10) for p in periods)
    # 2015-Q1 holds 13 weeks (Jan 4 … Mar 29): 101 hits i = 0, 5, 10, 15, 20 of each week
    shares = {(r["period"], r["statute"]): r["share"] for r in rows}
    assert shares[(date(2015, 1, 1), "101")] == pytest.approx(5 / 25)
    assert shares[(date(2015, 1, 1), "112")] == 0.0


def test_statute_lines_over_ten_years_have_one_point_per_quarter(long_history) -> None:
    from oa_spark.report import PLOTS, figure_for

    plot = next(p for p in PLOTS if p.name == "statute-shares")
    ax = figure_for(plot, plot.query(long_history[0])).axes[0]
    assert {len(line.get_xdata()) for line in ax.get_lines()} == {40}


def _overlapping(labels) -> list[tuple[str, str]]:
    boxes = [(t.get_text(), t.get_window_extent()) for t in labels if t.get_text()]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.pairwise(boxes) if box_a.overlaps(box_b)]


def test_tech_center_labels_do_not_overlap_on_a_long_history(long_history) -> None:
    from oa_spark.report import PLOTS, figure_for

    plot = next(p for p in PLOTS if p.name == "tech-center-rates")
    rows = plot.query(long_history[0])
    assert len(rows) == 10 and sum(r["actions"] for r in rows) == LONG_WEEKS * LONG_PER_WEEK
    fig = figure_for(plot, rows)
    fig.canvas.draw()
    labels = fig.axes[0].get_xticklabels()
    assert [t.get_text().split("\n")[0] for t in labels] == [*TECH_CENTERS, "unknown"]
    assert _overlapping(labels) == []


def test_tech_center_labels_stay_apart_with_millions_of_actions() -> None:
    from oa_spark.report import PLOTS, figure_for

    plot = next(p for p in PLOTS if p.name == "tech-center-rates")
    rows = [
        {
            "tech_center": tc,
            "actions": 1_234_567 * (k + 1),
            **{s: 0.1 for s in ("101", "102", "103", "112", "dp")},
        }
        for k, tc in enumerate([*TECH_CENTERS, "unknown"])
    ]
    fig = figure_for(plot, rows)
    fig.canvas.draw()
    assert _overlapping(fig.axes[0].get_xticklabels()) == []


@needs_chromium
def test_a_ten_year_report_loads_every_figure_in_headless_chromium(long_history, tmp_path) -> None:
    dom = _browser("--dump-dom", long_history[1].as_uri(), tmp_path=tmp_path).stdout
    loaded = re.search(r'<body[^>]*\bdata-loaded="([^"]*)"', dom)
    assert loaded, "the page's load script did not run"
    assert {"plot-actions-per-week", "plot-statute-shares", "plot-tech-center-rates"} <= set(
        loaded.group(1).split()
    )
    assert "Share of each quarter's extracted actions" in html.unescape(_figures(dom)["plot-statute-shares"])
