"""spark-submit entry point: copy weekly zips from the configured source into the staging area.

    spark-submit --properties-file conf/spark/cluster.conf --archives dist/oa_spark_env.tar.gz#environment \
        --conf spark.pyspark.python=./environment/bin/python \
        jobs/stage.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark stage` (see `oa-spark stage --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["stage", *sys.argv[1:]]))
