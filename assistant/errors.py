"""Domain errors. Each carries a message for the user (Dutch first) and an exit code."""


class CoachError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the message to show."""

    exit_code = 2


class ConfigError(CoachError):
    """A setting in the environment has a bad value."""


class CorpusError(CoachError):
    """The magazine text is missing, empty or unreadable."""


class EmbedderError(CoachError):
    """The chosen embedding model is unknown or cannot be loaded."""


class IndexError_(CoachError):
    """The index is missing, stale, damaged or cannot be written."""


class IndexMissing(IndexError_):
    """There is no usable index yet."""


class IndexLocked(IndexError_):
    """Another ingest holds the lock."""


class InputError(CoachError):
    """The user's input cannot be used."""
