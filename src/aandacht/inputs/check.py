"""Data-quality check of a config's inputs before anything is scored (``aandacht check``).

    report = check_data(load_config("configs/leeuwarden.yaml"))
    report.status          # "usable", "warnings" or "unusable"
    report.coverage        # per source and indicator: areas and periods covered

The report holds, per source and indicator, the coverage of the gemeente's areas at the
config level and of periods; missing values by reason (the tidy flag, or "not in data" when
an area has no row); out-of-range values (percentages above 100 or below 0, negative
counts, values of framework indicators whose denominator is below ``min_denominator``);
names matched fuzzily, ambiguously or not at all; schools (and objecten van toezicht) with a
figure that could not be placed in an area, each a warning per input (sheet ``unplaced_schools``);
and stale indicators (newest period older than the newest period of any input).

Severity: an input that cannot be read, or a framework indicator without any value for the
gemeente's areas, makes the data ``unusable``; everything else is a warning, or ``info`` for
findings that are worth knowing but no problem (they do not change the status). Exit codes of
the command: 0 usable (warnings allowed), 1 warnings under ``--strict``, 2 unusable.

The command adds the correlation checks of :func:`aandacht.scoring.coherence.correlation_checks`
(which score the matrix, so they belong to a later stage) with :meth:`CheckReport.with_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..config import Config, input_source
from ..dutch import MISSING_LABELS, SEVERITY_WORDS
from ..errors import AandachtError
from .areas import AreaRegistry, area_registry
from .boundaries import boundaries_missing
from .harmonise import is_count
from .matrix import IndicatorMatrix, build_matrix
from .reading import files_read_once
from .sources.schools import UNPLACED_COLUMNS
from .tidy import concat_tidy

PROBLEM_COLUMNS = {"severity": "ernst", "source": "bron", "message": "bevinding"}


@dataclass
class CheckReport:
    """The tables of a data-quality check (see the module docstring)."""

    coverage: pd.DataFrame
    missing: pd.DataFrame
    out_of_range: pd.DataFrame
    matches: pd.DataFrame
    stale: pd.DataFrame
    problems: pd.DataFrame  # severity (error | warning | info), source, message
    notes: list[str] = field(default_factory=list)
    registry: AreaRegistry | None = None
    matrix: IndicatorMatrix | None = None  # the indicator matrix when it could be built, for checks that score it
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    unplaced: pd.DataFrame | None = None  # schools with a figure not placed in an area: source, brin_vestiging, name, figure, reason

    @property
    def status(self) -> str:
        severities = set(self.problems["severity"])
        return "unusable" if "error" in severities else "warnings" if "warning" in severities else "usable"

    def exit_code(self, strict: bool) -> int:
        return {"unusable": 2, "warnings": 1 if strict else 0, "usable": 0}[self.status]

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables as written (check.xlsx, one CSV each); the problems in Dutch (ernst, bron, bevinding)."""
        unplaced = {"unplaced_schools": self.unplaced} if self.unplaced is not None else {}
        problems = self.problems.assign(severity=self.problems["severity"].map(SEVERITY_WORDS)).rename(
            columns=PROBLEM_COLUMNS)
        return {"problems": problems, "coverage": self.coverage, "missing": self.missing,
                "out_of_range": self.out_of_range, "matches": self.matches, "stale": self.stale, **unplaced, **self.extra}

    def with_checks(self, tables: dict[str, pd.DataFrame], problems: list[tuple[str, str, str]]) -> CheckReport:
        """The report with more tables and problems (severity, source, message), for example the
        correlation checks of :func:`aandacht.scoring.coherence.correlation_checks`."""
        added = pd.DataFrame(problems, columns=["severity", "source", "message"])
        merged = pd.concat([self.problems, added], ignore_index=True) if problems else self.problems
        return replace(self, problems=merged, extra={**self.extra, **tables})


def _year(period: str) -> float:
    """The (last) four-digit year in a period label ("2023", "2021-2022"); NaN if none."""
    found = re.findall(r"(?:19|20)\d{2}", str(period))
    return float(found[-1]) if found else np.nan


def _period_key(period: str) -> tuple[float, str]:
    year = _year(period)
    return (-1.0 if np.isnan(year) else year, str(period))


