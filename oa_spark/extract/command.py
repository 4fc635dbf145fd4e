"""`oa-spark extract-text FILE...`: extraction without Spark, one JSON line per file (design §5)."""

from __future__ import annotations

import sys
from typing import IO, Any

import orjson

from .pipeline import extract


def _body_of(raw: bytes) -> str:
    """The letter in a file: its text, or the `bodyText`/`oaText` of a JSON record written to the file."""
    text = raw.decode("utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            record = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            return text
        if isinstance(record, dict):
            for key in ("bodyText", "oaText", "body_text"):
                value = record.get(key)
                if isinstance(value, list) and len(value) == 1:
                    value = value[0]  # Search-API form: one-element arrays
                if isinstance(value, str):
                    return value
    return text


def extract_text_main(paths: list[str], out: IO[str], err: IO[str] | None = None) -> int:
    """Print one JSON object per readable file to `out`; return 0, or 2 when a file could not be read
    (each such file is named on stderr and the others are still processed)."""
    errors = err if err is not None else sys.stderr
    status = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                body = _body_of(handle.read())
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"extract-text: cannot read {path}: {reason}", file=errors)
            status = 2
            continue
        result = extract(body)
        line: dict[str, Any] = {
            "file": path,
            "rejections": [
                {
                    "label": r["label"],
                    "statute": r["statute"],
                    "claims": r["claims"],
                    "references": r["references"],
                    "ground": r["ground"],
                    "npl": r["npl"],
                }
                for r in result.rejections
            ],
            "citations": [
                {
                    "raw": c["raw"],
                    "id": c["id"],
                    "kind": c["kind"],
                    "relied_upon": c["relied_upon"],
                    "statutes": c["statutes"],
                }
                for c in result.citations
            ],
            "summary": result.summary,
        }
        out.write(orjson.dumps(line).decode() + "\n")
    return status
