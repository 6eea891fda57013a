"""Mutation testing of the scoring, designation, selection and number-parsing code, run by hand.

A mutant is the source with one small change that a wrong rule could have made: a comparison
flipped (``>=`` -> ``>`` at a threshold, or negated), ``and``/``or`` swapped or one side of it
dropped, an arithmetic operator swapped, a number changed, ``-inf``/``+inf`` swapped, ``max``/``min``
swapped, a keyword argument (``keepdims``, ``axis``, ``ddof``, ...) dropped, a condition negated
or its block skipped, ``not``/unary minus dropped, a returned value replaced by ``None``,
``break``/``continue`` dropped. For each mutant the tests mapped to its module (:data:`TARGETS`)
run (``pytest -x``, with a timeout of three times their run on the unchanged code plus 15 s,
tried once more with twice that before it counts); a mutant is *killed* when they fail,
*survives* when they pass, and *times out* when they hang (counted as killed: a test would
notice). Text constants (messages, column names), docstrings, imports and annotations are not
mutated.

Everything happens in copies of the repository in a temporary folder (one per job, with
``../shared`` linked beside it so that the tests on real files run): the working tree is never
changed. Each mutated file is restored in a ``finally`` block after its run, and the copies
are removed at the end.

A surviving mutant that cannot change behaviour (an *equivalent* mutant) is listed, with the
reason, in ``tools/mutation_equivalents.yaml`` (matched on file, function, the original line and
the change, so that edits elsewhere do not invalidate it) and set aside; the score is

    score = (killed + timed out) / (mutants - equivalent)

Usage (from the repository root, in the virtual environment with ``.[test]`` installed):

    python tools/mutate.py                      # every target, 2 jobs
    python tools/mutate.py treat select -j 2    # some targets (name or path)
    python tools/mutate.py --list treat         # list the mutants without running them
    python tools/mutate.py --report mutation.md # also write the report as Markdown
    python tools/mutate.py --stubs new.yaml     # and the survivors as entries for the equivalents file

The exit code is 0 when every target reaches ``--min-score`` (default 0.9), else 1.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import difflib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.yaml"


@dataclass(frozen=True)
class Target:
    """A module to mutate, the tests that must catch its mutants, and (optionally) the only
    functions in it to mutate."""

    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()


TARGETS: dict[str, Target] = {
    "treat": Target("src/aandacht/scoring/treat.py", ("tests/test_treat.py", "tests/test_coinr_asem.py")),
    "normalise": Target("src/aandacht/scoring/normalise.py",
                        ("tests/test_normalise.py", "tests/test_reference.py", "tests/test_coinr_asem.py")),
    "aggregate": Target("src/aandacht/scoring/aggregate.py",
                        ("tests/test_aggregate.py", "tests/test_reference.py", "tests/test_coinr_asem.py")),
    "composite": Target("src/aandacht/scoring/composite.py",
                        ("tests/test_composite.py", "tests/test_reference.py", "tests/test_indicators.py",
                         "tests/test_coinr_asem.py", "tests/test_properties.py")),
    "designate": Target("src/aandacht/decide/designate.py", ("tests/test_designate.py",)),
    "select": Target("src/aandacht/decide/select.py",
                     ("tests/test_select.py", "tests/test_continuity.py", "tests/test_ikc.py")),
    "optimise": Target("src/aandacht/decide/optimise.py",
                       ("tests/test_optimise.py", "tests/test_select.py", "tests/test_continuity.py")),
    "reading": Target("src/aandacht/inputs/reading.py", ("tests/test_reading.py",),
                      ("parse_numbers", "parse_values", "_slow_values", "_to_numbers", "_column_mode", "_refuse",
                       "_as_float")),
}

SWAPPED_NAMES = {"max": "min", "min": "max", "nanmax": "nanmin", "nanmin": "nanmax", "any": "all", "all": "any",
                 "argmax": "argmin", "argmin": "argmax", "idxmax": "idxmin", "idxmin": "idxmax",
                 "maximum": "minimum", "minimum": "maximum"}
COMPARE_BOUNDARY = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
COMPARE_NEGATION = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq,
                    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
BINARY_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
               ast.Mod: ast.Mult, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
               ast.BitXor: ast.BitOr}


@dataclass
class Mutant:
    """One change: replace ``source[start:end]`` (character offsets) with ``text``."""

    file: str
    line: int
    function: str  # the enclosing function ("Class.method", "<module>")
    code: str  # the original line, stripped
    description: str
    start: int
    end: int
    text: str
    outcome: str = ""  # killed, survived, timeout, equivalent
    reason: str = ""
    seconds: float = 0.0
    patch: str = ""  # the diff, filled when it runs

    def apply(self, source: str) -> str:
        return source[:self.start] + self.text + source[self.end:]

    def diff(self, source: str) -> str:
        before = source.splitlines(keepends=True)
        after = self.apply(source).splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, self.file, self.file + " (mutant)", n=0)
        return "".join(line for line in lines if not line.startswith(("---", "+++")))


@dataclass
class Result:
    target: str
    mutants: list[Mutant] = field(default_factory=list)
    stale: list[dict] = field(default_factory=list)  # equivalents entries that matched no surviving mutant

    def count(self, outcome: str) -> int:
        return sum(m.outcome == outcome for m in self.mutants)

    @property
    def score(self) -> float:
        counted = len(self.mutants) - self.count("equivalent")
        return (self.count("killed") + self.count("timeout")) / counted if counted else 1.0


# --- finding the mutants ----------------------------------------------------------------------

def _skipped_nodes(tree: ast.Module, functions: tuple[str, ...]) -> set[int]:
    """ids of nodes never mutated: docstrings, imports, annotations, decorators, f-strings and
    everything under them; with ``functions``, everything outside those functions."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            skip(body[0])
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.JoinedStr)):
            skip(node)
        if isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, ast.arg):
            skip(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                skip(decorator)
            if not isinstance(node, ast.ClassDef):
                skip(node.returns)
    if functions:
        inside = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in functions:
                inside.update(id(n) for n in ast.walk(node))
        skipped.update(id(n) for n in ast.walk(tree) if id(n) not in inside)
    return skipped


class _Finder:
    def __init__(self, path: str, source: str, functions: tuple[str, ...]):
        self.path = path
        self.source = source
        self.lines = source.splitlines()
        self.offsets = [0]
        for line in source.splitlines(keepends=True):
            self.offsets.append(self.offsets[-1] + len(line))
        self.tree = ast.parse(source)
        self.skipped = _skipped_nodes(self.tree, functions)
        self.parents = {id(child): node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}
        self.mutants: list[Mutant] = []

    def offset(self, line: int, column: int) -> int:
        # ast columns are UTF-8 byte offsets
        text = self.lines[line - 1].encode("utf-8")[:column].decode("utf-8")
        return self.offsets[line - 1] + len(text)

    def add(self, node: ast.AST, replacement: ast.AST, description: str, statement: bool = False) -> None:
        text = ast.unparse(replacement)
        if not statement:
            text = f"({text})"
        start = self.offset(node.lineno, node.col_offset)
        end = self.offset(node.end_lineno, node.end_col_offset)
        if text.strip("()") == self.source[start:end].strip("()"):
            return
        self.mutants.append(Mutant(self.path, node.lineno, self.function_of(node), self.lines[node.lineno - 1].strip(),
                                   description, start, end, text))

    def function_of(self, node: ast.AST) -> str:
        names = []
        while node is not None:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            node = self.parents.get(id(node))
        return ".".join(reversed(names)) or "<module>"

    def replaced(self, node: ast.AST, **changes) -> ast.AST:
        new = copy.deepcopy(node)
        for key, value in changes.items():
            setattr(new, key, value)
        return new

    def find(self) -> list[Mutant]:
        for node in ast.walk(self.tree):
            if id(node) in self.skipped:
                continue
            method = getattr(self, f"visit_{type(node).__name__}", None)
            if method is not None:
                method(node)
        self.mutants.sort(key=lambda m: (m.start, m.description))
        seen: dict[tuple[str, str, str], int] = {}
        for mutant in self.mutants:  # the same change twice in a function (two `1`s on a line, a line twice) gets #2, #3
            key = (mutant.function, mutant.code, mutant.description)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                mutant.description += f" #{seen[key]}"
        return self.mutants

    @staticmethod
    def short(node: ast.AST, limit: int = 70) -> str:
        text = ast.unparse(node)
        return text if len(text) <= limit else text[:limit - 3] + "..."

    # comparisons: the boundary (>= -> >) and the negation (>= -> <) of every operator
    def visit_Compare(self, node: ast.Compare) -> None:
        for position, op in enumerate(node.ops):
            for table, kind in ((COMPARE_BOUNDARY, "boundary"), (COMPARE_NEGATION, "negate")):
                if type(op) in table:
                    ops = list(node.ops)
                    ops[position] = table[type(op)]()
                    new = self.replaced(node, ops=ops)
                    self.add(node, new, f"compare {kind}: `{self.short(node)}` -> `{self.short(new)}`")

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        new = self.replaced(node, op=other)
        self.add(node, new, f"swap and/or: `{self.short(node)}` -> `{self.short(new)}`")
        for position, value in enumerate(node.values):
            rest = [v for i, v in enumerate(node.values) if i != position]
            new = rest[0] if len(rest) == 1 else self.replaced(node, values=rest)
            self.add(node, new, f"drop operand: `{self.short(value)}` of `{self.short(node)}`")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if type(node.op) in BINARY_SWAP:
            new = self.replaced(node, op=BINARY_SWAP[type(node.op)]())
            self.add(node, new, f"arithmetic: `{self.short(node)}` -> `{self.short(new)}`")

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if type(node.op) in BINARY_SWAP:
            new = self.replaced(node, op=BINARY_SWAP[type(node.op)]())
            self.add(node, new, f"arithmetic: `{self.short(node)}` -> `{self.short(new)}`", statement=True)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, (ast.Not, ast.USub, ast.Invert)):
            self.add(node, node.operand, f"drop unary: `{self.short(node)}` -> `{self.short(node.operand)}`")
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
                and type(node.operand.value) in (int, float):
            value = -node.operand.value + 1
            self.add(node, ast.Constant(value), f"constant: `{self.short(node)}` -> `{value!r}`")

    def visit_Constant(self, node: ast.Constant) -> None:
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub):
            return  # a negative number: changed as a whole in visit_UnaryOp
        value = node.value
        if isinstance(value, bool):
            new = not value
        elif isinstance(value, int):
            new = value + 1
        elif isinstance(value, float):
            new = 1.0 if value == 0 else value * 2
        else:
            return
        self.add(node, ast.Constant(new), f"constant: `{value!r}` -> `{new!r}`")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "inf":
            parent = self.parents.get(id(node))
            if not (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub)):
                new = ast.UnaryOp(ast.USub(), node)
                self.add(node, new, f"infinity: `{self.short(node)}` -> `{self.short(new)}`")
        elif node.attr in SWAPPED_NAMES and isinstance(node.ctx, ast.Load):
            new = self.replaced(node, attr=SWAPPED_NAMES[node.attr])
            self.add(node, new, f"swap name: `{self.short(node)}` -> `{self.short(new)}`")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in ("max", "min", "any", "all") and isinstance(node.ctx, ast.Load):
            new = ast.Name(SWAPPED_NAMES[node.id], ast.Load())
            self.add(node, new, f"swap name: `{node.id}` -> `{new.id}`")

    def visit_Call(self, node: ast.Call) -> None:
        for position, keyword in enumerate(node.keywords):
            if keyword.arg is None:
                continue
            new = self.replaced(node, keywords=[k for i, k in enumerate(node.keywords) if i != position])
            self.add(node, new, f"drop keyword: `{keyword.arg}={self.short(keyword.value, 30)}` of "
                                f"`{self.short(node.func, 30)}(...)`")

    def _condition(self, test: ast.AST, skip_block: bool) -> None:
        # a single comparison or a `not` is negated by the comparison and unary mutations already
        single = (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in COMPARE_NEGATION) \
            or (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not))
        if not single:
            self.add(test, ast.UnaryOp(ast.Not(), test), f"negate condition: `{self.short(test)}`")
        if skip_block:
            self.add(test, ast.Constant(False), f"skip block: `if {self.short(test)}` -> `if False`")

    def visit_If(self, node: ast.If) -> None:
        self._condition(node.test, skip_block=not node.orelse)

    def visit_While(self, node: ast.While) -> None:
        self._condition(node.test, skip_block=False)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._condition(node.test, skip_block=False)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for test in node.ifs:
            self._condition(test, skip_block=False)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            self.add(node, ast.Return(ast.Constant(None)), f"return None: `{self.short(node)}`", statement=True)

    def visit_Break(self, node: ast.Break) -> None:
        self.add(node, ast.Pass(), "drop `break`", statement=True)

    def visit_Continue(self, node: ast.Continue) -> None:
        self.add(node, ast.Pass(), "drop `continue`", statement=True)


