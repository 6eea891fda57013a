"""From the tidy table to the area x indicator matrix the scorer consumes.

For every indicator of the framework the value per area is taken from its input
(source and period of that input): the published ``variable``, or ``numerator /
denominator x scale``. Alongside the values it keeps the numerators, denominators,
why a value is missing, and a reliability mark per value, after the RIGO Sociale
Index convention Leeuwarden's analysts know:

* ``B`` (betrouwbaar): the denominator is at least the indicator's ``min_denominator``
  (or no minimum is configured);
* ``I`` (indicatief): the denominator is below the minimum;
* ``?``: a minimum is configured but the data give no denominator for this area.

The population gate (config ``population``) decides which areas are scored at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Config, Indicator, input_source
from ..dutch import number_nl
from ..errors import ConfigError, DataError
from .areas import AreaRegistry
from .plausible import OUT_OF_RANGE, is_count_unit, outside, published_class

NOT_IN_DATA = "not in data"


@dataclass
class IndicatorMatrix:
    """Per area (rows, registry order) and indicator (columns, framework order)."""

    areas: pd.DataFrame  # area_name, population, scored, reason
    values: pd.DataFrame
    numerators: pd.DataFrame
    denominators: pd.DataFrame
    missing_reason: pd.DataFrame
    reliability: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def scored_values(self) -> pd.DataFrame:
        """The values of the areas that pass the population gate."""
        return self.values.loc[self.areas["scored"]]

    def area_reliability(self) -> pd.Series:
        """Per area one mark: 'I' (indicatief) when any of its values rests on a denominator below
        the indicator's ``min_denominator``, else '?' when any denominator is unknown, else 'B'."""
        marks = self.reliability
        return pd.Series(np.where((marks == "I").any(axis=1), "I", np.where((marks == "?").any(axis=1), "?", "B")),
                         index=marks.index)


def variables_of(tidy: pd.DataFrame, source: str, period: str, codes: list[str]) -> dict[str, pd.DataFrame]:
    """The rows of one input (source and period) per variable, indexed by ``codes`` (NaN where absent)."""
    rows = tidy[(tidy["source"] == source) & (tidy["period"] == period)]
    return {variable: group.set_index("area_code").reindex(codes) for variable, group in rows.groupby("indicator")}


def indicator_columns(indicator: Indicator, variables: dict[str, pd.DataFrame], origin: str):
    """Return value, numerator, denominator and missing reason for one indicator."""
    needed = [indicator.variable] if indicator.variable else [indicator.numerator, indicator.denominator]
    absent = [v for v in needed if v not in variables]
    if absent:
        raise DataError(f"{origin}: variable(s) {absent} needed by indicator '{indicator.id}' are not in input")
    if indicator.variable:
        table = variables[indicator.variable]
        value, numerator, denominator, reason = (table[c] for c in ("value", "numerator", "denominator", "flag"))
    else:
        numerator = variables[indicator.numerator]["value"]
        denominator = variables[indicator.denominator]["value"]
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (numerator / denominator.where(denominator > 0)) * indicator.scale
        reason = variables[indicator.numerator]["flag"].where(numerator.isna(), "")
        reason = reason.mask(reason.eq("") & value.isna(), "not_applicable")
    reason = reason.fillna(NOT_IN_DATA).where(value.isna(), "")
    return value, numerator, denominator, reason


def reliability_marks(value: pd.Series, denominator: pd.Series, minimum: float | None) -> pd.Series:
    """B / I / ? per area (see the module docstring); empty where the value is missing."""
    if minimum is None:
        marks = pd.Series("B", index=value.index)
    else:
        marks = pd.Series(np.where(denominator.isna(), "?", np.where(denominator < minimum, "I", "B")), index=value.index)
    return marks.where(value.notna(), "")


