"""The engine: wire sources to rules and build the report. No I/O of its own but the sources'."""
