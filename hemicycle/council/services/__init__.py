"""The council module's workflows, one file per noun: structure (bodies, sittings,
reports), followup (assignment, comments and mentions), deadlines (filing deadlines and
their reminders; ``writing_deadline`` for the writings app), stats (the group's votes per
year and policy area), ingestion, splits (the review of a bundle's split), watch (rules,
inbox, digests), scdl (import and export)."""
