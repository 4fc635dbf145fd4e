"""spark-submit entry point: stage -> ingest -> extract -> graphs over a range of weeks.

    spark-submit --properties-file conf/spark/cluster.conf --archives dist/oa_spark_env.tar.gz#environment \
        --conf spark.pyspark.python=./environment/bin/python \
        jobs/run.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark run` (see `oa-spark run --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["run", *sys.argv[1:]]))
