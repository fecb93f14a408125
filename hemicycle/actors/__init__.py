"""Local actors (issue 5): the directory of organisations and people, their relations,
interactions and follow-ups, imports (RNA, CSV, XLSX) with deduplication and offline
geocoding, segments, the map by canton and commune, GDPR.

- models.py: Actor (organisations and people, proxies Organisation / Person), Relation,
  Interaction, ConsentRecord, Theme, Tag, Segment, ImportBatch, DuplicateCandidate, Merge
- pure modules: identifiers.py (RNA, SIREN, SIRET), rna.py (streamed readers),
  matching.py (duplicate keys, fuzzy names), exports.py (CSV, XLSX, vCard)
- services/: directory, interactions, imports, dedupe, privacy (noun_verb functions)
- queries.py: the filters shared by the list, the map, segments, exports, audiences
- commands: import_actors (also import-actors), purge_actors (retention)
"""
