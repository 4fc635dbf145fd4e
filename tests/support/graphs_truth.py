"""Graph test data: `document` truth lines (the truth.jsonl shape), the upstream rows they imply, and what
every graph table must contain, computed here in plain Python (sets, dicts, a union-find), independently of
oa_spark.stages.graphs.

A document line: week, document_id, application_number, document_code, mail_date, rejections [{label,
statute, claims, references}], citations [canonical ids], patent_number (as the record ships it), series;
optional art_unit, tech_center, examiner_id, last_modified, record_hash, publication_number (canonical id),
and `patent_key` (the cited_key a hand-written case means by a messy patent_number, so the expected mapping
never depends on parsing it). The generated part comes from `oa_spark.synth` (its truth.jsonl).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

Doc = dict[str, Any]
STATUTES = ("101", "102", "103", "112", "dp")
W = [date(2022, 1, 2) + timedelta(weeks=i) for i in range(6)]


# -- ids -----------------------------------------------------------------------------------------------------


def key_of(cited_id: str) -> str:
    parts = cited_id.split("-")
    return "-".join(parts[:2]) if len(parts) == 3 else cited_id


def kind_of(cited_id: str) -> str:
    if re.fullmatch(r"\d{8}", cited_id):
        return "us_application"
    if not cited_id.startswith("US-"):
        return "foreign"
    number = cited_id.split("-")[1]
    for prefix, kind in (("RE", "us_reissue"), ("D", "us_design"), ("PP", "us_plant")):
        if number.startswith(prefix):
            return kind
    return "us_publication" if len(number) == 11 else "us_patent"


NODE_TYPE = {
    "us_patent": "patent",
    "us_publication": "publication",
    "us_reissue": "reissue",
    "us_design": "design",
    "us_plant": "plant",
    "us_application": "application",
    "foreign": "foreign",
}


# -- upstream rows -------------------------------------------------------------------------------------------


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _modified(doc: Doc) -> datetime | None:
    value = doc.get("last_modified", datetime(2022, 1, 1))
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def office_action_row(doc: Doc) -> dict[str, Any]:
    app = doc["application_number"]
    return {
        "week": _d(doc["week"]),
        "document_id": doc["document_id"],
        "record_id": doc["document_id"] + "-r",
        "application_number": app,
        "application_series": int(app[:2]),
        "document_code": doc["document_code"],
        "mail_date": _d(doc["mail_date"]),
        "art_unit": doc.get("art_unit", "17" + app[-2:]),
        "tech_center": doc.get("tech_center", "1700" if int(app[-1]) % 2 else "2100"),
        "examiner_id": doc.get("examiner_id", "E" + app[-1]),
        "record_hash": doc.get("record_hash")
        or hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest(),
        "last_modified": _modified(doc),
        "patent_number": doc.get("patent_number"),
        # shipped as `US20180123456A1` (the generator's convention for publicationNumber)
        "publication_number": doc["publication_number"].replace("-", "")
        if doc.get("publication_number")
        else None,
        "source_file": f"bdr_oa_bulkdata_weekly_{_d(doc['week']).isoformat()}.zip",
    }


def grounds_citing(doc: Doc, key: str) -> list[dict[str, Any]]:
    return [g for g in doc["rejections"] if key in {key_of(r) for r in g["references"]}]


def citation_rows(doc: Doc) -> list[dict[str, Any]]:
    rows = []
    for cited in doc["citations"]:
        relying = grounds_citing(doc, key_of(cited))
        rows.append(
            {
                "week": _d(doc["week"]),
                "document_id": doc["document_id"],
                "application_number": doc["application_number"],
                "mail_date": _d(doc["mail_date"]),
                "cited_id": cited,
                "cited_key": key_of(cited),
                "cited_raw": cited,
                "cited_kind": kind_of(cited),
                "country": cited[:2] if "-" in cited else "US",
                "relied_upon": bool(relying),
                "statutes": sorted({g["statute"] for g in relying}),
            }
        )
    return rows


def rejection_rows(doc: Doc) -> list[dict[str, Any]]:
    return [
        {
            "week": _d(doc["week"]),
            "document_id": doc["document_id"],
            "application_number": doc["application_number"],
            "mail_date": _d(doc["mail_date"]),
            "ground": i,
            "statute": g["statute"],
            "label": g["label"],
            "claims": list(g["claims"]),
            "references": list(g["references"]),
        }
        for i, g in enumerate(doc["rejections"], start=1)
    ]


def write_weeks(lake, docs: list[Doc], weeks: Iterable[date], extract_run: bool = True) -> None:
    """Replace these weeks of office_actions, citations and rejections with the documents of those weeks and
    record an `extract` done row per week in `runs` (what the extract job leaves behind)."""
    from oa_spark.ledger import Ledger, RunRow
    from oa_spark.schemas import CITATIONS, OFFICE_ACTIONS, REJECTIONS

    weeks = sorted(set(weeks))
    mine = [d for d in docs if _d(d["week"]) in weeks]
    spark = lake.spark
    lake.replace_weeks(
        "office_actions", spark.createDataFrame([office_action_row(d) for d in mine], OFFICE_ACTIONS), weeks
    )
    cites = [r for d in mine for r in citation_rows(d)]
    lake.replace_weeks("citations", spark.createDataFrame(cites, CITATIONS), weeks)
    grounds = [r for d in mine for r in rejection_rows(d)]
    lake.replace_weeks("rejections", spark.createDataFrame(grounds, REJECTIONS), weeks)
    if extract_run:
        Ledger(lake).record(
            RunRow(run_id=f"x-{w}", job="extract", week=w, status="running").finish("done") for w in weeks
        )


# -- what the graph tables must hold -------------------------------------------------------------------------


def _rank(doc: Doc) -> tuple:
    return (_d(doc["week"]), _modified(doc) or datetime.min)


def latest(docs: list[Doc]) -> list[Doc]:
    """The newest version of each (application, document): latest week, then last_modified."""
    best: dict[tuple[str, str], Doc] = {}
    for d in docs:
        k = (d["application_number"], d["document_id"])
        if k not in best or _rank(d) > _rank(best[k]):
            best[k] = d
    return list(best.values())


def patent_key_of(doc: Doc) -> str | None:
    """The hand-written case's intended key, else a plain shipped number (`9280610`, `RE38124`)."""
    if doc.get("patent_key") or not doc.get("patent_number"):
        return doc.get("patent_key")
    match = re.fullmatch(r"(RE|D|PP)?0*(\d+)", doc["patent_number"])
    return f"US-{match[1] or ''}{match[2]}" if match else None


