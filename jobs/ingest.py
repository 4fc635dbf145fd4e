"""spark-submit entry point: explode staged zips into office_actions and quarantine.

    spark-submit --properties-file conf/spark/cluster.conf --archives dist/oa_spark_env.tar.gz#environment \
        --conf spark.pyspark.python=./environment/bin/python \
        jobs/ingest.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark ingest` (see `oa-spark ingest --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["ingest", *sys.argv[1:]]))
