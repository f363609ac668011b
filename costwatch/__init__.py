"""costwatch: keep a public Cloud Storage bucket free, working and leak-free."""

__version__ = "0.1.0"
