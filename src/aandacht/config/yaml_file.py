"""Reading a YAML config: ``yaml.safe_load`` semantics, with the checks it lacks.

PyYAML's safe loader keeps the last of two equal keys without a word, follows aliases
without limit and recurses once per nesting level. :func:`read_yaml` reads the same
documents to the same values, but first refuses, with one line naming the file, the key
path and the line(s):

* a key given twice in one mapping, at any depth (a second ``top_k`` or ``report:`` would
  silently replace the first); a merge key ``<<`` may still be overridden, as YAML intends;
* a file larger than :data:`MAX_BYTES` (a config is a few kilobytes);
* nesting deeper than :data:`MAX_DEPTH` levels (a config needs about six);
* a document that, following its aliases (``*name``), expands to more than
  :data:`MAX_NODES` values (an alias bomb), or an alias that contains itself;
* a plain number that the float conversion turns into 0 or infinity (``1e-400``,
  ``1e400``): it would change meaning without a trace.

Nothing is evaluated: only the safe loader's plain data types are built.

Where PyYAML has libyaml (``yaml.CSafeLoader``), the document is parsed in C, about ten times
faster (a config took 40 ms in Python): a first pass over its events measures the nesting
without recursion, then libyaml composes the nodes the checks above and the safe loader's
constructor read alike. A document that is nested too deep or that libyaml refuses is read
again by the Python loader, so that every error reads as it always did.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from ..errors import ConfigError

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 100_000
_MERGE = "tag:yaml.org,2002:merge"
# A plain scalar written as a decimal number (YAML 1.1 also reads 1e5 as text; pydantic then converts it).
_NUMBER = re.compile(r"^[-+]?(\d[\d_]*)?(\.[\d_]*)?([eE][-+]?\d+)?$")


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than :data:`MAX_DEPTH` while it composes."""

    source: Path
    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1
                raise ConfigError(f"{self.source}: line {line}: the YAML is nested more than {MAX_DEPTH} levels deep; "
                                  "a config needs about six")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_C_LOADER = getattr(yaml, "CSafeLoader", None)  # None where PyYAML was built without libyaml
_OPENS, _CLOSES = (yaml.SequenceStartEvent, yaml.MappingStartEvent), (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, *_OPENS)


def _parsed_in_c(text: str) -> bool:
    """Whether libyaml parses ``text`` with every node at most :data:`MAX_DEPTH` levels deep (the depth
    :class:`_Loader` counts: the top node is level 1), counted over its events, without recursion."""
    if _C_LOADER is None:
        return False
    parser, depth = _C_LOADER(text), 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, _NODE_EVENTS) and depth + 1 > MAX_DEPTH:
                return False
            depth += isinstance(event, _OPENS) - isinstance(event, _CLOSES)
    except yaml.YAMLError:
        return False
    finally:
        parser.dispose()
    return True


def read_yaml(path: Path) -> object:
    """The data of the YAML file ``path``, as ``yaml.safe_load`` gives it, after the checks of
    the module docstring. ``yaml.YAMLError`` (a syntax error) and ``OSError`` pass to the caller."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ConfigError(f"{path}: {size:,} bytes is too large for a config (at most {MAX_BYTES:,}); is this the right file?")
    text = path.read_text(encoding="utf-8")
    loader = _C_LOADER(text) if _parsed_in_c(text) else _Loader(text)
    loader.source = path
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, path, {}, set())
        _check(node, path, loader, [], set())
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _key_path(parts: list) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text or "(top level)"


def _expanded_size(node: yaml.Node, source: Path, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """The number of values ``node`` stands for with every alias written out (memoised per node)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise ConfigError(f"{source}: line {node.start_mark.line + 1}: an alias refers to a value that contains it "
                          "(a recursive structure); write the value out")
    open_nodes.add(key)
    children = []
    if isinstance(node, yaml.MappingNode):
        children = [item for pair in node.value for item in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    size = 1
    for child in children:
        size += _expanded_size(child, source, sizes, open_nodes)
        if size > MAX_NODES:
            raise ConfigError(f"{source}: the YAML expands to more than {MAX_NODES:,} values through its aliases "
                              "(*name); a config needs far fewer")
    open_nodes.discard(key)
    sizes[key] = size
    return size


def _check(node: yaml.Node, source: Path, loader: _Loader, path: list, seen: set[int]) -> None:
    """Duplicate keys and numbers that vanish or overflow, anywhere under ``node`` (each node once)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        _check_number(node, source, path)
    elif isinstance(node, yaml.SequenceNode):
        for position, child in enumerate(node.value):
            _check(child, source, loader, [*path, position], seen)
    elif isinstance(node, yaml.MappingNode):
        first: dict[object, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                _check(value_node, source, loader, path, seen)
                continue
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            label = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            if key is not None and _hashable(key):
                if key in first:
                    raise ConfigError(
                        f"{source}: {_key_path([*path, label])}: duplicate key (line {first[key].start_mark.line + 1} "
                        f"and line {key_node.start_mark.line + 1}); YAML would silently keep the last, so give it once"
                    )
                first[key] = key_node
            _check(key_node, source, loader, [*path, label], seen)
            _check(value_node, source, loader, [*path, label], seen)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _check_number(node: yaml.ScalarNode, source: Path, path: list) -> None:
    """Refuse a plain number whose float is 0 although its digits are not (underflow) or infinite (overflow)."""
    text = node.value.strip()
    if node.style or not _NUMBER.match(text) or not any(c.isdigit() for c in text):  # plain: None, '' in libyaml
        return
    value = float(text.replace("_", ""))
    mantissa = re.split(r"[eE]", text)[0]
    where = f"{source}: {_key_path(path)} (line {node.start_mark.line + 1})"
    if value == 0 and any(c in "123456789" for c in mantissa):
        raise ConfigError(f"{where}: {text} is too small to be a number here (it would be read as 0); "
                          "write 0 if 0 is meant")
    if math.isinf(value):
        raise ConfigError(f"{where}: {text} is too large to be a number here (it would be read as infinity)")
