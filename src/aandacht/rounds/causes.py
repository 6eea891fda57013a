"""Why a round differs from the previous one, besides new figures: the inputs, the rules, the schools.

* **Inputs**: per input the file the round read (its SHA-256, recorded in ``ronde.json`` as
  ``bronnen``; for a round written before that, the manifest's ``inputs.<name>.path``). When every
  input of both rounds is the same file, the rounds computed from identical figures, and that is
  said first.
* **Rules**: the config keys that decide the round (``RULE_SECTIONS``: level, population gate,
  framework, method, designation, selection, consensus, uncertainty) compared key by key between the
  previous round's recorded config (its manifest) and this one: ``designation.top_k: 7 -> 5``.
"""

from __future__ import annotations

import json
from pathlib import Path

RULE_SECTIONS = ("level", "population", "framework", "method", "designation", "selection", "consensus", "uncertainty")


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out |= _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        out = {}
        for item in value:  # framework nodes and indicators: by id, so that order does not count
            out |= _flatten({k: v for k, v in item.items() if k != "id"}, f"{prefix}[{item['id']}]")
        return out
    return {prefix: value}


def rule_changes(old_config: dict, new_config: dict) -> list[tuple[str, object, object]]:
    """(key path, old value, new value) for every rule key that differs (module docstring)."""
    old = _flatten({k: old_config.get(k) for k in RULE_SECTIONS})
    new = _flatten({k: new_config.get(k) for k in RULE_SECTIONS})
    return [(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def _shown(value) -> str:
    return "niet gezet" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) \
        else str(value).replace(".", ",") if isinstance(value, float) else str(value)


SECTION_NAMES = {"level": "niveau", "population": "bevolkingsdrempel", "framework": "indicatoren en gewichten",
                 "method": "rekenmethode", "designation": "aanwijzing", "selection": "keuze Plus-IKC's",
                 "consensus": "harde kern", "uncertainty": "onzekerheidsanalyse"}


RULE_NAMES = {  # the rules an overleg changes most, in its own words
    "level": "niveau", "designation.top_k": "aantal aandachtsgebieden", "designation.min_score": "minimumscore",
    "designation.min_probability": "minimale kans op aanwijzing", "designation.consensus": "harde kern",
    "designation.min_population": "minimaal aantal huishoudens met kinderen",
    "designation.combine": "samenvoegen van aangewezen gebieden", "selection.count": "aantal Plus-IKC's",
    "selection.budget.total": "budget", "selection.budget.per_ikc": "budget per Plus-IKC",
    "selection.continuity.term_years": "looptijd Plus-predicaat", "selection.continuity.entry_need": "instapdrempel",
    "selection.continuity.exit_need": "uitstapdrempel", "population.minimum": "bevolkingsdrempel",
    "method.normalisation.method": "normalisatie", "method.aggregation.method": "aggregatie",
}


def rule_text(changes: list[tuple[str, object, object]]) -> str:
    """Dutch: 'aantal aandachtsgebieden 7 -> 5; aantal Plus-IKC's 9 -> 10'; a rule without a Dutch name is
    named by its part of the config and its key, 'rekenmethode (method.treatment.skew) 2 -> 3' ('' when
    nothing changed)."""
    def name(key: str) -> str:
        return RULE_NAMES.get(key) or f"{SECTION_NAMES.get(key.split('.')[0].split('[')[0], 'regel')} ({key})"

    return "; ".join(f"{name(key)} {_shown(old)} -> {_shown(new)}" for key, old, new in changes)


def _manifest(round_dir: Path | None) -> dict:
    """A round folder's ``manifest.json`` ({} without a folder, a file or a JSON object)."""
    try:
        manifest = json.loads((Path(round_dir) / "manifest.json").read_text(encoding="utf-8")) if round_dir else {}
    except (OSError, json.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def recorded_config(round_dir: Path) -> dict:
    """The config a round folder's manifest records ({} when it has none)."""
    config = _manifest(round_dir).get("config")
    return config if isinstance(config, dict) else {}


def recorded_sources(round_dir: Path | None, meta: dict) -> dict[str, str]:
    """Input name -> SHA-256 of the file a round read (with the vintage's period): ``ronde.json``
    ``bronnen``, else its manifest (SHA-256 only; a round not yet written, ``round_dir`` None, has its
    ``bronnen``)."""
    sources = meta.get("bronnen")
    if isinstance(sources, list):  # the file and the vintage in it (one table holds several school lists)
        return {str(s.get("invoer")): f"{s.get('sha256')} {s.get('periode')}" for s in sources if isinstance(s, dict)}
    inputs = _manifest(round_dir).get("inputs", {})
    if not isinstance(inputs, dict):
        return {}
    return {key.split(".")[1]: str(entry.get("sha256")) for key, entry in inputs.items()
            if key.startswith("inputs.") and key.endswith(".path") and key.count(".") == 2 and isinstance(entry, dict)}


def same_inputs(old_dir: Path, old_meta: dict, new_dir: Path | None, new_meta: dict) -> bool:
    """Whether two rounds read identical inputs (:func:`recorded_sources`); when either was written before the
    vintages (no ``bronnen``), the files alone are compared."""
    old, new = recorded_sources(old_dir, old_meta), recorded_sources(new_dir, new_meta)
    if "bronnen" not in old_meta or "bronnen" not in new_meta:
        old, new = ({name: value.split(" ")[0] for name, value in sources.items()} for sources in (old, new))
    return bool(old) and old == new