@files_read_once()  # the school list, read by several inputs, is parsed once
def check_data(config: Config) -> CheckReport:
    """Load every input (a failing input is reported, not raised) and check the result."""
    from .load import combine_precedence, load_input, needed_variables, precedence_notes

    registry = area_registry(config)
    problems: list[tuple[str, str, str]] = []
    tables, notes, matches, unplaced = [], [], [], []
    needed = needed_variables(config)
    for name, spec in config.inputs.items():
        try:
            loaded = load_input(spec, registry, config.level, needed.get(name))
        except AandachtError as error:
            problems.append(("error", name, f"invoer niet te lezen: {error}"))
            continue
        tables.append(loaded.table)
        notes.extend(loaded.notes)
        if loaded.matches is not None:
            matches.append(loaded.matches)
        if loaded.unplaced is not None and len(loaded.unplaced):
            unplaced.append(loaded.unplaced.assign(source=spec.source))
    tidy = concat_tidy(tables, str(config.source_file))
    try:
        combined, choices = combine_precedence(config, tidy)
        tidy = concat_tidy([tidy, combined], str(config.source_file))
        notes.extend(precedence_notes(choices))
    except AandachtError as error:
        problems.append(("error", "precedence", str(error)))
    areas = registry.children_of(config.gemeente.code, config.level) if config.gemeente.code in registry.table.index else []
    if not areas:
        problems.append(("error", "areas", f"geen gebieden van niveau {config.level} onder {config.gemeente.code} in {registry.source}"))
    local = tidy[tidy["area_code"].isin(areas)]
    coverage, missing = _coverage(local, areas)
    out_of_range = _out_of_range(local)
    small, matrix = _small_denominators(config, tidy, registry, problems)
    out_of_range = pd.concat([out_of_range, small], ignore_index=True)
    matched = pd.concat(matches, ignore_index=True) if matches else pd.DataFrame(
        columns=["source", "label", "area_code", "area_name", "method", "score"])
    doubtful = matched[~matched["method"].isin(["code", "name", "alias", "pc4"])].reset_index(drop=True)
    columns = ["source", *UNPLACED_COLUMNS]  # an input's unplaced schools, with the source they came from
    schools = pd.concat(unplaced, ignore_index=True)[columns] if unplaced else pd.DataFrame(columns=columns)
    # without polygons no school is placed by its point: the boundary file is the fix
    fix = boundaries_missing(config) if config.areas.geometry is None else ""
    for source, group in schools.groupby("source", sort=False):
        listing = ", ".join(f"{r.brin_vestiging} {r.name}".strip() for r in group.head(8).itertuples())
        problems.append(("warning", source, f"{len(group)} {'school' if len(group) == 1 else 'scholen'} met een cijfer "
                                            f"niet geplaatst in een {config.level} en niet meegeteld ({listing}"
                                            f"{' ...' if len(group) > 8 else ''}); plaats ze in de tabel locations of "
                                            "ovt_locations van de invoer, of gebruik `aandacht fetch locations`"
                                            + (f". {fix}" if fix else "")))
    reported = doubtful["label"].str.split(" ").str[0].isin(set(schools["brin_vestiging"])) if len(doubtful) else []
    doubtful = doubtful[~np.asarray(reported, dtype=bool)].reset_index(drop=True) if len(doubtful) else doubtful
    stale = _stale(coverage)
    _framework_coverage(config, coverage, problems)
    for row in coverage[coverage["coverage"] < 1].itertuples():
        problems.append(("warning", row.source, f"{row.indicator}: {row.areas_with_value} van {row.areas} gebieden hebben "
                                                "een waarde"))
    for (source, indicator, problem), group in out_of_range.groupby(["source", "indicator", "problem"], sort=False):
        problems.append(("warning", source, f"{indicator}: {len(group)} {'waarde' if len(group) == 1 else 'waarden'} met {problem} "
                                            f"({', '.join(group['area_code'].head(5))})"))
    how = {"fuzzy": "bij benadering gekoppeld", "ambiguous": "niet eenduidig", "unmatched": "niet gekoppeld"}
    for (source, method), group in doubtful.groupby(["source", "method"]):
        problems.append(("warning", source, f"{len(group)} {'naam' if len(group) == 1 else 'namen'} "
                                            f"{how.get(method, method)}: {', '.join(map(repr, group['label'].head(5)))}"))
    for (source, period), group in stale.groupby(["source", "newest_period"], sort=False):
        problems.append(("warning", source, f"nieuwste periode {period} is ouder dan {group['newest_overall'].iloc[0]} "
                                            f"voor {len(group)} {'indicator' if len(group) == 1 else 'indicatoren'}: "
                                            f"{', '.join(group['indicator'].head(6))}"))
    return CheckReport(coverage, missing, out_of_range, doubtful, stale,
                       pd.DataFrame(problems, columns=["severity", "source", "message"]), notes, registry, matrix,
                       unplaced=schools.reset_index(drop=True))


