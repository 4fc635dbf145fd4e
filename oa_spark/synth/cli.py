"""`python -m oa_spark.synth`: the sample generator on its own (`oa-spark sample` calls the same code)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from oa_spark.synth.generator import DEFAULT_START, TRUTH_NAME, WeekSummary, generate
from oa_spark.weeks import WeekError, parse_date

DESCRIPTION = f"""\
Write a deterministic sample of USPTO office-action weekly zips and its ground truth.

Each week is one bdr_oa_bulkdata_weekly_YYYY-MM-DD.zip (consecutive Sundays from --start) holding one
JSON Lines member of --records documents in the weekly, Search-API and ODP serializations, with exact
duplicate lines and superseded versions on top. {TRUTH_NAME} lists, per document that must reach
office_actions, its rejection grounds, cited documents and flags, per week the counts a reader must
reconcile (records_in = records_out + duplicates + quarantined), and every injected fault with its reason
code. The same arguments always give byte-identical files.
"""

EPILOG = """\
--faults adds one bad line of each record reason code to every week, then five more weeks whose files fail
whole: zip_truncated, zip_empty, zip_multi_member, zip_bomb (a small file inflating to 1 GiB), zip_corrupt.
A realistic week is --records 15000 (about 0.7 GB of JSON).
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="oa-spark sample",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The sample options, shared by `python -m oa_spark.synth` and `oa-spark sample`."""
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the zips and truth into")
    p.add_argument("--weeks", required=True, type=int, metavar="N", help="number of good weeks (at least 1)")
    p.add_argument(
        "--start", metavar="SUNDAY", help=f"the first week, a Sunday YYYY-MM-DD (default {DEFAULT_START})"
    )
    p.add_argument("--records", type=int, default=200, metavar="N", help="documents per week (default 200)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    p.add_argument(
        "--faults",
        action="store_true",
        help="one bad line of each record reason code per week, then five weeks whose files fail whole",
    )


def _report(summary: WeekSummary) -> None:
    print(
        f"{summary.file.name}  {summary.status:<16}  records_in={summary.records_in}  "
        f"out={summary.records_out}  dup={summary.duplicates}  quarantined={summary.quarantined}  "
        f"json={summary.json_bytes / 1e6:.1f} MB  zip={summary.zip_bytes / 1e6:.1f} MB",
        file=sys.stderr,
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when written, 2 on bad usage (argparse's convention)."""
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Generate from parsed options; exit 0 when written, 2 on a bad value."""
    try:
        start = parse_date(args.start) if args.start else None
        if args.weeks < 1 or args.records < 1:
            raise ValueError("--weeks and --records must be at least 1")
        began = time.perf_counter()
        summary = generate(
            Path(args.out),
            weeks=args.weeks,
            start=start,
            records=args.records,
            seed=args.seed,
            faults=args.faults,
            progress=_report,
        )
    except (WeekError, ValueError) as exc:
        print(f"oa-spark sample: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {len(summary.weeks)} files ({summary.documents} documents, {summary.json_bytes / 1e6:.1f} MB "
        "of "
        f"JSON, {summary.zip_bytes / 1e6:.1f} MB zipped) and {summary.truth} in "
        f"{time.perf_counter() - began:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