def shrink(indicator: Indicator, kind: str, value: pd.Series, numerator: pd.Series, denominator: pd.Series
           ) -> tuple[pd.Series, str]:
    """Replace a rate indicator's values by Marshall's empirical-Bayes rates
    (:mod:`aandacht.inputs.shrinkage`) toward the pooled rate of the areas (``kind`` ``gemeente``)
    or ``national_rate`` (``national``); areas without a value stay missing.

    An indicator given as a published ``variable`` (a percentage) is shrunk through the numerator and
    denominator its input holds for it (KWB: the count behind the percentage and its population); its
    scale is the median of value / (numerator / denominator) (100 for a percentage), and every area must
    agree with it to 1% (published rounding), else the value is not a rate and shrinking it is an error."""
    from .shrinkage import marshall

    scale = indicator.scale
    keep = value.notna()
    if indicator.variable is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = value / (numerator / denominator.where(denominator > 0))
        known = keep & ratio.notna() & np.isfinite(ratio)
        if not known.any():
            raise DataError(f"indicator '{indicator.id}': shrinkage '{kind}' needs a numerator and denominator, and its "
                            f"input gives none for variable '{indicator.variable}'")
        scale = float(ratio[known].median())
        off = known & ((ratio / scale - 1).abs() > 0.01)
        if off.any() or not scale > 0:
            raise DataError(f"indicator '{indicator.id}': variable '{indicator.variable}' is not numerator / denominator x "
                            f"one scale (area {off.idxmax() if off.any() else ''}); shrinkage '{kind}' needs a rate")
        missing = keep & ~known
        if missing.any():
            raise DataError(f"indicator '{indicator.id}': shrinkage '{kind}' needs the numerator and denominator of every "
                            f"area with a value; area {missing.idxmax()} has none")
    prior = None if kind == "gemeente" else indicator.national_rate / scale
    result = marshall(numerator.where(keep).to_numpy(), denominator.where(keep).to_numpy(), prior)
    shrunk = pd.Series(result.rates * scale, index=value.index).where(keep)
    moved = float(np.nanmax(np.abs(shrunk - value))) if keep.any() else 0.0
    toward = "het cijfer van de gemeente" if kind == "gemeente" else "het landelijke cijfer"
    note = (f"{indicator.id}: empirisch-Bayes-krimp naar {toward}, "
            f"{number_nl(result.prior * scale)} (variantie tussen gebieden "
            f"{number_nl(result.prior_variance * scale**2)}); grootste verandering {number_nl(moved)} "
            f"{indicator.unit}".rstrip())
    return shrunk, note