def _coverage(local: pd.DataFrame, areas: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per source and indicator (in the order they first appear) the areas with a value in the newest period,
    the periods and the periods with a value; and per reason the areas of that period without one. Computed
    on the table's columns as lists (pandas' steps per group cost 1 ms each over some 40 groups)."""
    rows, missing = [], []
    period, area, flags = (local[c].tolist() for c in ("period", "area_code", "flag"))
    known = local["value"].notna().tolist()
    groups: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(zip(local["source"].tolist(), local["indicator"].tolist())):
        groups.setdefault(key, []).append(position)
    for (source, indicator), positions in groups.items():
        newest = max((period[i] for i in positions), key=_period_key)
        latest = [i for i in positions if period[i] == newest]
        rows.append({"source": source, "indicator": indicator, "unit": local["unit"].iat[positions[0]], "areas": len(areas),
                     "areas_with_value": len({area[i] for i in latest if known[i]}),
                     "periods": ", ".join(sorted({period[i] for i in positions}, key=_period_key)),
                     "periods_with_value": len({period[i] for i in positions if known[i]}), "newest_period": newest})
        lacking = [flags[i] for i in latest if not known[i]]
        reasons = pd.Series(lacking, dtype=local["flag"].dtype).value_counts().to_dict() if lacking else {}
        absent = len(set(areas) - {area[i] for i in latest})
        if absent:
            reasons["not in data"] = absent
        for flag, count in reasons.items():
            missing.append({"source": source, "indicator": indicator, "period": newest, "flag": flag,
                            "reden": MISSING_LABELS.get(flag, flag), "count": int(count)})
    coverage = pd.DataFrame(rows, columns=["source", "indicator", "unit", "areas", "areas_with_value", "periods",
                                           "periods_with_value", "newest_period"])
    coverage["coverage"] = coverage["areas_with_value"] / coverage["areas"].where(coverage["areas"] > 0)
    return coverage, pd.DataFrame(missing, columns=["source", "indicator", "period", "flag", "reden", "count"])


def _out_of_range(local: pd.DataFrame) -> pd.DataFrame:
    name = local["indicator"].str.lower()
    percent = local["unit"].str.strip().isin(["%", "percentage", "procent"]) | name.str.contains("%") | name.str.startswith("p_")
    count = is_count(local["unit"]) | name.str.startswith(("a_", "aantal"))
    checks = [
        (percent & (local["value"] > 100), "percentage boven 100"),
        (percent & (local["value"] < 0), "negatief percentage"),
        (count & (local["value"] < 0), "negatief aantal"),
        (percent & (local["numerator"] > local["denominator"]), "teller groter dan noemer"),
    ]
    parts = [local.loc[mask, ["source", "indicator", "area_code", "period", "value", "denominator"]].assign(problem=label)
             for mask, label in checks if mask.any()]
    columns = ["source", "indicator", "area_code", "period", "value", "denominator", "problem"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _small_denominators(config: Config, tidy: pd.DataFrame, registry, problems) -> tuple[pd.DataFrame, IndicatorMatrix | None]:
    """Framework indicators whose value rests on a denominator below ``min_denominator``, and the matrix."""
    columns = ["source", "indicator", "area_code", "period", "value", "denominator", "problem"]
    try:
        matrix = build_matrix(tidy, config, registry)
    except AandachtError as error:
        problems.append(("error", "framework", str(error)))
        return pd.DataFrame(columns=columns), None
    rows = []
    for indicator in config.framework.indicators:
        source, period, _ = input_source(config, indicator.input)
        small = matrix.reliability.index[matrix.reliability[indicator.id] == "I"]
        for code in small:
            rows.append((source, indicator.id, code, period, matrix.values.at[code, indicator.id],
                         matrix.denominators.at[code, indicator.id],
                         f"noemer onder min_denominator {indicator.min_denominator:g}"))
    return pd.DataFrame(rows, columns=columns), matrix


def _stale(coverage: pd.DataFrame) -> pd.DataFrame:
    columns = ["source", "indicator", "newest_period", "newest_overall"]
    if coverage.empty:
        return pd.DataFrame(columns=columns)
    years = coverage["newest_period"].map(_year)
    newest = years.max()
    if np.isnan(newest):
        return pd.DataFrame(columns=columns)
    stale = coverage.loc[years < newest, ["source", "indicator", "newest_period"]]
    return stale.assign(newest_overall=str(int(newest))).reset_index(drop=True)[columns]


def _framework_coverage(config: Config, coverage: pd.DataFrame, problems) -> None:
    """A framework indicator whose variables have no value for any area makes the data unusable."""
    for indicator in config.framework.indicators:
        source, _, _ = input_source(config, indicator.input)
        for variable in [indicator.variable] if indicator.variable else [indicator.numerator, indicator.denominator]:
            found = coverage[(coverage["source"] == source) & (coverage["indicator"] == variable)]
            if found.empty or int(found["areas_with_value"].iloc[0]) == 0:
                problems.append(("error", source, f"indicator {indicator.id} van het framework: variabele {variable} "
                                                  f"heeft voor geen enkele {config.level} een waarde"))
