"""The `oa-spark` command line (docs/design.md §5). Parses arguments, loads config, calls one library
function.

Every stage's `main()` lives in its own module; `jobs/*.py` and notebooks call the same functions. Exit codes:
0 all done, 1 some weeks failed (the others committed), 2 bad usage or configuration (the message names it).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from oa_spark import __version__, logs, session
from oa_spark.config import Config, ConfigError, load
from oa_spark.maintenance import WEEKLY_TABLES
from oa_spark.session import active_session, built_count, built_since, quiet_built, stop_after_interrupt
from oa_spark.weeks import WeekError, parse_date, parse_week_list, sundays

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # the shell's 128 + SIGINT, 128 + SIGTERM
log = logging.getLogger("oa_spark.cli")

EPILOG = """\
config layers, later wins: built-in defaults (conf/default.toml) -> each --conf FILE ->
environment OA_SPARK__SECTION__KEY=value -> --set section.key=value.
exit codes: 0 all done; 1 some weeks failed (the rest committed); 2 bad usage or configuration;
130 / 143 stopped by Ctrl-C / SIGTERM (every table at its last commit: rerun to finish).
weeks run Monday to Sunday and are named by their Sunday (the date in the file name).
example: oa-spark --conf conf/local.toml --set source.name=local --set source.url=/data/zips \\
         --set lake.path=/data/lake run --from 2022-01-02 --to 2022-01-30"""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options accepted before or after the command (so `spark-submit jobs/x.py --conf F` works too)."""
    d = argparse.SUPPRESS
    parser.add_argument(
        "--conf",
        action="append",
        metavar="FILE",
        default=d if suppress else [],
        help="a TOML config layer (repeatable; later wins)",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="SECTION.KEY=VALUE",
        dest="overrides",
        default=d if suppress else [],
        help="override one config key (repeatable)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=d if suppress else False, help="debug logging"
    )
    parser.add_argument(
        "--log-format",
        choices=["kv", "json"],
        default=d if suppress else None,
        help="structured log lines as key=value (default) or JSON",
    )


def _weeks_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", help="first week: the one holding DATE (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="DATE", help="last week: the one holding DATE, up to its Sunday"
    )
    parser.add_argument("--weeks", metavar="D,D,...", help="explicit weeks (Sundays), comma-separated")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oa-spark",
        description="USPTO office-action weekly zips -> Delta tables -> rejection and citation graphs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"oa-spark {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, weeks: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(p, suppress=True)
        if weeks:
            _weeks_args(p)
        return p

    p = add("run", "stage -> ingest -> extract -> graphs over a range of weeks (what `make run` calls)", True)
    p.add_argument(
        "--force", action="store_true", help="redo weeks already done with the same input and code"
    )
    p.add_argument(
        "--reprocess",
        choices=["extract", "graphs"],
        action="append",
        default=[],
        help="redo a derived stage for the run's weeks (extract: after an extractor upgrade; graphs: a full "
        "rebuild)",
    )

    p = add("stage", "copy weekly zips from the source into the staging area, verified", True)
    p.add_argument("--force", action="store_true", help="re-stage weeks already staged")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan (weeks, files, bytes); copy nothing. Starts no Spark session, so the manifest "
        "is not read and weeks already staged show as copies",
    )

    p = add(
        "ingest", "explode staged zips into office_actions / quarantine (one commit per batch of weeks)", True
    )
    p.add_argument(
        "--force", action="store_true", help="re-ingest weeks already ingested from the same bytes"
    )

    p = add("extract", "rejections, citations and action_summary from office_actions_latest", True)
    p.add_argument("--force", action="store_true", help="re-extract weeks already extracted")
    p.add_argument("--stale", action="store_true", help="only weeks extracted by an older extractor version")

    p = add("graphs", "citation and rejection graphs across the full history")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--full", action="store_const", const="full", dest="mode", help="rebuild over all weeks"
    )
    mode.add_argument(
        "--incremental",
        action="store_const",
        const="incremental",
        dest="mode",
        help="recompute only applications touched since the last build (default after the first)",
    )
    p.add_argument("--export", metavar="DIR", help="also write node and edge lists to DIR")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet", help="export format")

    p = add("sample", "generate realistic weekly zips and truth.jsonl (no Spark)")
    from oa_spark.synth.cli import add_arguments as add_sample_arguments

    add_sample_arguments(p)

    p = add("extract-text", "print the rejections and citations of text files as JSON lines (no Spark)")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = add("eval", "precision / recall of extraction against a generator's truth.jsonl")
    p.add_argument("--truth", required=True, metavar="FILE")
    p.add_argument(
        "--lake",
        action="store_true",
        help="score the lake's rejections/citations tables instead of re-extracting the zips",
    )

    add(
        "status",
        "per stage: weeks done, failed, stale, interrupted or missing, and lag behind the source; the graphs "
        "job's "
        "newest build and the weeks its next build will take",
        True,
    )

    p = add("report", "an HTML report with plots of the tables")
    p.add_argument("--out", required=True, metavar="DIR")

    p = add("maintain", "OPTIMIZE (compaction) and VACUUM of the tables that grow every week", True)
    p.add_argument(
        "--tables",
        default=",".join(WEEKLY_TABLES),
        help="week-partitioned tables are compacted in the given weeks only, the others whole; "
        "citation_edges, rejection_edges, application_timeline and citation_nodes (not by default) are "
        "rewritten whole, sorted into ranges of the key the graphs build reads and writes them by, which "
        "keeps weekly graph reads and writes small",
    )
    p.add_argument("--vacuum", action="store_true", help="also VACUUM with run.maintenance_retention_hours")

    p = add("bench", "benchmarks: throughput ratios measured in one run (docs/design.md §8)")
    p.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="staging records ingest extract graphs history (the default: all six), schedule (by name only)",
    )
    p.add_argument(
        "--weeks",
        type=int,
        metavar="N",
        help="weeks to generate, smaller than the realistic default (schedule: weekly runs in a row)",
    )
    p.add_argument("--records", type=int, metavar="N", help="records per generated week")
    p.add_argument(
        "--repeats",
        type=int,
        metavar="N",
        help="timed runs per figure, the fastest kept (default: each benchmark's own, 2 or 3; "
        "1 for a quick check, more on a noisy machine)",
    )
    p.add_argument("--json", metavar="FILE", help="write the fixed figures as one JSON object")
    p.add_argument("--markdown", metavar="FILE", help="write the table as markdown")
    p.add_argument("--workdir", metavar="DIR", help="scratch directory (default: a temporary one)")
    return parser