class Expected:
    """Every graph table as plain Python values, from the newest document versions."""

    def __init__(self, docs: list[Doc], min_series: int = 12) -> None:
        current = latest(docs)
        self.all_applications = {d["application_number"] for d in current}
        self.docs = [d for d in current if int(d["application_number"][:2]) >= min_series]
        self.applications = {d["application_number"] for d in self.docs}
        self.excluded = len(self.all_applications - self.applications)
        self.weeks = sorted({_d(d["week"]) for d in docs})

    # citation graph
    def own(self) -> dict[str, str]:
        claims: dict[str, set[str]] = defaultdict(set)
        for d in self.docs:
            for key in (patent_key_of(d), d.get("publication_number") and key_of(d["publication_number"])):
                if key:
                    claims[key].add(d["application_number"])
            claims[d["application_number"]].add(d["application_number"])
        return {k: next(iter(apps)) for k, apps in claims.items() if len(apps) == 1}

    def edges(self) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        own = self.own()
        for d in self.docs:
            for cited in d["citations"]:
                k = (d["application_number"], key_of(cited))
                e = out.setdefault(
                    k, {"kinds": set(), "dates": [], "docs": set(), "relied": set(), "statutes": set()}
                )
                e["kinds"].add(kind_of(cited))
                e["dates"].append(_d(d["mail_date"]))
                e["docs"].add(d["document_id"])
                relying = grounds_citing(d, key_of(cited))
                if relying:
                    e["relied"].add(d["document_id"])
                e["statutes"] |= {g["statute"] for g in relying}
        return {
            k: {
                "cited_kind": max(e["kinds"]),
                "cited_application": own.get(k[1]),
                "first_mail_date": min(e["dates"]),
                "last_mail_date": max(e["dates"]),
                "actions": len(e["docs"]),
                "relied_upon_actions": len(e["relied"]),
                "statutes": sorted(e["statutes"]),
            }
            for k, e in out.items()
        }

    def same_as(self) -> set[tuple[str, str]]:
        return {
            (key, e["cited_application"])
            for (_, key), e in self.edges().items()
            if e["cited_application"] and e["cited_application"] != key
        }

    def nodes(self) -> dict[str, dict[str, Any]]:
        edges = self.edges()
        first_action = {}
        for d in self.docs:
            a, m = d["application_number"], _d(d["mail_date"])
            first_action[a] = min(first_action.get(a, m), m)
        nodes: dict[str, dict[str, Any]] = {
            a: {
                "node_type": "application",
                "in_degree": 0,
                "out_degree": 0,
                "first_seen": first_action[a],
                "application_number": a,
            }
            for a in self.applications
        }
        for (app, key), e in edges.items():
            nodes[app]["out_degree"] += 1
            n = nodes.setdefault(
                key,
                {
                    "node_type": NODE_TYPE[e["cited_kind"]],
                    "in_degree": 0,
                    "out_degree": 0,
                    "first_seen": e["first_mail_date"],
                    "application_number": None,
                },
            )
            n["in_degree"] += 1
            n["first_seen"] = min(n["first_seen"], e["first_mail_date"])
            if n["node_type"] != "application":
                n["application_number"] = e["cited_application"]
            else:
                n["application_number"] = key
        components = union_find(nodes, [*edges, *self.same_as()])
        for node_id, n in nodes.items():
            n["component_id"] = components[node_id]
        return nodes

    # claim-level rejection graph
    def rejection_edges(self) -> set[tuple]:
        rows = set()
        for d in self.docs:
            for i, g in enumerate(d["rejections"], start=1):
                for claim in g["claims"] or [None]:
                    for ref in g["references"] or [None]:
                        rows.add(
                            (
                                d["application_number"],
                                d["document_id"],
                                _d(d["mail_date"]),
                                i,
                                g["statute"],
                                g["label"],
                                claim,
                                key_of(ref) if ref else None,
                            )
                        )
        return rows

    def timeline(self) -> dict[str, dict[str, Any]]:
        per_app: dict[str, list[Doc]] = defaultdict(list)
        for d in self.docs:
            per_app[d["application_number"]].append(d)
        out = {}
        for app, docs in per_app.items():
            codes = [d["document_code"] for d in docs]
            dates = [_d(d["mail_date"]) for d in docs]
            ordered = sorted(docs, key=lambda d: (_d(d["mail_date"]), d["document_id"]))
            seq = [d["document_code"] for d in ordered if d["document_code"] in ("CTNF", "CTFR")]
            keys = {patent_key_of(d) for d in docs} - {None}
            out[app] = {
                "application_series": int(app[:2]),
                "actions": len(docs),
                "first_action_date": min(dates),
                "last_action_date": max(dates),
                "non_final_actions": codes.count("CTNF"),
                "final_actions": codes.count("CTFR"),
                "restrictions": codes.count("CTRS"),
                "has_restriction": "CTRS" in codes,
                "advisory_actions": codes.count("CTAV"),
                "allowance_date": min(
                    (_d(d["mail_date"]) for d in docs if d["document_code"] == "NOA"), default=None
                ),
                "rounds": sum(1 for a, b in itertools.pairwise(seq) if a == "CTNF" and b == "CTFR"),
                "patent_key": next(iter(keys)) if len(keys) == 1 else None,
                "own_keys": sorted(
                    keys | {key_of(d["publication_number"]) for d in docs if d.get("publication_number")}
                ),
            }
        return out

    def rejection_stats(self) -> dict[tuple[str, str | None, str], dict[str, Any]]:
        groups: dict[tuple[str, str | None], list[Doc]] = defaultdict(list)
        for d in self.docs:
            row = office_action_row(d)
            for dim, value in (
                ("all", "all"),
                ("art_unit", row["art_unit"]),
                ("tech_center", row["tech_center"]),
                ("examiner_id", row["examiner_id"]),
                ("mail_year", str(row["mail_date"].year)),
            ):
                groups[(dim, value)].append(d)
        out = {}
        for (dim, value), docs in groups.items():
            with_grounds = sum(1 for d in docs if d["rejections"])
            for statute in STATUTES:
                grounds = [g for d in docs for g in d["rejections"] if g["statute"] == statute]
                having = sum(1 for d in docs if any(g["statute"] == statute for g in d["rejections"]))
                refs = [len(set(g["references"])) for g in grounds]
                out[(dim, value, statute)] = {
                    "grounds_by_references": dict(Counter(refs)),
                    "actions": len(docs),
                    "rejection_actions": with_grounds,
                    "actions_with_statute": having,
                    "share": having / len(docs),
                    "share_of_rejections": having / with_grounds if with_grounds else None,
                    "grounds": len(grounds),
                    "references_mean": sum(refs) / len(refs) if refs else None,
                    "references_max": max(refs) if refs else None,
                }
        return out


