"""spark-submit entry point: stage -> ingest -> extract -> graphs over a range of weeks.

    spark-submit --properties-file conf/spark/cluster.conf --py-files dist/oa_spark.zip \
        jobs/run.py --conf conf/cluster.toml [options]

Takes the same options as `oa-spark run` (see `oa-spark run --help`); all logic lives in the library.
"""

import sys

from oa_spark.cli import main

raise SystemExit(main(["run", *sys.argv[1:]]))
