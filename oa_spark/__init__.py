"""oa-spark: the USPTO office-action weekly zips as Delta tables, with rejection and citation graphs."""

__version__ = "0.1.0"
