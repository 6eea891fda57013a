"""Reading a config's YAML (aandacht.config.yaml_file): yaml.safe_load's values, and its silent
cases refused with the file, key path and line(s). The corpus cases in tests/bad_inputs run
the same through the CLI; these pin the reader's rules one by one."""

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.config.yaml_file import MAX_DEPTH, read_yaml
from aandacht.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("config", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_same_values_as_safe_load_on_the_shipped_configs(config):
    assert read_yaml(config) == yaml.safe_load(config.read_text(encoding="utf-8"))


def test_merge_keys_may_be_overridden_as_yaml_intends(tmp_path):
    path = write(tmp_path, "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n")
    assert read_yaml(path) == {"base": {"x": 1, "y": 2}, "c": {"x": 3, "y": 2}}


@pytest.mark.parametrize("text, where", [
    ("a: 1\nb: 2\na: 3\n", "a: duplicate key (line 1 and line 3)"),
    ("a:\n  b:\n    c: 1\n    c: 2\n", "a.b.c: duplicate key (line 3 and line 4)"),
    ("a:\n- x: 1\n- x: 1\n  y: 2\n  x: 5\n", "a[1].x: duplicate key (line 3 and line 5)"),
    ("a: {1: x, 01: y}\n", "a.01: duplicate key (line 1 and line 1)"),  # both the integer 1
    ("'a': 1\na: 2\n", "a: duplicate key (line 1 and line 2)"),  # quoted or not, the same key
])
def test_duplicate_keys_at_any_depth(tmp_path, text, where):
    with pytest.raises(ConfigError, match=re.escape(f"c.yaml: {where}")):
        read_yaml(write(tmp_path, text))


def test_distinct_keys_that_look_alike_are_fine(tmp_path):
    assert read_yaml(write(tmp_path, "a: {'1': x, 1: y}\n")) == {"a": {"1": "x", 1: "y"}}


@pytest.mark.parametrize("text, message", [
    ("w: 1e-400\n", "w (line 1): 1e-400 is too small to be a number here (it would be read as 0)"),
    ("w: 1.0e-400\n", "w (line 1): 1.0e-400 is too small"),
    ("w: [1, -2.5e-999]\n", "w[1] (line 1): -2.5e-999 is too small"),
    ("w: 1e400\n", "w (line 1): 1e400 is too large to be a number here (it would be read as infinity)"),
])
def test_numbers_that_vanish_or_overflow(tmp_path, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        read_yaml(write(tmp_path, text))


def test_zero_and_quoted_text_are_not_numbers_that_vanish(tmp_path):
    assert read_yaml(write(tmp_path, "a: 0\nb: 0.0e-400\nc: '1e-400'\nd: 1e-300\n")) == {"a": 0, "b": 0.0, "c": "1e-400", "d": "1e-300"}


def test_nesting_is_bounded_without_recursion_error(tmp_path):
    ok = write(tmp_path, "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n")
    assert read_yaml(ok) is not None
    for text in ("a: " + "[" * 20_000 + "]" * 20_000, "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 300))):
        with pytest.raises(ConfigError, match=f"nested more than {MAX_DEPTH} levels deep"):
            read_yaml(write(tmp_path, text))



@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML without libyaml: only the Python loader runs")
@pytest.mark.parametrize("brackets, inner, fine", [(MAX_DEPTH - 1, "", True), (MAX_DEPTH - 1, "1", False),
                                                   (MAX_DEPTH, "", False)])
def test_libyaml_counts_the_nesting_as_the_python_loader_does(tmp_path, brackets, inner, fine):
    """The nesting libyaml's events give (then libyaml composes) is the Python loader's: a document one
    level too deep goes to the Python loader, which refuses it in its own words."""
    from aandacht.config.yaml_file import _Loader, _parsed_in_c

    text = "a: " + "[" * brackets + inner + "]" * brackets + "\n"
    loader = _Loader(text)
    loader.source = tmp_path
    try:
        loader.get_single_node()
        composed = True
    except ConfigError:
        composed = False
    assert _parsed_in_c(text) is composed is fine
    assert _parsed_in_c("a: [1\n") is False  # a syntax error: the Python loader says where

def test_aliases_are_fine_until_they_expand_too_far(tmp_path):
    assert read_yaml(write(tmp_path, "a: &x [1, 2]\nb: *x\n")) == {"a": [1, 2], "b": [1, 2]}
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcde", "bcdef"))
    with pytest.raises(ConfigError, match="expands to more than 100,000 values"):
        read_yaml(write(tmp_path, bomb))


def test_a_config_path_that_is_a_folder(tmp_path):
    result = CliRunner().invoke(main, ["score", "--config", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path}: is a folder, not a config file; give the YAML file " \
                                    f"(for example {tmp_path / 'configs' / 'x.yaml'})"


def test_a_file_too_large_for_a_config(tmp_path):
    path = write(tmp_path, "a: 1\n" + "#" * 1_100_000 + "\n")
    with pytest.raises(ConfigError, match=r"c\.yaml: 1,100,006 bytes is too large for a config \(at most 1,000,000\)"):
        read_yaml(path)
