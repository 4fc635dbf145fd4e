"""Cleaning an office action's body text before any parsing.

`body_text` is stored exactly as shipped (README, the tables), so extraction works on a cleaned copy. The
artifacts below (docs/data-format.md §4) split words and numbers apart or glue them together; removing them
first lets every later pattern stay simple.
Offsets are not kept: nothing downstream points back into the raw text.
"""

from __future__ import annotations

import re

# Page markers are spliced anywhere, even inside a number (`US number='12'2014/0018950`): remove, don't space.
_PAGE_MARKER = re.compile(r"""number\s?=\s?['"]\d{1,4}['"]""")
# DOCX image stubs: `PNG media_image1.png 172 172 media_image1.png Greyscale` (parts may be missing).
_IMAGE_STUB = re.compile(
    r"(?:\b(?:PNG|JPE?G|GIF|TIFF?|BMP|EMF|WMF)\s+)?media_image\d+\.[A-Za-z]{3,4}"
    r"(?:\s+\d{1,5}){0,2}(?:\s+media_image\d+\.[A-Za-z]{3,4})?"
    r"(?:\s+(?:Gr[ae]yscale|Colou?r|Monochrome|Black and [Ww]hite))?"
)
_ALT_CONTENT = re.compile(r"\[AltContent:[^\]]{0,300}\]")
# OC page headers name the application itself; they are not citations and they interrupt sentences.
_PAGE_HEADER = re.compile(
    r"Application/Control (?:Number|No\.?):?\s*\d{2}/\d{3},?\d{3}"
    r"(?:\s+Page\s+\d{1,3})?(?:\s+Art Unit:?\s*\d{4})?"
)
_AFTER_NEWLINE = re.compile(r"\n\s+")
_SPACE_RUN = re.compile("  +")

# Single characters mapped to ASCII so that patterns need one spelling: quotes, dashes, odd spaces.
_CHAR_MAP = {
    "\u00a0": " ",  # NBSP
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",  # zero-width space
    "\u00ad": "",  # soft hyphen
    "\ufeff": "",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",  # en dash: claim ranges `1–5`
    "\u2014": "-",  # em dash
    "\u2212": "-",
}


def clean_text(raw: str) -> str:
    """Return a cleaned copy: artifacts removed, quotes/dashes/spaces made ASCII, whitespace collapsed.

    Newlines are kept (one per paragraph break) because they end headings that carry no period.
    Each step runs only when a cheap substring test says it can apply: most letters need few of them.
    """
    text = raw
    if "number" in text:
        text = _PAGE_MARKER.sub("", text)
    if "_x000" in text:
        text = text.replace("_x000d_", "\n").replace("_x000D_", "\n")
    if "media_image" in text:
        text = _IMAGE_STUB.sub(" ", text)
    if "[AltContent" in text:
        text = _ALT_CONTENT.sub(" ", text)
    if "Control N" in text:
        text = _PAGE_HEADER.sub(" ", text)
    if not text.isascii():
        # A letter holds a few of these characters; testing each and replacing those present is much faster
        # than a regex (or str.translate) visiting every character.
        for char, replacement in _CHAR_MAP.items():
            if char in text:
                text = text.replace(char, replacement)
    for control in "\t\f\v":
        if control in text:
            text = text.replace(control, " ")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)  # a literal-prefix pattern: only double spaces are visited
    if "\n" in text:
        text = text.replace(" \n", "\n")  # spaces are single by now
        text = _AFTER_NEWLINE.sub("\n", text)
    return text.strip()


def lower_same_length(text: str) -> str:
    """`text` in lower case, character for character, so that offsets found in it hold in `text`.

    str.lower() may lengthen a few characters ("İ" → "i̇"); those are left as they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(char if len(lowered := char.lower()) != 1 else lowered for char in text)
