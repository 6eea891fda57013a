"""User-facing errors.

Every problem an analyst can fix (a bad config key, a broken input file, a missing
indicator) is raised as an :class:`AandachtError` whose message is one line naming the
file, row or key and what is allowed. The CLI prints that line and exits with code 2;
any other exception is a bug and shows a traceback.
"""


class AandachtError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


class ConfigError(AandachtError):
    """The YAML config is invalid (unknown key, wrong type, broken hierarchy)."""


class DataError(AandachtError):
    """An input data file is unreadable or inconsistent."""


class OutputError(AandachtError):
    """Output cannot be written without losing earlier results."""
