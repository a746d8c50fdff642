"""Processing core of the tracker: turns upstream SSI messages into market state, no I/O."""
