"""tools/mutation_equivalents.yaml: the file tools/mutate.py reads (a YAML error there stops every
mutation run) is valid, every entry has its keys and a reason, and the line each entry names is still
in its file (an entry whose code is gone can match no mutant: it must be removed or updated)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.yaml"


def test_every_equivalent_entry_is_whole_and_names_a_line_that_exists():
    entries = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8"))
    assert len(entries) > 90
    sources: dict[str, str] = {}  # each file's text with runs of white space as one space (as mutate.py's _key)
    for number, entry in enumerate(entries, 1):
        assert {"file", "line", "function", "code", "mutation", "reason"} <= set(entry), number
        assert str(entry["reason"]).strip(), number
        if entry["file"] not in sources:
            sources[entry["file"]] = " ".join((ROOT / entry["file"]).read_text(encoding="utf-8").split())
        assert " ".join(entry["code"].split()) in sources[entry["file"]], (number, entry["file"], entry["code"])
