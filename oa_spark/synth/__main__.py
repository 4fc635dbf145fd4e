from oa_spark.synth.cli import main

raise SystemExit(main())
