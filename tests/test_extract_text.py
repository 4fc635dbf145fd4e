"""Cleaning the body text: artifacts out, ASCII quotes/dashes/spaces, whitespace collapsed, words joined."""

from __future__ import annotations

import pytest

from oa_spark.extract import clean_text
from oa_spark.extract.text import lower_same_length


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("US number='12'2014/0018950 A1", "US 2014/0018950 A1"),
        ("rejecnumber='4'ted under", "rejected under"),
        ("claims 1-number='3'5", "claims 1-5"),
        ("line one_x000d_\nline two", "line one\nline two"),
        ("see PNG media_image1.png 172 172 media_image1.png Greyscale below", "see below"),
        ("a [AltContent: rect] b", "a b"),
        ("Claims\u00a01\u20135 and 7\u20149", "Claims 1-5 and 7-9"),
        ("\u201cquoted\u201d and \u2018single\u2019", "\"quoted\" and 'single'"),
        ("AIA  .  Next", "AIA . Next"),  # a space before a stop is harmless to every pattern: left
        ("a  \t  b\r\nc\rd", "a b\nc\nd"),
        ("para one.\n\n   \n  para two", "para one.\npara two"),
        ("/JOHN DOE/" + " " * 500 + "Examiner", "/JOHN DOE/ Examiner"),
        ("Application/Control Number: 15/485,382 Page 2 Art Unit: 2128\nText", "Text"),
        ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_keeps_other_characters() -> None:
    assert clean_text("35 U.S.C. § 103, 5 µm, Müller") == "35 U.S.C. § 103, 5 µm, Müller"


def test_lower_same_length_keeps_offsets() -> None:
    text = "İstanbul CLAIMS Rejected"
    low = lower_same_length(text)
    assert len(low) == len(text)
    assert low.endswith("claims rejected")
