"""What the steps stand on: targets, drivers and the world, behind a synchronous API (see DESIGN.md)."""
