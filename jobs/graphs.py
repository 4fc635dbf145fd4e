"""spark-submit entry point: build the citation and rejection graphs across the full history.

    spark-submit --properties-file conf/spark/cluster.conf --archives dist/oa_spark_env.tar.gz#environment \
        --conf spark.pyspark.python=./environment/bin/python \
        jobs/graphs.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark graphs` (see `oa-spark graphs --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["graphs", *sys.argv[1:]]))
