"""The Plus-IKC choice as an exact 0-1 integer program (PuLP with its bundled CBC).

Variables x_i in {0, 1} for every candidate IKC i. Maximise the need served

    sum_i need_i * x_i                       (+ a tie-break below 1e-6 in total)

subject to
    sum_i x_i <= n                                    (count: N Plus-IKCs or the budget's N)
    sum_{i in E_g} x_i >= 1       for every gebied g  (coverage; E_g = its candidates, non-empty)
    min_b <= sum_{i in B_b} x_i <= max_b              (per school board b, where configured)
    x_i = 1 for i in fixed_in,  x_i = 0 for i in fixed_out   (continuity)

Needs are >= 0, so the count constraint is met with equality whenever enough candidates
exist. The tie-break adds 1e-6 * (n - p) / n to the need of the candidate at position p in
BRIN order, so that equal needs are resolved the same way on every run; the reported
objective excludes it. CBC runs without time limit in its serial mode (no ``threads``
option): the result is the proven optimum and deterministic. Asking for ``threads 1`` is not
the same: it starts CBC's parallel search with one worker thread, and CBC 2.10.3 (the binary
PuLP bundles) then now and then waits 10 s for that thread to start ("Thread 0 used 0 times,
waiting to start 10.0" in its log): seen in about one herijking run in three.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from ..errors import AandachtError

TIE_BREAK = 1e-6
SOLVERS = 4  # CBC processes at once in explain()


@dataclass
class Problem:
    """One selection problem; ``need`` is indexed by candidate id (BRIN + vestiging)."""

    need: pd.Series
    n: int
    cover: dict[str, list[str]] = field(default_factory=dict)
    boards: pd.Series | None = None  # candidate id -> board name
    board_limits: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    fixed_in: frozenset[str] = frozenset()
    fixed_out: frozenset[str] = frozenset()


@dataclass
class Solution:
    chosen: list[str]
    objective: float  # sum of the needs of the chosen candidates
    constraints: pd.DataFrame  # constraint, lhs, sense, bound, tight


class Infeasible(AandachtError):
    """The constraints cannot all be met."""


def constraint_rows(problem: Problem) -> list[tuple[str, list[str], str, float]]:
    """Every constraint as (name, candidate ids, sense '<=' or '>=', bound)."""
    ids = sorted(problem.need.index)
    rows = [("aantal Plus-IKCs", ids, "<=", problem.n)]
    for gebied, members in sorted(problem.cover.items()):
        if members:
            rows.append((f"dekking {gebied}", sorted(members), ">=", 1))
    if problem.boards is not None:
        for board, (low, high) in sorted(problem.board_limits.items()):
            members = sorted(problem.boards.index[problem.boards == board].intersection(ids))
            if low > 0:
                rows.append((f"minimum {board}", members, ">=", low))
            if high is not None:
                rows.append((f"maximum {board}", members, "<=", high))
    rows.extend((f"continuering {i}", [i], ">=", 1) for i in sorted(problem.fixed_in))
    rows.extend((f"uitgesloten {i}", [i], "<=", 0) for i in sorted(problem.fixed_out))
    return rows


def solve(problem: Problem, drop: str | None = None, force: dict[str, int] | None = None) -> Solution:
    """Solve the program; ``drop`` leaves one named constraint out, ``force`` fixes variables."""
    with _quiet():
        return _solve(problem, drop, force)


@contextmanager
def _quiet():
    """PuLP 3 marks LpVariable(...) and its bundled CBC deprecated (changed in PuLP 4, hence pulp<4 in
    pyproject.toml); :func:`_solve` calls the documented PuLP 2/3 interface. (The warning filters are
    the process's: set once around solves that run in threads.)"""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulp\.")
        yield


def _solve(problem: Problem, drop: str | None, force: dict[str, int] | None) -> Solution:
    import pulp

    ids = sorted(problem.need.index)
    if not ids:
        return Solution([], 0.0, pd.DataFrame(columns=["constraint", "lhs", "sense", "bound", "tight"]))
    model = pulp.LpProblem("plus_ikc", pulp.LpMaximize)
    x = {i: pulp.LpVariable(f"x_{position}", cat="Binary") for position, i in enumerate(ids)}
    count = len(ids)
    model += pulp.lpSum((float(problem.need[i]) + TIE_BREAK * (count - p) / count) * x[i] for p, i in enumerate(ids))
    rows = [row for row in constraint_rows(problem) if row[0] != drop]
    for number, (_, members, sense, bound) in enumerate(rows):
        expression = pulp.lpSum(x[i] for i in members)
        model += (expression <= bound) if sense == "<=" else (expression >= bound), f"c{number}"
    for i, value in (force or {}).items():
        model += x[i] == value, f"force_{ids.index(i)}"
    status = model.solve(pulp.PULP_CBC_CMD(msg=False))
    if pulp.LpStatus[status] != "Optimal":
        raise Infeasible(f"the Plus-IKC selection has no solution ({pulp.LpStatus[status]}): {diagnose(problem)}")
    chosen = [i for i in ids if x[i].value() > 0.5]
    table = pd.DataFrame([
        {"constraint": name, "lhs": sum(i in chosen for i in members), "sense": sense, "bound": bound}
        for name, members, sense, bound in rows
    ], columns=["constraint", "lhs", "sense", "bound"])
    table["tight"] = table["lhs"] == table["bound"]
    return Solution(chosen, float(problem.need[chosen].sum()), table)


def diagnose(problem: Problem) -> str:
    """A one-line guess at why the constraints conflict."""
    covered = [g for g, members in problem.cover.items() if members]
    if len(problem.fixed_in) > problem.n:
        return f"{len(problem.fixed_in)} IKCs keep their Plus predicate (continuity) but only {problem.n} places exist"
    if len(covered) > problem.n:
        return (f"{len(covered)} aandachtsgebieden need a Plus-IKC each but only {problem.n} places exist; "
                "raise the count or set selection.cover_every_gebied: false")
    minimum = sum(low for low, _ in problem.board_limits.values())
    if minimum > problem.n:
        return f"the board minimums add up to {minimum}, more than the {problem.n} places"
    return "the coverage, board and continuity constraints conflict; relax selection.boards or board_limits"


def explain(problem: Problem, solution: Solution) -> tuple[pd.DataFrame, pd.Series]:
    """Binding constraints and the marginal value of every candidate.

    A constraint is *binding* when leaving it out raises the optimum: ``gain`` is that rise
    (re-solved exactly; 'inf' cannot occur since dropping a constraint never makes the
    program infeasible). The marginal value of a candidate is the change of the optimum
    when it is forced out (if chosen: the loss, >= 0) or forced in (if not chosen: the
    change, <= 0); NaN when forcing makes the program infeasible. The solves are independent and
    run :data:`SOLVERS` at a time: each is mostly the start of a CBC process (the solver's own time is
    a few milliseconds), so they overlap well also on one core.
    """
    with _quiet(), ThreadPoolExecutor(SOLVERS, thread_name_prefix="aandacht-cbc") as pool:
        dropped = [pool.submit(_solve, problem, name, None) for name in solution.constraints["constraint"]]
        forced = {i: pool.submit(_solve, problem, None, {i: 0 if i in solution.chosen else 1})
                  for i in sorted(problem.need.index)}
        gains = [future.result().objective - solution.objective for future in dropped]
        marginal = {}
        for i, future in forced.items():
            try:
                other = future.result().objective
            except Infeasible:
                marginal[i] = float("nan")
                continue
            marginal[i] = solution.objective - other if i in solution.chosen else other - solution.objective
    constraints = solution.constraints.assign(gain=gains)
    constraints["binding"] = constraints["gain"] > 1e-9
    return constraints, pd.Series(marginal, dtype="float64")
