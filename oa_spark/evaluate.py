"""Precision / recall of extraction against ground truth (truth.jsonl `document` objects).

Pure metrics: truth and predictions are dicts shaped like a truth.jsonl `document` (docs/contracts.md):
`rejections` of {label, statute, claims, references}, `citations` of canonical ids. Every comparison is
between *sets of tuples*, so a ground stated twice counts once, and ids are compared without their kind code
(`US-9280610-B2` = `US-9280610`): the kind is the part of an id a text most often leaves out.

`main` (the `oa-spark eval` command) is the only part that reads files: it re-extracts the zips that lie
beside truth.jsonl with `oa_spark.extract`, no Spark.

Scope: only documents of the truth are scored. A truth document with no prediction counts every truth tuple
as missed; predictions for documents the truth does not know are ignored (they cannot be judged).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from oa_spark.extract.statutes import STATUTES

if TYPE_CHECKING:
    from oa_spark.tables import Lake

LEVELS = ("statute", "label", "claim", "reference", "citation")
_LEVEL_TUPLES = {
    "statute": "(document, statute)",
    "label": "(document, label)",
    "claim": "(document, statute, claim)",
    "reference": "(document, statute, reference)",
    "citation": "(document, cited id)",
}


@dataclass(frozen=True)
class Score:
    """Counts of one comparison; the ratios are None when undefined (nothing predicted / nothing true)."""

    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        """Number of truth tuples."""
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def score(truth: set[tuple[Any, ...]], predicted: set[tuple[Any, ...]]) -> Score:
    """Micro counts of two sets of tuples."""
    tp = len(truth & predicted)
    return Score(tp, len(predicted) - tp, len(truth) - tp)


@dataclass
class Evaluation:
    """Micro scores per level (`LEVELS`), and per statute for the statute, claim and reference levels."""

    documents: int
    levels: dict[str, Score] = field(default_factory=dict)
    per_statute: dict[str, dict[str, Score]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "levels": {name: s.as_dict() for name, s in self.levels.items()},
            "per_statute": {
                statute: {name: s.as_dict() for name, s in scores.items()}
                for statute, scores in self.per_statute.items()
            },
        }


def strip_kind(doc_id: str) -> str:
    """`US-9280610-B2` → `US-9280610`; ids without a kind (and application numbers) are unchanged."""
    parts = doc_id.split("-")
    return "-".join(parts[:2]) if len(parts) == 3 else doc_id


def _citation_ids(citations: Iterable[Any]) -> set[str]:
    """Kind-less ids of a citations list: plain ids, or dicts with an `id` (None for NPL: skipped)."""
    ids = set()
    for citation in citations or ():
        doc_id = citation.get("id") if isinstance(citation, Mapping) else citation
        if doc_id:
            ids.add(strip_kind(str(doc_id)))
    return ids


@dataclass
class _Tuples:
    statute: set[tuple[Any, ...]] = field(default_factory=set)
    label: set[tuple[Any, ...]] = field(default_factory=set)
    claim: set[tuple[Any, ...]] = field(default_factory=set)
    reference: set[tuple[Any, ...]] = field(default_factory=set)
    citation: set[tuple[Any, ...]] = field(default_factory=set)

    def add(self, document_id: str, doc: Mapping[str, Any]) -> None:
        for ground in doc.get("rejections") or ():
            statute = str(ground.get("statute"))
            self.statute.add((document_id, statute))
            self.label.add((document_id, str(ground.get("label"))))
            for claim in ground.get("claims") or ():
                self.claim.add((document_id, statute, int(claim)))
            for reference in ground.get("references") or ():
                if reference:
                    self.reference.add((document_id, statute, strip_kind(str(reference))))
        for doc_id in _citation_ids(doc.get("citations") or ()):
            self.citation.add((document_id, doc_id))


def _by_document(
    predictions: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    if isinstance(predictions, Mapping):
        return dict(predictions)
    return {str(p["document_id"]): p for p in predictions}


def evaluate(
    truth: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
) -> Evaluation:
    """Score predictions (a mapping document_id → prediction, or dicts with `document_id`) against truth."""
    predicted_by_id = _by_document(predictions)
    true, predicted = _Tuples(), _Tuples()
    seen: set[str] = set()
    for document in truth:
        document_id = str(document["document_id"])
        if document_id in seen:
            continue  # a document listed twice in the truth is still one document
        seen.add(document_id)
        true.add(document_id, document)
        if document_id in predicted_by_id:
            predicted.add(document_id, predicted_by_id[document_id])
    result = Evaluation(documents=len(seen))
    for level in LEVELS:
        result.levels[level] = score(getattr(true, level), getattr(predicted, level))
    statutes = sorted({t[1] for t in true.statute | predicted.statute}, key=_statute_order)
    for statute in statutes:
        result.per_statute[statute] = {
            level: score(_only(getattr(true, level), statute), _only(getattr(predicted, level), statute))
            for level in ("statute", "claim", "reference")
        }
    return result


def _only(tuples: set[tuple[Any, ...]], statute: str) -> set[tuple[Any, ...]]:
    return {t for t in tuples if t[1] == statute}


def _statute_order(statute: str) -> tuple[int, str]:
    return (STATUTES.index(statute) if statute in STATUTES else len(STATUTES), statute)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render(evaluation: Evaluation) -> str:
    """A plain-text table: one row per level, then one row per statute and level."""
    header = (
        f"{'level':<34} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8} {'tp':>7} {'fp':>7} {'fn':>7}"
    )
    lines = [f"documents: {evaluation.documents}", header, "-" * len(header)]

    def row(name: str, s: Score) -> str:
        return (
            f"{name:<34} {_ratio(s.precision):>9} {_ratio(s.recall):>9} {_ratio(s.f1):>9} "
            f"{s.support:>8} {s.tp:>7} {s.fp:>7} {s.fn:>7}"
        )

    for level, s in evaluation.levels.items():
        lines.append(row(_LEVEL_TUPLES[level], s))
    if evaluation.per_statute:
        lines.append("")
        lines.append("per statute")
        lines.append(header)
        lines.append("-" * len(header))
        for statute, scores in evaluation.per_statute.items():
            for level, s in scores.items():
                lines.append(row(f"{statute} {level}", s))
    return "\n".join(lines)


def read_truth(path: Path) -> list[dict[str, Any]]:
    """The `document` objects of a truth.jsonl file."""
    documents = []
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                item = orjson.loads(line)
                if isinstance(item, dict) and item.get("kind") == "document":
                    documents.append(item)
    return documents


def _newer(row: Mapping[str, Any], kept: Mapping[str, Any] | None) -> bool:
    """contracts.md: the latest last_modified wins (None is oldest); ties go to the largest record_hash."""
    if kept is None:
        return True
    mine, theirs = row.get("last_modified"), kept.get("last_modified")
    if mine != theirs:
        return theirs is None or (mine is not None and mine > theirs)
    return str(row.get("record_hash") or "") > str(kept.get("record_hash") or "")


def predictions_from_zips(zip_paths: Iterable[Path], wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Extract every wanted document found in the weekly zips (one version per document, as ingest keeps)."""
    from oa_spark.extract import extract
    from oa_spark.reader import records
    from oa_spark.reader.zipsafe import WeekFileError, WeekZip

    kept: dict[str, dict[str, Any]] = {}
    for path in zip_paths:
        try:
            with WeekZip(path) as week:
                for line_number, raw in records.iter_records(week.chunks()):
                    if isinstance(raw, records.Quarantine):
                        continue
                    row = records.normalize(raw, line_number)
                    if isinstance(row, records.Quarantine) or row["document_id"] not in wanted:
                        continue
                    if not _newer(row, kept.get(row["document_id"])):
                        continue
                    result = extract(row["body_text"] or "")
                    kept[row["document_id"]] = {
                        "last_modified": row.get("last_modified"),
                        "record_hash": row.get("record_hash"),
                        "rejections": result.rejections,
                        "citations": [c["id"] for c in result.citations if c["id"]],
                    }
        except (OSError, WeekFileError) as exc:
            print(f"eval: skipping {path}: {exc}", file=sys.stderr)
    return kept


