"""Reading a config file: YAML to validated models, errors naming the file and key path,
and the paths inside a config (resolved relative to the file, kept inside the project)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, require_file
from .model import Config
from .yaml_file import read_yaml


def _format_location(location: tuple[object, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def _describe(error: dict) -> str:
    location = _format_location(tuple(p for p in error["loc"] if p not in ("function-after",)))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (not allowed here; check the spelling)"
    elif "input" in error and not isinstance(error["input"], (dict, list)):
        message += f" (got {error['input']!r})"
    return f"{location}: {message}"


def resolve_path(path: Path, base: Path) -> Path:
    """Resolve a config path relative to the folder of the config file."""
    return path if path.is_absolute() else (base / path).resolve()


def _map_paths(value, function):
    """Apply ``function`` to every Path inside a (nested) pydantic model, dict, list or tuple."""
    if isinstance(value, Path):
        return function(value)
    if isinstance(value, BaseModel):
        updates = {name: _map_paths(getattr(value, name), function) for name in type(value).model_fields}
        return value.model_copy(update=updates)
    if isinstance(value, dict):
        return {key: _map_paths(item, function) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_paths(item, function) for item in value)
    return value


def named_paths(value, prefix: str = "") -> dict[str, Path]:
    """Every file or folder path inside a config, keyed by its key path (``inputs.kwb2023.path``)."""
    found: dict[str, Path] = {}
    if isinstance(value, Path):
        found[prefix] = value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if not type(value).model_fields[name].exclude:
                found |= named_paths(getattr(value, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            found |= named_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            found |= named_paths(item, f"{prefix}[{position}]")
    return found


def project_dir(config_file: Path) -> Path:
    """The project a config belongs to: the folder holding ``configs/`` when the config lives
    in a folder named ``configs`` (the layout project/configs/x.yaml, project/data/...),
    otherwise the config's own folder."""
    folder = config_file.resolve().parent
    return folder.parent if folder.name == "configs" else folder


def check_paths_inside(config: Config) -> None:
    """Refuse paths that leave the project directory (see :func:`project_dir`)."""
    root = project_dir(config.source_file)
    for path in named_paths(config).values():
        if not path.resolve().is_relative_to(root):
            raise ConfigError(
                f"{config.source_file}: path {path} lies outside the project directory {root}; "
                "move it into the project or pass --allow-outside-paths"
            )


def parse_config(raw: object, source: Path) -> Config:
    """Validate an already-parsed YAML document; errors name ``source`` and the key path.

    Every path in the config is resolved relative to the folder of ``source``.
    """
    if not isinstance(raw, dict):
        held = "nothing (the file is empty)" if raw is None else \
            {list: "a list", str: "only a line of text"}.get(type(raw), f"a single value ({raw!r})")
        raise ConfigError(f"{source}: holds {held}; a config is a mapping of keys (name:, gemeente:, areas:, inputs:, ...)")
    try:
        config = Config.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ConfigError(f"{source}: {_describe(problems[0])}{more}") from None
    base = source.resolve().parent
    config = _map_paths(config, lambda path: resolve_path(path, base))
    inputs = {name: spec.model_copy(update={"source": spec.source or name}) for name, spec in config.inputs.items()}
    return config.model_copy(update={"inputs": inputs, "source_file": source.resolve()})


def is_aandacht_checkout(folder: Path) -> bool:
    """True if ``folder`` is a checkout of aandacht's own source (its pyproject.toml names the project
    ``aandacht``): its configs/ holds the shipped configs, not a project's, whether aandacht is installed
    from that checkout in editable mode or into site-packages."""
    import tomllib

    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name") == "aandacht"
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False


def project_config(folder: Path) -> Path | None:
    """The config of the project in ``folder``: its one ``configs/*.yaml`` (several are an error), or None
    (also in aandacht's own source checkout, whose configs/ holds the shipped configs)."""
    from ..resources import embedded_root

    configs = folder / "configs"
    if (not configs.is_dir() or configs.resolve() == (embedded_root() / "configs").resolve()
            or is_aandacht_checkout(folder)):
        return None
    found = sorted(configs.glob("*.yaml"))
    if len(found) > 1:
        raise ConfigError(f"{folder / 'configs'}: holds several configs ({', '.join(p.name for p in found)}); "
                          "choose one with --config")
    return found[0] if found else None


def load_config(path: str | Path, allow_outside: bool = False) -> Config:
    """Read and validate a YAML config (:func:`aandacht.config.yaml_file.read_yaml`: duplicate keys,
    deep nesting, alias bombs and vanishing numbers are errors); paths inside resolve relative to
    the file and must stay inside the project directory unless ``allow_outside``."""
    source = Path(path)
    if source.is_dir():
        raise ConfigError(f"{source}: is a folder, not a config file; give the YAML file (for example {source / 'configs' / 'x.yaml'})")
    require_file(source, "config file", ConfigError)
    try:
        raw = read_yaml(source)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{source}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{source}: cannot read the config ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        hint = " (YAML does not allow tabs for indentation; use spaces)" if "\t" in source.read_text(encoding="utf-8") else ""
        raise ConfigError(f"{source}:{where}: invalid YAML: {problem}{hint}") from None
    config = parse_config(raw, source)
    if not allow_outside:
        check_paths_inside(config)
    return config


def input_source(config: Config, name: str) -> tuple[str, str, str]:
    """(source label, period, origin for messages) of an input or a precedence rule."""
    if name in config.inputs:
        spec = config.inputs[name]
        return spec.source or name, spec.period, str(spec.path)
    rule = config.precedence[name]
    return name, rule.period or config.period, f"precedence {name}"


def config_as_dict(config: Config) -> dict:
    """Return the config as plain JSON-serialisable data (for the manifest)."""
    return config.model_dump(mode="json", exclude={"source_file"})
