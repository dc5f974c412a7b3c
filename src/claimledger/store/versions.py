"""What a current ledger holds, readable without the migration machinery: the names of the
schema's migrations, in order, and the format of the rows ingest derives. A read-only open
compares a ledger with these, so the read commands never load sqlite-utils (and the numpy it
imports). tests/test_reliability.py checks ``MIGRATIONS`` against ``schema.migrations``.
"""

from __future__ import annotations

MIGRATION_SET = "claimledger"
MIGRATIONS = (
    "m001_initial",
    "m002_attribution_index_and_speaker_view",
    "m003_story_summaries",
    "m004_story_terms_by_weight",
    "m005_disagreements_split_unresolved_dates",
    "m006_story_events",
    "m007_whole_names_in_terms",
    "m008_story_terms_by_name_words",
    "m009_disagreements_compare_value_sets",
    "m010_mentions_scene_terms",
    "m011_article_protagonists",
    "m012_variants_measure",
    "m013_mentions_status",
    "m014_runs",
    "m015_variants_slot",
    "m016_entities_surname",
    "m017_variants_mention_index",
)

# The format of the rows ingest derives from article texts. Bump it when a change to extraction,
# grouping or alignment makes rows written before differ in meaning from rows written now: a
# ledger whose last run wrote an older format is rebuilt before it is read or written.
DERIVED_FORMAT = 7  # 2: variants carry the act they belong to (m015); 3: people by surname (m016);
# 4: middle names, pronoun agreement, documents that speak, markup that is not text (0.4);
# 5: speakers, quotation windows and elisions, "will" slots, nearest months (0.5);
# 6: the same-fact model reads where each unit stands in its article, the days and months it
# gives and who its quotations are attributed to (model version 2);
# 7: a possessor is not the speaker ("Reid's rep said"); quoted words under a verb that is not
# one of speech or judgement are nobody's ("will star in 'Moon'"); a quotation that runs on into
# an unmarked paragraph closes there (0.6.1)
