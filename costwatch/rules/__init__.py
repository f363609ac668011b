"""Rules: pure judgements of snapshots. Every rule has a permanent ID and documents itself."""
