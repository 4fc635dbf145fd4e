"""The office_actions schema and the normalizer name the same columns with matching types."""

from __future__ import annotations

from datetime import date, datetime

import pytest

pytest.importorskip("pyspark", reason="the `spark` extra is not installed")

from pyspark.sql import types as T

from oa_spark.reader.records import ROW_TYPES
from oa_spark.schemas import RECORD_FIELDS

# The Spark type each Python type of a normalized row may be written as.
_SPARK_TYPES: dict[type, tuple[type[T.DataType], ...]] = {
    str: (T.StringType,),
    int: (T.IntegerType, T.LongType),
    bool: (T.BooleanType,),
    date: (T.DateType,),
    datetime: (T.TimestampType,),
    list: (T.ArrayType,),
    dict: (T.MapType,),
}


def test_record_fields_and_row_types_name_the_same_columns() -> None:
    assert sorted(f.name for f in RECORD_FIELDS) == sorted(ROW_TYPES)


@pytest.mark.parametrize("field", RECORD_FIELDS, ids=lambda f: f.name)
def test_each_record_field_holds_its_row_type(field: T.StructField) -> None:
    assert isinstance(field.dataType, _SPARK_TYPES[ROW_TYPES[field.name]])
