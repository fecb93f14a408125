"""The council module's workflows, one file per noun: structure (bodies, sittings,
reports, assignment), ingestion, splits (the review of a bundle's split), watch (rules,
inbox, digests), scdl (import and export)."""
