"""The Plus-IKC integer program against brute force on small random instances."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from aandacht.decide.optimise import Infeasible, Problem, explain, solve


def feasible(problem: Problem, chosen: set[str]) -> bool:
    if len(chosen) > problem.n:
        return False
    if any(members and not chosen & set(members) for members in problem.cover.values()):
        return False
    for board, (low, high) in problem.board_limits.items():
        count = sum(problem.boards[i] == board for i in chosen)
        if count < low or (high is not None and count > high):
            return False
    return problem.fixed_in <= chosen and not (problem.fixed_out & chosen)


def brute_force(problem: Problem, force: dict[str, int] | None = None) -> float | None:
    """Best total need over every subset, or None when no subset is feasible."""
    ids = list(problem.need.index)
    best = None
    for size in range(len(ids) + 1):
        for subset in combinations(ids, size):
            chosen = set(subset)
            if force and any((i in chosen) != bool(v) for i, v in force.items()):
                continue
            if feasible(problem, chosen):
                value = float(problem.need[list(subset)].sum())
                best = value if best is None else max(best, value)
    return best


def random_problem(rng: np.random.Generator) -> Problem:
    size = int(rng.integers(3, 9))
    ids = [f"{i:02d}AA00" for i in range(size)]
    need = pd.Series(rng.uniform(0, 100, size).round(1), index=ids)
    gebieden = {f"g{k}": [i for i in ids if rng.random() < 0.3] for k in range(int(rng.integers(0, 4)))}
    boards = pd.Series(rng.choice(["A", "B", "C"], size), index=ids)
    limits = {}
    for board in ("A", "B"):
        if rng.random() < 0.5:
            limits[board] = (int(rng.integers(0, 2)), int(rng.integers(1, 4)) if rng.random() < 0.7 else None)
    fixed_in = frozenset(i for i in ids if rng.random() < 0.1)
    fixed_out = frozenset(i for i in ids if rng.random() < 0.1 and i not in fixed_in)
    return Problem(need, int(rng.integers(1, size + 1)), gebieden, boards, limits, fixed_in, fixed_out)


def test_integer_program_matches_brute_force():
    rng = np.random.default_rng(20240601)
    solved = infeasible = 0
    for _ in range(40):
        problem = random_problem(rng)
        best = brute_force(problem)
        if best is None:
            with pytest.raises(Infeasible):
                solve(problem)
            infeasible += 1
            continue
        solution = solve(problem)
        assert feasible(problem, set(solution.chosen))
        assert solution.objective == pytest.approx(best, abs=1e-6)
        solved += 1
    assert solved >= 20 and infeasible >= 1  # the instances exercise both outcomes


def test_marginal_values_and_binding_constraints_match_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(6):
        problem = random_problem(rng)
        if brute_force(problem) is None:
            continue
        solution = solve(problem)
        constraints, marginal = explain(problem, solution)
        for i in problem.need.index:
            inside = i in solution.chosen
            other = brute_force(problem, {i: 0 if inside else 1})
            if other is None:
                assert np.isnan(marginal[i])
            else:
                expected = solution.objective - other if inside else other - solution.objective
                assert marginal[i] == pytest.approx(expected, abs=1e-6)
        count = constraints.set_index("constraint").loc["aantal Plus-IKCs"]
        dropped = Problem(problem.need, len(problem.need), problem.cover, problem.boards, problem.board_limits,
                          problem.fixed_in, problem.fixed_out)
        assert count["gain"] == pytest.approx(brute_force(dropped) - solution.objective, abs=1e-6)


def test_equal_needs_are_resolved_deterministically():
    need = pd.Series([50.0, 50.0, 50.0, 50.0], index=["D", "B", "A", "C"])
    first = solve(Problem(need, 2)).chosen
    assert first == solve(Problem(need.iloc[::-1], 2)).chosen == ["A", "B"]


def test_more_gebieden_than_places_is_explained():
    need = pd.Series([10.0, 20.0, 30.0], index=["A", "B", "C"])
    problem = Problem(need, 2, {"x": ["A"], "y": ["B"], "z": ["C"]})
    with pytest.raises(Infeasible, match="3 aandachtsgebieden need a Plus-IKC each but only 2 places"):
        solve(problem)


def test_no_candidates_gives_an_empty_choice():
    solution = solve(Problem(pd.Series(dtype=float), 2))
    assert solution.chosen == [] and solution.objective == 0.0
    assert solution.constraints.empty and list(solution.constraints.columns) == ["constraint", "lhs", "sense", "bound",
                                                                                 "tight"]


def test_a_real_difference_in_need_beats_the_tie_break():
    # the tie-break favours the first id in BRIN order by less than 1e-6 in total, so a need higher by
    # 1.5e-6 at the last position still wins
    ids = [f"{i:02d}AA00" for i in range(10)]
    need = pd.Series(50.0, index=ids)
    need[ids[-1]] = 50.0 + 1.5e-6
    assert solve(Problem(need, 1)).chosen == [ids[-1]]


def test_solver_prints_nothing(capfd):
    solve(Problem(pd.Series([10.0, 20.0, 30.0], index=["A", "B", "C"]), 2))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_constraint_table_counts_the_chosen_members():
    problem = Problem(pd.Series([10.0, 20.0, 30.0, 5.0], index=["A", "B", "C", "D"]), 2, {"g": ["A", "D"]},
                      pd.Series(["X", "X", "Y", "Y"], index=["A", "B", "C", "D"]), {"X": (0, 1)}, frozenset(), frozenset())
    solution = solve(problem)
    assert solution.chosen == ["A", "C"]  # B (20) is better than A but g needs A or D and X allows one of A, B
    table = solution.constraints.set_index("constraint")
    assert table["lhs"].to_dict() == {"aantal Plus-IKCs": 2, "dekking g": 1, "maximum X": 1}
    assert table["tight"].to_dict() == {"aantal Plus-IKCs": True, "dekking g": True, "maximum X": True}
    loose = solve(Problem(problem.need, 3, boards=problem.boards, board_limits={"Y": (0, 2)})).constraints
    assert loose.set_index("constraint")["tight"].to_dict() == {"aantal Plus-IKCs": True, "maximum Y": False}


@pytest.mark.parametrize("fixed_in, cover, minimums, message", [
    (3, 0, 0, "3 IKCs keep their Plus predicate (continuity) but only 2 places exist"),
    (2, 3, 0, "3 aandachtsgebieden need a Plus-IKC each but only 2 places exist"),
    (2, 2, 3, "the board minimums add up to 3, more than the 2 places"),
    (2, 2, 2, "the coverage, board and continuity constraints conflict"),
])
def test_diagnosis_names_the_first_count_that_exceeds_the_places(fixed_in, cover, minimums, message):
    from aandacht.decide.optimise import diagnose

    ids = ["A", "B", "C", "D"]
    limits = {"X": (minimums, None)} if minimums else {}
    problem = Problem(pd.Series(1.0, index=ids), 2, {f"g{k}": [ids[k]] for k in range(cover)},
                      pd.Series("X", index=ids), limits, frozenset(ids[:fixed_in]), frozenset())
    assert diagnose(problem).startswith(message)


def test_explain_without_candidates():
    problem = Problem(pd.Series(dtype=float), 2)
    constraints, marginal = explain(problem, solve(problem))
    assert constraints.empty and marginal.empty and marginal.dtype == "float64"


def test_cbc_runs_in_serial_mode(monkeypatch):
    """CBC 2.10.3 (bundled with PuLP) started with ``threads 1`` runs a parallel search with one
    worker thread and now and then waits 10 s for it to start; the solver must run serially."""
    import pulp

    made = []
    real = pulp.PULP_CBC_CMD

    def recording(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(pulp, "PULP_CBC_CMD", recording)
    problem = Problem(need=pd.Series({"a": 3.0, "b": 2.0, "c": 1.0}), n=2)
    assert solve(problem).chosen == ["a", "b"]
    assert made and all(kwargs.get("threads") in (None, 0) for kwargs in made)


def test_a_constraint_that_costs_a_hundredth_of_a_need_point_is_binding():
    """``binding`` is gain > 1e-9 (the solver's exactness), not "worth mentioning": covering a gebied
    whose only IKC needs 0.01 less than the best one costs 0.01 and binds; a cover the optimum meets
    anyway costs nothing and does not (no test told a threshold of 1e-9 from 0.5 before)."""
    need = pd.Series([50.0, 49.99, 10.0], index=["01AA00", "02BB00", "03CC00"])
    costly = Problem(need, 1, {"Oost": ["02BB00"]})
    constraints, _ = explain(costly, solve(costly))
    row = constraints.set_index("constraint").loc["dekking Oost"]
    assert row["gain"] == pytest.approx(0.01, abs=1e-9) and bool(row["binding"])
    free = Problem(need, 1, {"West": ["01AA00"]})
    constraints, _ = explain(free, solve(free))
    row = constraints.set_index("constraint").loc["dekking West"]
    assert row["gain"] == pytest.approx(0.0, abs=1e-9) and not bool(row["binding"])
