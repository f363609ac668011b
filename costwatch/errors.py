"""Errors that end a run with exit code 2 and a one-line message."""


class CostwatchError(Exception):
    """Something the user asked for cannot be done; the message says what to do."""


class ConfigError(CostwatchError):
    """The configuration file or a flag is malformed."""