def population_gate(config: Config, tidy: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Population per area and whether it is scored (with the reason when it is not)."""
    gate = config.population
    if gate is None:
        return pd.DataFrame({"population": np.nan, "scored": True, "reason": ""}, index=codes)
    source, period, origin = input_source(config, gate.input)
    variables = variables_of(tidy, source, period, codes)
    if gate.variable not in variables:
        raise DataError(f"{origin}: variable '{gate.variable}' named in population.variable is not in this input")
    population = variables[gate.variable]["value"]
    minimum = gate_minimum(gate, population)
    scored = population >= minimum
    # The reason names the rule, never the area's count: it is shown in tables and the report,
    # where a small count must be suppressed (report.suppress_below).
    reason = np.where(population.isna(), f"aantal {gate.label} onbekend",
                      np.where(scored, "", f"te weinig {gate.label}: minder dan {number_nl(minimum)}"))
    return pd.DataFrame({"population": population, "scored": scored.to_numpy(), "reason": reason}, index=codes)


def population_of(config: Config, tidy: pd.DataFrame, code: str) -> float:
    """The population gate's figure (``population.variable`` of ``population.input``) for one area of any level,
    for example the gemeente (the Kerncijfers Wijken en Buurten publish GM rows with the same variables);
    NaN when the input does not publish that area or there is no gate."""
    gate = config.population
    if gate is None:
        return float("nan")
    source, period, _ = input_source(config, gate.input)
    found = variables_of(tidy[tidy["area_code"] == code], source, period, [code]).get(gate.variable)
    return float("nan") if found is None else float(found["value"].iloc[0])


def gate_minimum(gate, population: pd.Series) -> float:
    """The population gate: ``minimum``, or with ``relative_to_median`` the larger of ``minimum`` and that
    share of the median population over the areas with a figure (rounded down to a whole number)."""
    if gate.relative_to_median is None or population.notna().sum() == 0:
        return float(gate.minimum)
    return float(max(gate.minimum, np.floor(gate.relative_to_median * population.median())))


def _plausible(config: Config, indicator, value: pd.Series, reason: pd.Series, origin: str, registry: AreaRegistry,
               notes: list[str]) -> tuple[pd.Series, pd.Series]:
    """The indicator's values checked against the valid range of its unit (:mod:`aandacht.inputs.plausible`):
    a value outside it stops the run naming the file, the area and the indicator, or, with the input's
    ``out_of_range: missing``, is left out with a note."""
    bad, rule = outside(value, indicator.unit)
    if not bad.any():
        return value, reason
    spec = config.inputs.get(indicator.input)
    first = bad.index[bad.to_numpy()][0]
    if spec is None or spec.out_of_range == "error":
        raise DataError(f"{origin}: area {first} ({registry.name(first)}), indicator {indicator.id}: {value[first]:g} is out "
                        f"of range for its unit {indicator.unit!r} ({rule}); correct the file, or set inputs."
                        f"{indicator.input}.out_of_range: missing to leave such values out")
    shown = ", ".join(f"{code} {value[code]:g}" for code in bad.index[bad.to_numpy()][:5])
    notes.append(f"{origin}: {int(bad.sum())} waarde(n) van {indicator.id} buiten het geldige bereik van de "
                 f"eenheid {indicator.unit!r}, weggelaten als ontbrekend (out_of_range: missing): {shown}")
    return value.mask(bad), reason.mask(bad, OUT_OF_RANGE)


def _as_published(config: Config, indicator, value: pd.Series, origin: str, notes: list[str]) -> pd.Series:
    """A count of people scored as it is published (:func:`aandacht.inputs.plausible.published_class`):
    under ``report.suppress_below`` the middle of the class '<N', with a note. A count under the
    threshold in every area tells no area from another: refused."""
    threshold = config.report.suppress_below
    scored, below = published_class(value, threshold)
    if not below.any():
        return value
    if not value.ge(threshold).any():
        raise DataError(f"{origin}: indicator {indicator.id} ({indicator.unit}) is under report.suppress_below ({threshold}) "
                        "in every area, so the published figures tell no area from another; give it as a rate (numerator "
                        "and denominator) or leave it out")
    notes.append(f"{indicator.id}: {int(below.sum())} gebied(en) met minder dan {threshold} ({indicator.unit}) gerekend als "
                 f"{number_nl((threshold - 1) / 2)}, het midden van de klasse <{threshold} die getoond wordt, zodat geen "
                 "score of rang het aantal teruggeeft (report.suppress_below)")
    return scored


def build_matrix(tidy: pd.DataFrame, config: Config, registry: AreaRegistry) -> IndicatorMatrix:
    """Build the indicator matrix for the configured gemeente and level."""
    gemeente = config.gemeente.code
    if gemeente not in registry.table.index:
        raise ConfigError(f"{config.source_file}: gemeente.code {gemeente} is not in the area registry {registry.source}")
    codes = registry.children_of(gemeente, config.level)
    if not codes:
        raise ConfigError(f"{config.source_file}: level '{config.level}' has no areas under {gemeente} in {registry.source}")
    notes = []
    known = set(registry.table.index)
    for name, spec in config.inputs.items():
        rows = tidy[(tidy["source"] == spec.source) & (tidy["period"] == spec.period) & (tidy["level"] == config.level)]
        foreign = sorted(set(rows["area_code"].unique()) - known)
        if foreign and spec.other_areas == "error":
            raise DataError(
                f"{spec.path}: {config.level} code(s) {foreign[:5]} are not in the area registry {registry.source} "
                f"(a typo or another boundary vintage? for a file covering more gemeenten set inputs.{name}.other_areas: ignore)"
            )
        if foreign:
            notes.append(f"{spec.path}: {len(foreign)} {config.level}code(s) niet in het gebiedenregister, niet gebruikt")
    by_input: dict[str, tuple[dict[str, pd.DataFrame], str]] = {}
    columns: dict[str, dict[str, pd.Series]] = {k: {} for k in ("value", "numerator", "denominator", "reason", "mark")}
    for position, indicator in enumerate(config.framework.indicators):
        if indicator.input not in by_input:
            source, period, origin = input_source(config, indicator.input)
            by_input[indicator.input] = (variables_of(tidy, source, period, codes), origin)
        variables, origin = by_input[indicator.input]
        value, numerator, denominator, reason = indicator_columns(
            indicator, variables, f"{config.source_file}: framework.indicators[{position}]: {indicator.input} ({origin})"
        )
        value, reason = _plausible(config, indicator, value, reason, origin, registry, notes)
        if is_count_unit(indicator.unit) and config.report.suppress_below > 0:
            value = _as_published(config, indicator, value, origin, notes)
        shrinkage = config.shrinkage_of(indicator)
        if shrinkage != "none":
            value, note = shrink(indicator, shrinkage, value, numerator, denominator)
            notes.append(note)
        mark = reliability_marks(value, denominator, indicator.min_denominator)
        if config.method.unreliable == "exclude":
            reason = reason.mask(mark == "I", "indicatief (excluded)")
            value = value.mask(mark == "I")
        for key, series in zip(columns, (value, numerator, denominator, reason, mark)):
            columns[key][indicator.id] = series
    tables = {key: pd.DataFrame(parts, index=codes) for key, parts in columns.items()}
    areas = population_gate(config, tidy, codes)
    gate = config.population
    if gate is not None and gate.relative_to_median is not None:
        notes.append(f"populatiedrempel: max({gate.minimum:g}; {number_nl(gate.relative_to_median)} x de mediaan "
                     f"{number_nl(areas['population'].median())}) = {gate_minimum(gate, areas['population']):g} {gate.label}")
    areas.insert(0, "area_name", [registry.name(c) for c in codes])
    return IndicatorMatrix(
        areas=areas,
        values=tables["value"].astype("float64"),
        numerators=tables["numerator"].astype("float64"),
        denominators=tables["denominator"].astype("float64"),
        missing_reason=tables["reason"],
        reliability=tables["mark"],
        notes=notes,
    )


NEDERLAND = "NL00"  # the CBS code of the Nederland row (Kerncijfers Wijken en Buurten)


def reference_values(tidy: pd.DataFrame, config: Config, codes: list[str]) -> dict[str, pd.DataFrame]:
    """Per code of ``codes`` (areas of any level, for example the gemeente and Nederland) each indicator's
    value, numerator and denominator, computed exactly as for the scored areas; NaN where the input
    does not publish that area. A count of people (``unit`` aantal, :func:`is_count_unit`) has no
    reference: the gemeente's or Nederland's total is not comparable with one area's count, and with
    the areas' shown counts it would give back a count shown as '<N' (CBS, "Statistische beveiliging":
    a total minus the published cells recomputes the suppressed one); reasons then compare with the
    median of the areas (:func:`aandacht.decide.designate.worse_than_reference`). The codes are computed
    together: each indicator once for all of them."""
    rows, per_input = {code: {} for code in codes}, {}
    own = tidy[tidy["area_code"].isin(codes)]  # grouping the whole table per indicator took ~0.9 s per run
    for indicator in config.framework.indicators:
        source, period, origin = input_source(config, indicator.input)
        if (source, period) not in per_input:
            found = variables_of(own, source, period, codes)
            names = tidy.loc[(tidy["source"] == source) & (tidy["period"] == period), "indicator"].unique()
            unpublished = own.iloc[0:0].set_index("area_code").reindex(codes)  # no row for these areas: NaN
            per_input[source, period] = {name: found.get(name, unpublished) for name in names}
        variables = per_input[source, period]
        value, numerator, denominator, _ = indicator_columns(indicator, variables, origin)
        total = is_count_unit(indicator.unit)
        for position, code in enumerate(codes):
            rows[code][indicator.id] = {"value": np.nan if total else value.iloc[position],
                                        "numerator": numerator.iloc[position], "denominator": denominator.iloc[position]}
    return {code: pd.DataFrame.from_dict(rows[code], orient="index").astype("float64") for code in codes}
