"""Reading every input of a config into one validated tidy table.

:func:`load_indicators` reads the area registry and runs each input's loader
(:mod:`aandacht.inputs.sources`), converting boundary vintages where an input has a
crosswalk, and adds the rows of the config's precedence rules (one variable taken per area
from the first input that has it).

Before a loader runs, its file is held against the input's size guard (``max_file_mb``), and
the loader is told which variables the config uses (:func:`needed_variables`: the framework's
indicators, the population gate and the precedence rules), so that a wide national file is
read for those columns only. The notes the reader makes (which sheet it read) join the
loader's notes.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..config import Config, InputSpec
from ..errors import ConfigError, DataError
from .areas import AreaRegistry, area_registry, code_named_note
from .reading import collect_notes, files_read_once
from .sources import LOADERS, LoadResult
from .tidy import concat_tidy


class LoadedInputs(NamedTuple):
    """The area registry, the validated tidy table of every input, and the loaders' notes."""

    registry: AreaRegistry
    tidy: pd.DataFrame
    notes: list[str]


@files_read_once()  # a file several inputs read (the gemeente's school list) is parsed once
def load_indicators(config: Config) -> LoadedInputs:
    """Read the registry and every input into one validated tidy table."""
    registry = area_registry(config)
    if config.areas.geometry:
        registry.geometry()  # read and check the configured polygons now, even if no step needs them
    code_named = code_named_note(registry.table, config.level, registry.source)
    tables, notes = [], [*registry.notes, *([code_named] if code_named else [])]
    needed = needed_variables(config)
    for name, spec in config.inputs.items():
        loaded = load_input(spec, registry, config.level, needed.get(name))
        tables.append(loaded.table)
        notes.extend(loaded.notes)
    tidy = concat_tidy(tables, str(config.source_file))
    combined, choices = combine_precedence(config, tidy)
    notes.extend(precedence_notes(choices))
    return LoadedInputs(registry, concat_tidy([tidy, combined], str(config.source_file)), notes)


def needed_variables(config: Config) -> dict[str, frozenset[str]]:
    """Per input name, the variables the config reads from it (indicators, population gate,
    precedence rules). An input that none of them names is absent: it is read whole."""
    wanted: dict[str, set[str]] = {}
    for indicator in config.framework.indicators:
        variables = [indicator.variable] if indicator.variable else [indicator.numerator, indicator.denominator]
        wanted.setdefault(indicator.input, set()).update(v for v in variables if v)
    if config.population is not None:
        wanted.setdefault(config.population.input, set()).add(config.population.variable)
    for rule in config.precedence.values():
        for name in rule.inputs:
            wanted.setdefault(name, set()).add(rule.variable)
    return {name: frozenset(variables) for name, variables in wanted.items() if name in config.inputs}


def check_size(spec: InputSpec) -> None:
    """Refuse an input file (or OData folder) larger than its ``max_file_mb`` before reading it."""
    path = spec.path
    try:
        size = sum(p.stat().st_size for p in path.iterdir() if p.is_file()) if path.is_dir() else path.stat().st_size
    except OSError:
        return  # missing or unreadable: the loader says so in its own words
    limit = spec.max_file_mb * 1_000_000
    if size > limit:
        raise DataError(f"{path}: the file is {size / 1_000_000:,.0f} MB, more than this input's size guard "
                        f"max_file_mb: {spec.max_file_mb:g}; raise max_file_mb if the file is right (only the columns "
                        "the config needs are kept in memory)")


def load_input(spec: InputSpec, registry: AreaRegistry, level: str, needed: frozenset[str] | None = None) -> LoadResult:
    """Run the input's loader (after the size guard, told the ``needed`` variables) and, when it
    has a ``crosswalk``, convert its ``level`` areas from boundary year ``vintage`` to
    ``crosswalk_to`` (default: the registry's vintage of that level) with
    :func:`aandacht.inputs.harmonise.convert_vintage`."""
    check_size(spec)
    with collect_notes() as reading_notes, files_read_once():
        loaded = LOADERS[spec.loader](spec, registry, needed)
    loaded = LoadResult(loaded.table, [*reading_notes, *loaded.notes], loaded.matches, loaded.unplaced)
    if spec.crosswalk is None:
        return loaded
    from .harmonise import convert_vintage, read_crosswalk

    if spec.vintage is None:
        raise ConfigError(f"{spec.path}: an input with a crosswalk needs 'vintage' (the boundary year of its areas)")
    target = spec.crosswalk_to
    if target is None:
        vintages = sorted(set(registry.table.loc[registry.table["level"] == level, "vintage"]))
        if len(vintages) != 1:
            raise ConfigError(f"{spec.path}: registry {level} vintages are {vintages}; set crosswalk_to")
        target = vintages[0]
    if str(target) == str(spec.vintage):
        return LoadResult(loaded.table, [*loaded.notes, f"{spec.path}: al op de grenzen van {target}, crosswalk niet gebruikt"],
                          loaded.matches, loaded.unplaced)
    table = loaded.table
    moving = table["level"] == level
    converted, notes = convert_vintage(table[moving], read_crosswalk(spec.crosswalk), spec.vintage, target,
                                       {code: registry.name(code) for code in registry.table.index})
    merged = concat_tidy([table[~moving], converted], str(spec.path))
    return LoadResult(merged, [*loaded.notes, f"{spec.path}: cijfers per {level} omgerekend van de grenzen van {spec.vintage} "
                                              f"naar die van {target} met {spec.crosswalk}", *notes], loaded.matches, loaded.unplaced)


def combine_precedence(config: Config, tidy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the config's precedence rules (source = rule name) and the choice per area."""
    from .harmonise import apply_precedence
    from .tidy import empty_tidy

    rows, choices = [empty_tidy()], [pd.DataFrame(columns=["precedence", "area_code", "chosen", "passed_over"])]
    for name, rule in config.precedence.items():
        pairs = [(config.inputs[i].source or i, config.inputs[i].period) for i in rule.inputs]
        combined, chosen = apply_precedence(tidy, name, rule.variable, pairs, rule.period or config.period)
        rows.append(combined)
        choices.append(chosen)
    return pd.concat(rows, ignore_index=True), pd.concat(choices, ignore_index=True)


def precedence_notes(choices: pd.DataFrame) -> list[str]:
    """One note per precedence rule: how many areas took each source."""
    notes = []
    for name, group in choices.groupby("precedence"):
        counts = ", ".join(f"{source}: {n}" for source, n in group["chosen"].value_counts().items())
        notes.append(f"precedence {name}: gekozen gebieden per bron: {counts}")
    return notes
