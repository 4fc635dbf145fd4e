"""The pipeline's stages, in the order data flows through them.

`staging` copies each week's zip from its source into the staging area (verified, resumable);
`ingest` explodes the staged zips into `office_actions` and `quarantine`; `extract` reads the letters and
writes `rejections`, `citations` and `action_summary`; `graphs` builds the citation and rejection graphs
across the whole history; `pipeline` runs them all over a range of weeks (`oa-spark run`). Each has a
`main(cfg, …) -> int` that the CLI, `jobs/` and the notebooks call.
"""