def selected_weeks(args: argparse.Namespace) -> list[date] | None:
    """The weeks named by --weeks or --from/--to; None when none were given (the stage decides)."""
    if getattr(args, "weeks", None) and isinstance(args.weeks, str):
        if args.date_from or args.date_to:
            raise WeekError("use either --weeks or --from/--to, not both")
        return parse_week_list(args.weeks)
    start, end = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if start or end:
        if not (start and end):
            raise WeekError("--from and --to go together")
        return sundays(parse_date(start), parse_date(end))
    return None


def _dispatch(args: argparse.Namespace, cfg: Config) -> int:
    """Lazy imports: commands that need no Spark never import it."""
    cmd = args.command
    if cmd == "sample":
        from oa_spark.synth.cli import run as sample_run

        return sample_run(args)
    if cmd == "extract-text":
        from oa_spark.extract import extract_text_main

        return extract_text_main(args.files, sys.stdout)
    if cmd == "eval":
        from oa_spark.evaluate import main as eval_main

        return eval_main(cfg, Path(args.truth), use_lake=args.lake)
    if cmd == "bench":
        from oa_spark.bench.runner import main as bench_main

        return bench_main(
            args.names,
            weeks=args.weeks,
            records=args.records,
            repeats=args.repeats,
            json_path=args.json,
            markdown_path=args.markdown,
            workdir=args.workdir,
        )
    weeks = selected_weeks(args)
    # Each command imports its stage only when chosen (Spark and pyarrow load slowly; `--help` needs neither).
    if cmd == "run":
        from oa_spark.stages import pipeline

        return pipeline.main(cfg, weeks, force=args.force, reprocess=args.reprocess)
    if cmd == "stage":
        from oa_spark.stages import staging

        return staging.main(cfg, weeks, force=args.force, dry_run=args.dry_run)
    if cmd == "ingest":
        from oa_spark.stages import ingest

        return ingest.main(cfg, weeks, force=args.force)
    if cmd == "extract":
        from oa_spark.stages import extract

        return extract.main(cfg, weeks, force=args.force, stale=args.stale)
    if cmd == "graphs":
        from oa_spark.stages import graphs

        return graphs.main(cfg, mode=args.mode, export_dir=args.export, export_format=args.format)
    if cmd == "status":
        from oa_spark import status

        return status.main(cfg, weeks)
    if cmd == "report":
        from oa_spark import report

        return report.main(cfg, Path(args.out))
    from oa_spark import maintenance

    return maintenance.main(cfg, weeks, tables=args.tables.split(","), vacuum=args.vacuum)


class Terminated(KeyboardInterrupt):
    """SIGTERM: a scheduler or `kill` stopping the job, handled as Ctrl-C is (each table keeps its last
    commit), and told apart by its exit code."""


def _terminate(signum: int, frame: object) -> None:
    """The first SIGTERM stops the command the way Ctrl-C does; a second one (the scheduler insisting, or
    a stop stuck in Spark's shutdown) ends the process at once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    quiet_built()
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.setup("DEBUG" if args.verbose else "INFO", args.log_format or "kv")
    # only where nobody else handles SIGTERM (a host process may have its own handler)
    ours = threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    )
    if ours:
        signal.signal(signal.SIGTERM, _terminate)
    session.COMMAND = ours  # Ctrl-C is the command's to handle
    built = built_count()  # the sessions this command builds are its to stop
    try:
        cfg = load(args.conf, args.overrides)
        if args.log_format is None:
            logs.setup("DEBUG" if args.verbose else cfg.log.level, cfg.log.format)
        logs.event(log, "start", command=args.command, version=__version__, code=Path(__file__).parent)
        return _dispatch(args, cfg)
    except (ConfigError, WeekError) as exc:
        print(f"oa-spark: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        own = built_since(built)
        for spark in own:
            stop_after_interrupt(spark, own=True)
        hosted = None if own else active_session()  # a notebook's: its queries interrupted, not stopped
        if hosted is not None:
            stop_after_interrupt(hosted, own=False)
        how = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"oa-spark: {how}; tables stay at their last commit, rerun to finish", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    finally:
        session.COMMAND = False
        if ours:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def entry() -> None:
    """Console-script entry: the exit code reaches the caller even where the caller ignores return values
    (a Databricks wheel task), so a failed week fails the task."""
    raise SystemExit(main())


if __name__ == "__main__":
    entry()
