"""Reading one weekly zip without Spark: `zipsafe` opens and checks the archive (one member, bomb limits),
`records` splits JSON Lines, normalizes each record and drops duplicates, `weekfile` runs both for an
ingest task and reports the week's counts and quarantined lines."""
