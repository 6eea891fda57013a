"""A herijking round: score, designate, select, and the round folder the next round reads.

``run_herijking`` runs load, score, designation and selection for round R (a year),
reading the previous round's designations from its folder when given. A round folder
(``rounds/<R>/``) holds, besides ``manifest.json``:

* ``ranking.csv`` and ``scores.xlsx``: the scoring run, as written by ``aandacht score``;
* ``wijken.csv``: per area rank, score, probability, hard core, population, the rule
  outcomes, aangewezen, gebied and reasons;
* ``indicatoren.csv``: long table area_code, indicator, label, waarde (raw),
  genormaliseerd, gewicht (nominal effective weight) - what the next round compares with;
* ``aandachtsgebieden.csv``, ``suggesties_aangrenzend.csv``, ``redenen.csv``;
* ``ikcs.csv``: per IKC the need figures, eligibility, status, start year, marginal value;
* ``beperkingen.csv``: the constraints of the integer program, tight/binding and gain;
* ``wijzigingen_wijken.csv`` and ``wijzigingen_ikcs.csv`` when a previous round is given;
* ``ronde.json``: round year, term and thresholds, the aandachtsgebieden with their
  areas and the Plus-IKCs with their start year and need figures.

CSV files are in the Dutch dialect of :func:`aandacht.tables.write_csv`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Config
from .designate import DesignationResult, designate
from .errors import ConfigError, DataError
from .ikc import IkcRegistry, load_ikcs, read_pupil_origin
from .pipeline import ScoreRun, run_score
from .robustness import uncertainty
from .select import COMPONENTS, PreviousPlus, SelectionResult, select_plus
from .tables import ranking, read_csv_nl, write_csv, write_workbook

ROUND_JSON = "ronde.json"
ROUND_CSVS = ("wijken.csv", "indicatoren.csv", "ikcs.csv")


@dataclass
class RoundRecord:
    """A round as the next round sees it: its JSON and its machine-readable tables."""

    year: int
    meta: dict
    wijken: pd.DataFrame
    indicatoren: pd.DataFrame
    ikcs: pd.DataFrame
    source: str = ""


@dataclass
class Herijking:
    year: int
    run: ScoreRun
    designation: DesignationResult
    selection: SelectionResult
    record: RoundRecord
    previous: RoundRecord | None = None
    changes: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ikc_registry: IkcRegistry | None = None
    robustness: pd.DataFrame | None = None  # per scored area: p_designated, rank_p05, rank_median, rank_p95, hard_core


def read_round(path: Path) -> RoundRecord:
    """Read a round folder written by :func:`write_round`."""
    path = Path(path)
    if not path.is_dir():
        raise DataError(f"{path}: round folder not found")
    missing = [name for name in (ROUND_JSON, *ROUND_CSVS) if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not a round folder (missing {missing}); it must be written by 'aandacht herijking'")
    try:
        meta = json.loads((path / ROUND_JSON).read_text(encoding="utf-8"))
        year = int(meta["round"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise DataError(f"{path / ROUND_JSON}: unreadable round file ({error})") from None
    wijken, indicatoren, ikcs = (read_csv_nl(path / name) for name in ROUND_CSVS)
    ikcs["brin_vestiging"] = ikcs["brin_vestiging"].astype(str)
    return RoundRecord(year, meta, wijken, indicatoren, ikcs, str(path))


def previous_plus(record: RoundRecord) -> list[PreviousPlus]:
    """The Plus-IKCs of a round with their start year and need figures."""
    try:
        return [PreviousPlus(p["brin_vestiging"], p["name"], int(p["start_year"]), dict(p.get("figures", {})))
                for p in record.meta["plus_ikcs"]]
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"{record.source}/{ROUND_JSON}: plus_ikcs entry lacks {error}") from None


def indicator_table(run: ScoreRun) -> pd.DataFrame:
    """The long table of raw values, normalised values and nominal effective weights."""
    result = run.result
    weights = result.tree.nominal_effective_weights()
    labels = {i.id: i.label for i in run.config.framework.indicators}
    raw = run.matrix.values.stack(future_stack=True).rename("waarde")
    normalised = result.normalised.reindex(run.matrix.values.index).stack(future_stack=True).rename("genormaliseerd")
    table = pd.concat([raw, normalised], axis=1).rename_axis(["area_code", "indicator"]).reset_index()
    table.insert(2, "label", table["indicator"].map(labels))
    table["gewicht"] = table["indicator"].map(weights)
    return table


def wijk_table(designation: DesignationResult) -> pd.DataFrame:
    table = designation.areas.rename(columns={"rank": "rang", "probability": "kans", "hard_core": "harde_kern",
                                              "population": "populatie", "designated": "aangewezen"})
    return table.rename_axis("area_code").reset_index()


def round_meta(config: Config, year: int, designation: DesignationResult, selection: SelectionResult) -> dict:
    """The JSON the next round reads (module docstring)."""
    chosen = selection.ikcs[selection.ikcs["plus_ikc"]]
    rules = config.selection
    return {
        "round": year,
        "gemeente": {"code": config.gemeente.code, "name": config.gemeente.name},
        "level": config.level,
        "continuity": rules.continuity.model_dump(),
        "n_plus": selection.n_plus,
        "aandachtsgebieden": [{"gebied": g, "areas": areas} for g, areas in designation.gebied_members().items()],
        "plus_ikcs": [
            {"brin_vestiging": row.brin_vestiging, "name": row.name, "start_year": int(row.startjaar),
             "status": row.status, "figures": {k: _number(getattr(row, k)) for k in ("need", *COMPONENTS)}}
            for row in chosen.itertuples()
        ],
    }


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def robustness_table(run: ScoreRun) -> pd.DataFrame:
    """Per scored area: the chance of designation and the 5-50-95% rank from the config's
    uncertainty analysis (no Sobol indices: the herijking needs the per-area figures only), and
    whether the area is in the hard core of the source families (NaN with fewer than two families)."""
    from .scoring.consensus import consensus, families

    analysis = uncertainty(run, sobol=False)
    table = analysis.areas.rename(columns={"median_rank": "rank_median"})
    table = table.loc[:, ["p_designated", "rank_p05", "rank_median", "rank_p95"]].rename_axis("area_code")
    table["hard_core"] = np.nan
    if len(families(run.config)) >= 2:
        core = set(consensus(run.matrix.scored_values, run.config).hard_core)
        table["hard_core"] = table.index.isin(core)
    return table


def run_herijking(
    config: Config,
    year: int,
    previous_dir: Path | None = None,
    probability: pd.Series | None = None,
    hard_core: pd.Series | None = None,
) -> Herijking:
    """Load, score, analyse robustness, designate and select for round ``year``; compare with the
    previous round. ``probability`` and ``hard_core`` override the figures of the config's
    uncertainty and consensus analyses (for example to test a designation rule)."""
    from .compare import compare_records

    if config.designation is None or config.selection is None:
        raise ConfigError(f"{config.source_file}: the config needs 'designation' and 'selection' sections for a herijking")
    previous = read_round(previous_dir) if previous_dir is not None else None
    if previous is not None and previous.year >= year:
        raise DataError(f"{previous.source}: previous round {previous.year} is not before round {year}")
    if previous is not None and previous.meta.get("gemeente", {}).get("code") != config.gemeente.code:
        raise DataError(f"{previous.source}: previous round is for gemeente {previous.meta.get('gemeente')}, "
                        f"not {config.gemeente.code}")
    run = run_score(config)
    robustness = robustness_table(run)
    if probability is None:
        probability = robustness["p_designated"]
    if hard_core is None and robustness["hard_core"].notna().all():
        hard_core = robustness["hard_core"].astype(bool)
    designation = designate(run, config.designation, probability, hard_core)
    ikcs = load_ikcs(config, run.registry)
    origin = read_pupil_origin(config.ikc.pupil_origin, ikcs, run.registry) if config.ikc.pupil_origin else None
    selection = select_plus(
        ikcs, config.selection, designation.gebied_members(), run.registry, run.result.index, year,
        previous_plus(previous) if previous else None, origin,
    )
    record = RoundRecord(year, round_meta(config, year, designation, selection), wijk_table(designation),
                         indicator_table(run), selection.ikcs)
    changes = compare_records(previous, record) if previous is not None else {}
    notes = run.notes + designation.notes + selection.notes
    return Herijking(year, run, designation, selection, record, previous, changes, notes, ikcs, robustness)


def round_writers(result: Herijking) -> dict:
    """File name -> writer for every file of the round folder (module docstring)."""
    designation, selection = result.designation, result.selection
    tables = {
        "wijken.csv": result.record.wijken,
        "indicatoren.csv": result.record.indicatoren,
        "aandachtsgebieden.csv": designation.gebieden,
        "suggesties_aangrenzend.csv": designation.suggestions,
        "redenen.csv": designation.reasons,
        "ikcs.csv": selection.ikcs,
        "beperkingen.csv": selection.constraints,
    }
    tables.update({f"wijzigingen_{name}.csv": table for name, table in result.changes.items()})
    if result.robustness is not None:
        tables["robuustheid.csv"] = result.robustness.reset_index()
    writers = {
        "ranking.csv": lambda path: write_csv(ranking(result.run), path),
        "scores.xlsx": lambda path: write_workbook(result.run, path),
    }
    writers.update({name: (lambda path, t=table: write_csv(t, path)) for name, table in tables.items()})
    text = json.dumps(result.record.meta, indent=2, ensure_ascii=False) + "\n"
    writers[ROUND_JSON] = lambda path: path.write_text(text, encoding="utf-8")
    return writers


CHANGE_CODES = {"erbij": "entered", "eraf": "left", "gebleven": "stayed"}


def round_overlays(result: Herijking, robustness: pd.DataFrame | None = None):
    """What a round shows on its maps and in its report (:class:`aandacht.overlays.Overlays`):
    the designated gebieden with their member areas, every placed IKC as Plus-IKC (chosen),
    candidate (in an aandachtsgebied or with its pupils there, not chosen) or other, the wijk changes against the previous round,
    and the robustness table (area_code, p_designated, rank_p05, rank_median, rank_p95) when given."""
    from .overlays import Overlays

    areas = result.designation.areas
    designated = areas[areas["designated"]]
    gebieden = pd.DataFrame({"gebied": designated["gebied"].to_numpy(), "area_code": designated.index.to_numpy()})
    chosen = result.selection.ikcs.set_index("brin_vestiging")
    located = result.ikc_registry.table.dropna(subset=["x_rd", "y_rd"])
    chosen = chosen.loc[chosen.index.intersection(located.index)]
    in_gebied = chosen["in_gebied_of_leerlingen"].astype(bool)
    status = np.where(chosen["plus_ikc"], "plus-ikc", np.where(in_gebied, "candidate", "other"))
    ikcs = pd.DataFrame({
        "name": chosen["name"], "x_rd": located.loc[chosen.index, "x_rd"], "y_rd": located.loc[chosen.index, "y_rd"],
        "status": status, "area_code": chosen["wijk_code"], "bestuur": chosen["bevoegd_gezag"], "need": chosen["need"],
        "eligible": chosen["verkiesbaar"], "continuity": chosen["status"], "reason": chosen["toelichting"],
    }).reset_index(drop=True)
    changes = None
    if "wijken" in result.changes:
        table = result.changes["wijken"]
        changes = pd.DataFrame({
            "area_code": table["area_code"], "change": table["wijziging"].map(CHANGE_CODES),
            "previous_rank": table["rang_oud"], "previous_score": table["score_oud"],
        })
    if robustness is None and result.robustness is not None:
        robustness = result.robustness.drop(columns="hard_core").reset_index()
    return Overlays(gebieden=gebieden, ikcs=ikcs, robustness=robustness, changes=changes)


def visual_writers(result: Herijking, manifest: dict, robustness: pd.DataFrame | None = None, pdf: bool = False) -> dict:
    """The maps (PNG) and the Dutch report (HTML, and PDF when asked) of a round, as writers."""
    from .maps import map_frame, render_maps, save_figure
    from .report import ReportData, render_html, write_pdf

    frame = map_frame(result.run, round_overlays(result, robustness))
    dpi = result.run.config.maps.dpi
    writers = {f"{name}.png": (lambda path, fig=fig: save_figure(fig, path, dpi)) for name, fig in render_maps(frame).items()}
    html = render_html(ReportData(result.run, frame, manifest, result.selection.constraints))
    writers["rapport.html"] = lambda path: path.write_text(html, encoding="utf-8")
    if pdf:
        writers["rapport.pdf"] = lambda path: write_pdf(html, path)
    return writers