def find_mutants(target: Target, root: Path = ROOT) -> list[Mutant]:
    source = (root / target.path).read_text(encoding="utf-8")
    mutants = _Finder(target.path, source, target.functions).find()
    valid = []
    for mutant in mutants:
        try:
            compile(mutant.apply(source), target.path, "exec")
        except SyntaxError:
            continue  # a change that does not compile is no mutant
        valid.append(mutant)
    return valid


# --- equivalent mutants -------------------------------------------------------------------------

def load_equivalents() -> list[dict]:
    """Entries ``{file, line, function, code, mutation, reason}``; a mutant matches on file, function,
    code and mutation (the line number is for the reader, so an entry survives edits elsewhere in
    the file)."""
    if not EQUIVALENTS.is_file():
        return []
    entries = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or []
    for number, entry in enumerate(entries, 1):
        missing = {"file", "line", "function", "code", "mutation", "reason"} - set(entry)
        if missing or not str(entry.get("reason", "")).strip():
            sys.exit(f"{EQUIVALENTS.name}: entry {number} lacks {sorted(missing) or ['a reason']}")
    return entries


def _key(file: str, function: str, code: str, mutation: str) -> tuple[str, str, str, str]:
    return file, function, " ".join(code.split()), mutation


# --- running ------------------------------------------------------------------------------------

