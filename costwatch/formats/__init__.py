"""Formats turn a report into text; they never print."""
