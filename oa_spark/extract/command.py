"""`oa-spark extract-text FILE...`: extraction without Spark, one JSON line per file (see the README)."""

from __future__ import annotations

import sys
from typing import IO, Any

import orjson

from .pipeline import extract


def _unwrap(value: Any) -> Any:
    """Search-API form wraps values in one-element arrays."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _letter_of(raw: bytes) -> tuple[str, str | None]:
    """The letter in a file and its document code: the text itself, or the `bodyText`/`oaText` and
    `legacyDocumentCodeIdentifier`/`documentCode` of a JSON record written to the file."""
    text = raw.decode("utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            record = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            return text, None
        if isinstance(record, dict):
            code = _unwrap(record.get("legacyDocumentCodeIdentifier") or record.get("documentCode"))
            for key in ("bodyText", "oaText", "body_text"):
                value = _unwrap(record.get(key))
                if isinstance(value, str):
                    return value, code if isinstance(code, str) else None
    return text, None


def extract_text_main(paths: list[str], out: IO[str], err: IO[str] | None = None) -> int:
    """Print one JSON object per readable file to `out`; return 0, or 2 when a file could not be read
    (each such file is named on stderr and the others are still processed)."""
    errors = err if err is not None else sys.stderr
    status = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                body, document_code = _letter_of(handle.read())
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"extract-text: cannot read {path}: {reason}", file=errors)
            status = 2
            continue
        result = extract(body, document_code)
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