class Workspace:
    """A copy of the repository (with ``../shared`` linked beside it) for one job."""

    def __init__(self, base: Path, number: int):
        self.folder = base / f"job{number}"
        self.tree = self.folder / "aandacht"
        shutil.copytree(ROOT, self.tree, ignore=shutil.ignore_patterns(
            ".git", ".venv", ".ci-venv", "__pycache__", ".pytest_cache", ".hypothesis", "aandacht-output", "rounds"))
        shared = ROOT.parent / "shared"
        if shared.is_dir():
            (self.folder / "shared").symlink_to(shared, target_is_directory=True)
        self.env = {**os.environ, "PYTHONPATH": str(self.tree / "src"), "PYTHONDONTWRITEBYTECODE": "1",
                    "PYTHONHASHSEED": "0"}

    def check_import(self) -> None:
        found = subprocess.run([sys.executable, "-c", "import aandacht; print(aandacht.__file__)"], env=self.env,
                               cwd=self.tree, capture_output=True, text=True, check=True).stdout.strip()
        if not Path(found).resolve().is_relative_to(self.tree.resolve()):
            sys.exit(f"the tests would import aandacht from {found}, not from the copy {self.tree}")

    def run_tests(self, tests: tuple[str, ...], timeout: float) -> tuple[str, float]:
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", "-n", "0", *tests]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=self.tree, env=self.env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - start
        seconds = time.perf_counter() - start
        if done.returncode == 0:
            return "survived", seconds
        if done.returncode in (1, 2, 3):  # tests failed, collection failed (the mutant breaks an import), internal error
            return "killed", seconds
        return f"error {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}", seconds

    def run_mutant(self, mutant: Mutant, source: str, tests: tuple[str, ...], timeout: float) -> None:
        path = self.tree / mutant.file
        try:
            path.write_text(mutant.apply(source), encoding="utf-8")
            mutant.outcome, mutant.seconds = self.run_tests(tests, timeout)
            if mutant.outcome == "timeout":  # once more with twice the time: the machine may have been busy
                mutant.outcome, mutant.seconds = self.run_tests(tests, 2 * timeout)
        finally:
            path.write_text(source, encoding="utf-8")
        if mutant.outcome.startswith("error"):  # interrupted run or usage error: killed would be a lie
            raise RuntimeError(f"{mutant.file}:{mutant.line}: pytest {mutant.outcome}")