def predictions_from_lake(lake: Lake, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Predictions as the pipeline stored them: rejections and citations of each document's newest version."""
    from pyspark.sql import functions as F

    from oa_spark.latest import only_latest

    grounds = only_latest(lake, lake.read("rejections")).where(F.col("document_id").isin(sorted(wanted)))
    cites = only_latest(lake, lake.read("citations")).where(F.col("document_id").isin(sorted(wanted)))
    predicted: dict[str, dict[str, Any]] = {}
    for r in grounds.orderBy("document_id", "ground").collect():
        doc = predicted.setdefault(r["document_id"], {"rejections": [], "citations": []})
        doc["rejections"].append(
            {
                "label": r["label"],
                "statute": r["statute"],
                "claims": r["claims"],
                "references": r["references"],
            }
        )
    for r in cites.where(F.col("cited_id").isNotNull()).collect():
        predicted.setdefault(r["document_id"], {"rejections": [], "citations": []})["citations"].append(
            r["cited_id"]
        )
    return predicted


def documents_in_lake(lake: Lake, wanted: set[str]) -> int:
    """How many of the documents are in `office_actions` (a truth of other input scores 0 on every level,
    which says nothing about the extractor)."""
    from pyspark.sql import functions as F

    if not lake.exists("office_actions"):
        return 0
    found = lake.read("office_actions").where(F.col("document_id").isin(sorted(wanted)))
    return int(found.select("document_id").distinct().count())


def main(cfg: Any, truth_path: Path, use_lake: bool = False) -> int:
    """`oa-spark eval --truth FILE`: re-extract the zips the truth names (beside it), or with `use_lake`
    score the lake's tables, and print the table."""
    try:
        truth = read_truth(truth_path)
    except (OSError, orjson.JSONDecodeError) as exc:
        print(f"eval: cannot read the truth file {truth_path}: {exc}", file=sys.stderr)
        return 2
    wanted = {str(d["document_id"]) for d in truth}
    if use_lake:
        from oa_spark.session import get_spark
        from oa_spark.tables import Lake

        lake = Lake(get_spark(cfg), cfg.lake)
        if wanted and not documents_in_lake(lake, wanted):
            print(
                f"eval: none of the truth's {len(wanted)} documents is in the lake at {cfg.lake.path}: the"
                " truth is of other input. Generate it as the lake's input was: `oa-spark sample` with the"
                " same --weeks, --records, --seed and --start (the [sample] section of the run's config)",
                file=sys.stderr,
            )
            return 2
        predictions = predictions_from_lake(lake, wanted)
    else:
        files = sorted({str(d["file"]) for d in truth if d.get("file")})
        predictions = predictions_from_zips([truth_path.parent / Path(name).name for name in files], wanted)
    print(render(evaluate(truth, predictions)))
    return 0
