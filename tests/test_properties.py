"""Property tests: invariances every composite score must have."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aandacht.scoring import score
from conftest import make_framework, method

TREE = {"idx": ["a", "b"]}
INDICATORS = {"p": ("a", 1.0, 1), "q": ("a", 2.0, -1), "r": ("b", 1.0, 1)}
FRAMEWORK = make_framework(TREE, INDICATORS)

values = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def tables(draw, min_areas=3, max_areas=12):
    n = draw(st.integers(min_areas, max_areas))
    columns = {}
    for name in INDICATORS:
        column = draw(st.lists(values, min_size=n, max_size=n))
        if max(column) - min(column) < 1e-6:  # constant indicators cannot be min-max normalised
            column[0] += 1.0
        columns[name] = column
    return pd.DataFrame(columns, index=[f"Z{i:02d}" for i in range(n)])


@settings(max_examples=40, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_row_order(raw, rnd):
    order = list(raw.index)
    rnd.shuffle(order)
    first = score(raw, FRAMEWORK, method())
    second = score(raw.loc[order], FRAMEWORK, method())
    pd.testing.assert_series_equal(first.index, second.index.loc[raw.index])
    pd.testing.assert_series_equal(first.rank, second.rank.loc[raw.index])


@settings(max_examples=40, deadline=None)
@given(tables(), st.integers(0, 11), st.floats(0.001, 500))
def test_raising_a_risk_indicator_never_lowers_the_score(raw, row, bump):
    # Raising p (direction +1) for one area: with min-max, the other areas' normalised p can only
    # go down (the maximum may rise), so the area's own score must not fall.
    row = row % len(raw)
    before = score(raw, FRAMEWORK, method())
    raised = raw.copy()
    raised.iloc[row, raised.columns.get_loc("p")] += bump
    after = score(raised, FRAMEWORK, method())
    assert after.index.iloc[row] >= before.index.iloc[row] - 1e-9


@settings(max_examples=30, deadline=None)
@given(tables(), st.floats(0.01, 100))
def test_scaling_weights_of_one_level_changes_nothing(raw, factor):
    scaled = make_framework(TREE, {k: (p, w * factor, d) for k, (p, w, d) in INDICATORS.items()},
                            {"a": factor, "b": factor})
    base = score(raw, FRAMEWORK, method())
    other = score(raw, scaled, method())
    np.testing.assert_allclose(base.index.to_numpy(), other.index.to_numpy(), rtol=1e-9, atol=1e-9)
