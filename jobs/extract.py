"""spark-submit entry point: extract rejections, citations and action_summary from office_actions_latest.

    spark-submit --properties-file conf/spark/cluster.conf --archives dist/oa_spark_env.tar.gz#environment \
        --conf spark.pyspark.python=./environment/bin/python \
        jobs/extract.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark extract` (see `oa-spark extract --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["extract", *sys.argv[1:]]))
