"""Pure-Python extraction from office-action text (no Spark import): grounds, citations, summary.

The Spark `extract` job and the `extract-text` command both call `extract`; `EXTRACTOR_VERSION` goes into
every `rejections` and `citations` row so that a change of the rules can be told apart in the tables.
"""

from __future__ import annotations

from .claims import expand_claims
from .command import extract_text_main
from .identifiers import Document, find_documents, strip_kind
from .pipeline import Extraction, extract
from .statutes import label_for
from .text import clean_text

EXTRACTOR_VERSION = "1.0.0"

__all__ = [
    "EXTRACTOR_VERSION",
    "Document",
    "Extraction",
    "clean_text",
    "expand_claims",
    "extract",
    "extract_text_main",
    "find_documents",
    "label_for",
    "strip_kind",
]
