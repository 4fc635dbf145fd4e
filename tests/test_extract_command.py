"""`extract-text`: one JSON line per file, exit code 2 for an unreadable file, no Spark anywhere."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import orjson

from oa_spark.extract import EXTRACTOR_VERSION, extract_text_main

LETTER = (
    "Claims 1-3 are rejected under 35 U.S.C. 102(a)(1) as being anticipated by Beall et al. (2009/0220736 "
    "A1).\n"
    "The prior art made of record and not relied upon is considered pertinent. Ames (US 9,280,610 B2)."
)


def test_one_json_line_per_file(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text(LETTER, encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text("\ufeffNo action here.", encoding="utf-8")
    out = io.StringIO()
    assert extract_text_main([str(first), str(second)], out) == 0
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [line["file"] for line in lines] == [str(first), str(second)]
    assert lines[0]["rejections"][0] | {"ground": 1} == {
        "label": "102(a)(1)",
        "statute": "102",
        "claims": [1, 2, 3],
        "references": ["US-20090220736-A1"],
        "ground": 1,
        "npl": [],
    }
    assert [{k: c[k] for k in ("raw", "id", "kind")} for c in lines[0]["citations"]] == [
        {"raw": "2009/0220736 A1", "id": "US-20090220736-A1", "kind": "us_publication"},
        {"raw": "US 9,280,610 B2", "id": "US-9280610-B2", "kind": "us_patent"},
    ]
    assert lines[1]["rejections"] == [] and lines[1]["citations"] == []


def test_a_json_record_file_is_read_for_its_body(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_bytes(orjson.dumps({"bodyText": [LETTER], "patentApplicationNumber": "14485382"}))
    out = io.StringIO()
    assert extract_text_main([str(record)], out) == 0
    assert orjson.loads(out.getvalue())["rejections"][0]["label"] == "102(a)(1)"


def test_unreadable_file_exits_2_and_names_it(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(LETTER, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    out, err = io.StringIO(), io.StringIO()
    assert extract_text_main([str(missing), str(good), str(binary)], out, err) == 2
    assert [orjson.loads(line)["file"] for line in out.getvalue().splitlines()] == [str(good)]
    messages = err.getvalue().splitlines()
    assert len(messages) == 2
    assert str(missing) in messages[0] and str(binary) in messages[1]


def test_version_is_a_dotted_string() -> None:
    assert all(part.isdigit() for part in EXTRACTOR_VERSION.split(".")) and EXTRACTOR_VERSION.count(".") == 2


def test_extraction_imports_no_spark() -> None:
    code = (
        "import sys, oa_spark.extract, oa_spark.evaluate\n"
        "oa_spark.extract.extract('Claims 1-2 are rejected under 35 U.S.C. 101.')\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('pyspark', 'delta')], 'spark imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