def run_target(name: str, target: Target, workspaces: queue.Queue, snapshot: Path, equivalents: list[dict],
               progress) -> Result:
    """Mutate ``target`` in the copies (``snapshot`` is one of them, unchanged between runs)."""
    tests = tuple(t for t in target.tests if (snapshot / t).is_file())
    absent = sorted(set(target.tests) - set(tests))
    if absent:
        progress(f"{name}: test file(s) {absent} do not exist; running {list(tests)}")
    source = (snapshot / target.path).read_text(encoding="utf-8")
    mutants = find_mutants(target, snapshot)
    workspace = workspaces.get()
    try:
        outcome, baseline = workspace.run_tests(tests, timeout=600)
    finally:
        workspaces.put(workspace)
    if outcome != "survived":
        sys.exit(f"{name}: the tests fail on the unchanged code ({outcome}); fix them first")
    timeout = 3 * baseline + 15
    progress(f"{name}: {len(mutants)} mutants, tests take {baseline:.1f} s (timeout {timeout:.0f} s)")

    def one(mutant: Mutant) -> None:
        mutant.patch = mutant.diff(source)
        space = workspaces.get()
        try:
            space.run_mutant(mutant, source, tests, timeout)
        finally:
            workspaces.put(space)

    with concurrent.futures.ThreadPoolExecutor(max_workers=workspaces.qsize()) as pool:
        for done, _ in enumerate(pool.map(one, mutants), 1):
            if done % 25 == 0:
                progress(f"{name}: {done}/{len(mutants)}")
    result = Result(name, mutants)
    by_key = {_key(e["file"], e["function"], e["code"], e["mutation"]): e for e in equivalents if e["file"] == target.path}
    matched = set()
    for mutant in mutants:
        key = _key(mutant.file, mutant.function, mutant.code, mutant.description)
        if key in by_key and mutant.outcome == "survived":
            mutant.outcome, mutant.reason = "equivalent", by_key[key]["reason"]
            matched.add(key)
    # an entry whose mutant is gone, or is now killed, is not an equivalent mutant any more
    result.stale = [entry for key, entry in by_key.items() if key not in matched]
    return result


