"""Free-form patent and publication numbers as the kind-less `cited_key` the graphs join on (Spark columns).

The extractor writes canonical ids; office_actions carries the application's own numbers as typed, so both
are reduced to one key shape here before they can meet in a join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import Column


_PATENT = r"^(RE|D|PP|H|T)?0*([1-9][0-9]{0,7})([A-Z][0-9]?)?$"

_PUBLICATION = r"^([12][0-9]{3})([0-9]{7})([A-Z][0-9]?)?$"


def _compact(col: Column) -> Column:
    """Upper case, only letters and digits, a leading `US` removed: `US 9,280,610 B2` → `9280610B2`."""
    from pyspark.sql import functions as F

    return F.regexp_replace(F.regexp_replace(F.upper(col), "[^A-Z0-9]", ""), "^US", "")


def patent_key(col: Column) -> Column:
    """A free-form US patent number as a cited_key (`US-9280610`, `US-RE38124`, `US-D456789`); null when it
    does not read as one. Leading zeros and a kind code are dropped; nothing else is "fixed"."""
    from pyspark.sql import functions as F

    s = _compact(col)
    return F.when(
        s.rlike(_PATENT),
        F.concat(F.lit("US-"), F.regexp_extract(s, _PATENT, 1), F.regexp_extract(s, _PATENT, 2)),
    )


def publication_key(col: Column) -> Column:
    """A US pre-grant publication number as a cited_key (`US-20140018950`); null unless year + 7 digits."""
    from pyspark.sql import functions as F

    s = _compact(col)
    return F.when(
        s.rlike(_PUBLICATION),
        F.concat(F.lit("US-"), F.regexp_extract(s, _PUBLICATION, 1), F.regexp_extract(s, _PUBLICATION, 2)),
    )


def without_kind(col: Column) -> Column:
    """A canonical id without its kind code (`US-9280610-B2` → `US-9280610`); application numbers as is."""
    from pyspark.sql import functions as F

    return F.when(
        col.rlike("^[A-Z]{2}-[^-]+-[^-]+$"), F.regexp_extract(col, "^([A-Z]{2}-[^-]+)-", 1)
    ).otherwise(col)
