"""The graphs entry point: argument checks, and a failed build recorded in `runs`."""

from __future__ import annotations

import dataclasses

import pytest
from support.graphs_truth import W, cases, write_weeks

from oa_spark import config


@pytest.mark.parametrize(
    ("kwargs", "named"), [({"mode": "weekly"}, "mode"), ({"export_format": "xml"}, "format")]
)
def test_bad_arguments_raise_a_config_error_naming_them(kwargs: dict, named: str) -> None:
    from oa_spark.stages.graphs import main

    with pytest.raises(config.ConfigError, match=named):
        main(config.load(), **kwargs)


@pytest.mark.spark
def test_a_build_that_does_not_converge_fails_with_a_runs_row_saying_why(spark, lake, lake_cfg) -> None:
    from pyspark.sql import functions as F

    from oa_spark.stages.graphs import main

    cfg = dataclasses.replace(lake_cfg, graphs=dataclasses.replace(lake_cfg.graphs, max_iterations=0))
    docs = cases()["w0"]
    write_weeks(lake, docs, [W[0]])
    assert main(cfg, spark=spark) == 1
    runs = lake.read("runs").where(F.col("job") == "graphs").collect()
    assert sorted(r["status"] for r in runs) == ["failed", "running"]
    failed = next(r for r in runs if r["status"] == "failed")
    assert "ComponentsNotConverged" in failed["message"] and "graphs.max_iterations" in failed["message"]
    assert not lake.exists("graph_summary")
