"""Two method variants on the same data (``aandacht compare A.yaml B.yaml``): "what if we used
percentile ranks, or other weights?".

Both configs must describe the same data: the same gemeente and level, and every input, area
registry and table that both name holds the same bytes (SHA-256); a variant may add or leave out an
input. Each config is scored as ``aandacht score`` scores it, and its designation rule applied
(:func:`aandacht.decide.designate.apply_rules`: ``top_k``, ``min_score``, ``min_population``; a rule
that needs the herijking's robustness figures, ``min_probability`` or ``consensus``, is an error
naming it). Per area: both ranks, the shift (rank B - rank A: positive is further down the list),
both scores and designations and the change (``erbij``: designated in B only, ``eraf``: in A only,
``gebleven``: in both). Over the areas scored in both: Spearman's rank correlation and the mean
absolute rank shift (COINr's ``compare_coins`` reports the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Config, named_paths
from ..digest import sha256
from ..errors import ConfigError
from ..scoring.run import ScoreRun
from .designate import apply_rules


def same_data(a: Config, b: Config) -> None:
    """Refuse two configs that do not describe the same data (module docstring), in one line."""
    for what, left, right in (("gemeente.code", a.gemeente.code, b.gemeente.code), ("level", a.level, b.level)):
        if left != right:
            raise ConfigError(f"{b.source_file}: {what} is {right}, {a.source_file} has {left}; variants compare one "
                              "gemeente at one level (to compare two rounds, give their round folders)")
    paths_a, paths_b = named_paths(a), named_paths(b)
    for key in sorted(set(paths_a) & set(paths_b)):
        left, right = paths_a[key], paths_b[key]
        if left.is_file() and right.is_file() and sha256(left) != sha256(right):
            raise ConfigError(f"{b.source_file}: {key} ({right}) is not the same file as in {a.source_file} ({left}); "
                              "variants must use the same data")


@dataclass(frozen=True)
class Variants:
    """``table``: per area (index area_code) area_name, rang_a, rang_b, verschuiving, score_a, score_b,
    aangewezen_a, aangewezen_b, wijziging; ``spearman`` and ``mean_abs_shift`` over the areas scored in both;
    ``designated``: whether both configs have a designation rule."""

    table: pd.DataFrame
    spearman: float
    mean_abs_shift: float
    designated: bool
    notes: list[str] = field(default_factory=list)


def _designation(run: ScoreRun) -> pd.Series | None:
    rules = run.config.designation
    if rules is None:
        return None
    outcome = apply_rules(run.result.index, run.matrix.areas["population"], rules)
    return outcome["designated"]


def compare_variants(a: ScoreRun, b: ScoreRun) -> Variants:
    """Both runs side by side (module docstring); ``a`` and ``b`` score the same data."""
    codes = a.matrix.areas.index
    table = pd.DataFrame({"area_name": a.matrix.areas["area_name"]}, index=codes)
    table["rang_a"] = a.result.rank.reindex(codes).astype("Int64")
    table["rang_b"] = b.result.rank.reindex(codes).astype("Int64")
    table["verschuiving"] = (table["rang_b"] - table["rang_a"]).astype("Int64")
    table["score_a"] = a.result.index.reindex(codes)
    table["score_b"] = b.result.index.reindex(codes)
    chosen_a, chosen_b = _designation(a), _designation(b)
    designated = chosen_a is not None and chosen_b is not None
    notes = []
    if designated:
        in_a = chosen_a.reindex(codes).fillna(False).astype(bool)
        in_b = chosen_b.reindex(codes).fillna(False).astype(bool)
        table["aangewezen_a"], table["aangewezen_b"] = in_a, in_b
        table["wijziging"] = np.select([in_a & in_b, in_b, in_a], ["gebleven", "erbij", "eraf"], "")
    else:
        notes.append("geen aanwijsregel in beide configs: alleen rangen en scores")
        table["wijziging"] = ""
    both = table["rang_a"].notna() & table["rang_b"].notna()
    ranks = table.loc[both, ["rang_a", "rang_b"]].astype("float64")
    spearman = float(ranks["rang_a"].corr(ranks["rang_b"], method="spearman")) if both.sum() > 2 else float("nan")
    shift = float(ranks["rang_b"].sub(ranks["rang_a"]).abs().mean()) if both.any() else float("nan")
    only = table.index[table["rang_a"].isna() != table["rang_b"].isna()]
    if len(only):
        notes.append(f"in één variant gescoord: {', '.join(only)}")
    order = table.sort_values(["rang_a", "rang_b"], na_position="last").rename_axis("area_code").reset_index()
    return Variants(order, spearman, shift, designated, notes)
