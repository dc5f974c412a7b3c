"""Records to placements: stories, alignment of claims across outlets, events, same-fact scoring.

Storage is reached only through Protocols."""