# --- report -------------------------------------------------------------------------------------

def report(results: list[Result], command: str, seconds: float) -> str:
    lines = [f"Mutation testing: `{command}` ({seconds / 60:.1f} min)", "",
             "| module | mutants | killed | timed out | survived | equivalent | score |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total = Result("total", [m for r in results for m in r.mutants])
    for result in [*results, total]:
        lines.append(f"| {result.target} | {len(result.mutants)} | {result.count('killed')} | {result.count('timeout')} | "
                     f"{result.count('survived')} | {result.count('equivalent')} | {100 * result.score:.1f}% |")
    for result in results:
        survivors = [m for m in result.mutants if m.outcome == "survived"]
        if survivors:
            lines += ["", f"## Survivors in {result.target} ({TARGETS[result.target].path})", ""]
            for mutant in survivors:
                lines += [f"* {mutant.file}:{mutant.line} ({mutant.function}): {mutant.description}", "```diff",
                          mutant.patch.rstrip(), "```"]
        if result.stale:
            lines += ["", f"## Entries of {EQUIVALENTS.name} for {result.target} that matched no surviving mutant", ""]
            lines += [f"* {e['file']}:{e['line']} ({e['function']}): {e['mutation']} (`{e['code']}`)" for e in result.stale]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help=f"targets (default all): {', '.join(TARGETS)}")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="test runs at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--report", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--stubs", type=Path, help="write the survivors as entries for the equivalents file (reason "
                                                   "left empty: fill it in for the equivalent ones, write tests for the others)")
    parser.add_argument("--min-score", type=float, default=0.9, help="exit code 1 below this score (default 0.9)")
    args = parser.parse_args(argv)
    names = []
    for wanted in args.targets or list(TARGETS):
        match = [n for n, t in TARGETS.items() if wanted in (n, t.path)]
        if not match:
            parser.error(f"unknown target {wanted!r}; targets: {', '.join(TARGETS)}")
        names += match
    if args.list:
        for name in names:
            for mutant in find_mutants(TARGETS[name]):
                print(f"{mutant.file}:{mutant.line} ({mutant.function}): {mutant.description}")
        return 0
    equivalents = load_equivalents()
    lock = threading.Lock()

    def progress(text: str) -> None:
        with lock:
            print(text, file=sys.stderr, flush=True)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aandacht-mutate-") as base:
        workspaces: queue.Queue = queue.Queue()
        for number in range(max(1, args.jobs)):
            space = Workspace(Path(base), number)
            space.check_import()
            workspaces.put(space)
        snapshot = workspaces.queue[0].tree
        results = [run_target(name, TARGETS[name], workspaces, snapshot, equivalents, progress) for name in names]
    command = "python tools/mutate.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(results, command.strip(), time.perf_counter() - start)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    if args.stubs:
        stubs = [{"file": m.file, "line": m.line, "function": m.function, "code": m.code, "mutation": m.description,
                  "reason": ""}
                 for r in results for m in r.mutants if m.outcome == "survived"]
        args.stubs.write_text(yaml.safe_dump(stubs, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    return 0 if all(r.score >= args.min_score for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