def union_find(nodes: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Component of every node, named by its smallest node id."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {n: root(n) for n in parent}


def percentile(values: list[int], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


# -- the sample generator and the scenario -----------------------------------------------------------------


def synth_docs(out_dir: Path, weeks: int, records: int, seed: int) -> list[Doc]:
    """The `document` lines of a generated sample's truth.jsonl (no faults)."""
    from oa_spark.synth import generate

    summary = generate(out_dir, weeks, records=records, seed=seed, faults=False)
    lines = [json.loads(line) for line in summary.truth.read_text().splitlines() if line.strip()]
    return [d for d in lines if d["kind"] == "document"]


def _doc(
    week: int,
    app: str,
    doc_id: str,
    code: str,
    day: int,
    citations: list[str],
    grounds: list[tuple],
    **extra: Any,
) -> Doc:
    """A hand-written document; grounds are (statute, label, claims, references)."""
    rejections = [{"statute": s, "label": lab, "claims": c, "references": r} for s, lab, c, r in grounds]
    mail = W[week] - timedelta(days=day)
    return {
        "week": W[week].isoformat(),
        "document_id": doc_id,
        "application_number": app,
        "document_code": code,
        "mail_date": mail.isoformat(),
        "rejections": rejections,
        "citations": citations,
        "series": int(app[:2]),
        "patent_number": None,
        **extra,
    }


A, B, C, D, E, F, G, H = (
    "12000001",
    "16123456",
    "13000002",
    "14000003",
    "11000004",
    "15000005",
    "17000006",
    "29000007",
)
K1, K2, K3, L = "12500001", "12500002", "12500003", "12600001"


def cases() -> dict[str, list[Doc]]:
    """Hand-written documents by step (`w0`, `w1`, `w2`, `w1_again`):
    A cites a patent that B (a co-pending application A also cites) is granted in w2, and a patent that C and
    D both claim (ambiguous); E is below series 12; F's document is revised in w2 (new grounds, one more
    citation, one no longer relied upon); K3
    links K1's and K2's separate components in w1 and vanishes when w1 is re-extracted; G goes restriction,
    two non-final → final rounds, advisory, allowance and is granted (in w2) a patent that L cites that week;
    H has no citations (an isolated node)."""
    us928, ep, jp, cn = "US-9280610-B2", "EP-1234567-A2", "JP-2015123456-A", "CN-105123456-A"
    w0 = [
        _doc(
            0,
            A,
            "SA1",
            "CTNF",
            2,
            [us928, B, ep, "US-10111111"],
            [("103", "103", [1, 2, 3], [us928, B]), ("101", "101", [4], []), ("112", "112(b)", [], [])],
        ),
        _doc(
            0,
            B,
            "SB1",
            "CTNF",
            3,
            ["US-20140018950-A1"],
            [("102", "102(a)(1)", [1], ["US-20140018950-A1"]), ("103", "103", [1], ["US-20140018950-A1"])],
        ),
        _doc(0, C, "SC1", "NOA", 1, [], [], patent_number="US 10111111 B2", patent_key="US-10111111"),
        _doc(0, D, "SD1", "NOA", 1, [], [], patent_number="10,111,111", patent_key="US-10111111"),
        _doc(0, E, "SE1", "CTNF", 4, [us928], [("103", "103", [1], [us928])]),
        _doc(
            0,
            F,
            "SF1",
            "CTNF",
            2,
            ["US-7000001", "US-7000002"],
            [("103", "103", [1, 2], ["US-7000001", "US-7000002"])],
        ),
        _doc(0, K1, "SK1", "CTNF", 1, [jp], [("102", "102(a)(1)", [1], [jp])]),
        _doc(0, K2, "SK2", "CTNF", 1, [cn], [("dp", "dp", [1, 5], [cn])]),
        _doc(0, G, "SG1", "CTRS", 5, [], []),
        _doc(0, H, "SH1", "CTNF", 0, [], [("112", "112(b)", [1], [])]),
    ]
    w1 = [
        _doc(1, K3, "SK3", "CTNF", 2, [jp, cn], [("103", "103", [2], [jp, cn])]),
        _doc(1, G, "SG2", "CTNF", 6, ["US-8111111"], [("103", "103", [1], ["US-8111111"])]),
        _doc(1, G, "SG3", "CTFR", 1, ["US-8111111"], [("103", "103", [1], ["US-8111111"])]),
        _doc(1, A, "SA2", "CTFR", 3, [us928], [("103", "103", [1], [us928])]),
    ]
    w2 = [
        _doc(
            2,
            F,
            "SF1",
            "CTNF",
            2,
            ["US-7000001", "US-7000002", "US-7000003"],
            [("102", "102(a)(2)", [1], ["US-7000002"])],
        ),
        _doc(2, B, "SB2", "NOA", 3, [], [], patent_number="9,280,610", patent_key="US-9280610"),
        _doc(2, G, "SG4", "CTNF", 6, [], [("112", "112(a)", [3], [])]),
        _doc(2, G, "SG5", "CTFR", 4, [], [("112", "112(a)", [3], [])]),
        _doc(2, G, "SG6", "CTAV", 2, [], []),
        _doc(2, G, "SG7", "NOA", 1, [], [], patent_number="US 11,222,333 B1", patent_key="US-11222333"),
        _doc(2, L, "SL1", "CTNF", 1, ["US-11222333-B1"], [("102", "102(a)(1)", [1, 2], ["US-11222333-B1"])]),
    ]
    return {
        "w0": w0,
        "w1": w1,
        "w2": w2,
        "w1_again": [d for d in w1 if d["application_number"] != K3],
    }


def steps(generated: list[Doc]) -> list[tuple[date, list[Doc]]]:
    """(week, all its documents) in the order the weeks are written: the generated sample's first three weeks
    with the hand-written cases; w1 is written again (re-extracted: K3's document gone, one generated
    document's citations and grounds dropped) before w2, so the last step only adds component links."""
    hand = cases()
    mine = {d["application_number"] for docs in hand.values() for d in docs}
    assert not mine & {d["application_number"] for d in generated}, "generated numbers collide with the cases"

    def week(i: int, key: str) -> list[Doc]:
        return [d for d in generated if d["week"] == W[i].isoformat()] + hand[key]

    again = week(1, "w1_again")
    changed = next(i for i, d in enumerate(again) if d["citations"] and int(d["series"]) >= 12)
    again[changed] = {**again[changed], "citations": [], "rejections": []}
    return [(W[0], week(0, "w0")), (W[1], week(1, "w1")), (W[1], again), (W[2], week(2, "w2"))]


def final_docs(written: list[tuple[date, list[Doc]]]) -> list[Doc]:
    """What the upstream tables hold after these steps: a week written again replaces its earlier version."""
    by_week: dict[date, list[Doc]] = {}
    for w, docs in written:
        by_week[w] = docs
    return [d for docs in by_week.values() for d in docs]
