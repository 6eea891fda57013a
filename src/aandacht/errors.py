"""User-facing errors.

Every problem an analyst can fix (a bad config key, a broken input file, a missing
indicator) is raised as an :class:`AandachtError` whose message is one line naming the
file, row or key and what is allowed. The CLI prints that line and exits with code 2.
The same holds for the failures a user's files or machine cause that no check of ours
caught first (:func:`expected_failures`: a file that cannot be read, a full or read-only
disk, a reader's parser error, memory, nesting); :func:`describe_failure` says in one line
what failed. Any other exception is a bug and shows a traceback.
"""

import re
import stat
from pathlib import Path


class AandachtError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


class ConfigError(AandachtError):
    """The YAML config is invalid (unknown key, wrong type, broken hierarchy)."""


class DataError(AandachtError):
    """An input data file is unreadable or inconsistent."""


class OutputError(AandachtError):
    """Output cannot be written without losing earlier results."""


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def printable(value: object) -> str:
    """Text from a user's file or config, safe to print to a terminal: control characters (an
    escape sequence in a wijk name would otherwise drive the terminal) replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", str(value))


def require_file(path, what: str = "file", error: type[AandachtError] = DataError, hint: str = "") -> None:
    """Raise ``error`` unless ``path`` is a regular file: "<path>: <what> not found", "... (it is a
    folder)", or "<path>: is not a regular file (a device, pipe or socket)", which a reader would
    otherwise wait on or read without end (``/dev/zero``, a named pipe); a path the system cannot
    look at says why ("cannot be read (Permission denied)"). ``hint`` is added in brackets."""
    path = Path(path)
    extra = f" ({hint})" if hint else ""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: {what} not found{extra}") from None
    except OSError as failure:  # a folder on the way that may not be entered, a name too long
        raise error(f"{path}: cannot be read ({failure.strerror})") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: {what} not found (it is a folder){extra}")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: is not a regular file (a device, pipe or socket); give a {what} on disk")


# Failures that a user's files or machine cause rather than a bug, by the module that raises
# them (looked up only when that module is loaded: an error class of a module that was never
# imported cannot have been raised), with what failed in words.
FAILURES_BY_MODULE = {
    "pandas.errors": ("a table could not be read", ("ParserError", "EmptyDataError")),
    "python_calamine": ("a spreadsheet could not be read", ("CalamineError",)),
    "openpyxl.utils.exceptions": ("a spreadsheet could not be read or written", ("InvalidFileException", "IllegalCharacterError")),
    "xlsxwriter.exceptions": ("a spreadsheet could not be written", ("FileCreateError",)),
    "zipfile": ("a spreadsheet (a zip archive inside) could not be read", ("BadZipFile",)),
    "xml.etree.ElementTree": ("an XML part of a file could not be read", ("ParseError",)),
    "json": ("a JSON file could not be read", ("JSONDecodeError",)),
    "yaml": ("a YAML file could not be read", ("YAMLError",)),
    "pyogrio.errors": ("a geometry file could not be read",
                       ("DataSourceError", "DataLayerError", "FieldError", "GeometryError", "CRSError", "FeatureError")),
    "sqlite3": ("a GeoPackage (SQLite) could not be read or written", ("OperationalError", "DatabaseError")),
    "shapely.errors": ("a geometry could not be processed", ("ShapelyError",)),
    "pulp": ("the solver of the Plus-IKC choice failed", ("PulpError",)),
}


def _loaded_failures() -> list[tuple[str, type[BaseException]]]:
    """(what failed, error class) for the classes of :data:`FAILURES_BY_MODULE` whose module is loaded."""
    import sys

    found = []
    for module, (what, names) in FAILURES_BY_MODULE.items():
        loaded = sys.modules.get(module)
        found += [(what, getattr(loaded, name)) for name in names if loaded is not None and hasattr(loaded, name)]
    return found


def expected_failures() -> tuple[type[BaseException], ...]:
    """Every failure class that is not a bug: :class:`AandachtError`, ``OSError`` and its children
    (a file that cannot be read, a read-only or full disk), ``RecursionError``, ``MemoryError``,
    ``UnicodeError`` and the parser and engine errors of the readers (:data:`FAILURES_BY_MODULE`)."""
    return (AandachtError, OSError, RecursionError, MemoryError, UnicodeError, *(kind for _, kind in _loaded_failures()))


def describe_failure(error: BaseException) -> str:
    """One line saying what failed: the message of an :class:`AandachtError`; for an ``OSError``
    the file(s) and the system's reason; for the others what failed, the message and the kind."""
    import errno

    if isinstance(error, AandachtError):
        text = str(error)
    elif isinstance(error, OSError):
        reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error) or type(error).__name__)
        files = [str(f) for f in (error.filename, error.filename2) if f is not None]
        text = f"{' -> '.join(files)}: {reason}" if files else f"{reason} ({type(error).__name__})"
    elif isinstance(error, RecursionError):
        text = "an input is nested too deeply to be processed (RecursionError)"
    elif isinstance(error, MemoryError):
        text = "out of memory: an input is too large for this computer (MemoryError)"
    else:
        what = next((what for what, kind in _loaded_failures() if isinstance(error, kind)),
                    "a file could not be decoded" if isinstance(error, UnicodeError) else "the command failed")
        text = f"{what}: {str(error).strip() or 'no further detail'} ({type(error).__name__})"
    return printable(" ".join(text.split()))
