"""Text to records: reading, layout, the spaCy pipeline, entities, dates, quotes, claims. Pure: no storage."""
