"""Entry point for `python -m oa_spark.synth`: runs the standalone sample generator's CLI."""

from oa_spark.synth.cli import main

raise SystemExit(main())
