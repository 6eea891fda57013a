"""A herijking round: score, analyse robustness, designate, select, and compare with the
previous round.

``run_herijking`` runs load, score, the robustness analyses, designation and selection for
round R (a year), reading the previous round's designations from its folder when given
(:mod:`aandacht.rounds.record`). The result holds everything the round folder is written
from (:mod:`aandacht.present.round_folder`): besides the scoring run, ``wijken.csv`` (per
area rank, score, probability, hard core, population, the rule outcomes, aangewezen, gebied
and reasons), ``indicatoren.csv`` (long table area_code, indicator, label, waarde (raw),
genormaliseerd, gewicht (nominal effective weight): what the next round compares with; and the
reference values gemeente and nederland where the inputs hold those rows; the value of an indicator
that counts people is "<N" under ``report.suppress_below``; it was scored as that class,
:func:`aandacht.inputs.plausible.published_class`, so its genormaliseerd gives no more away),
the gebieden, suggestions, reasons, IKCs and constraints, the changes against the previous
round, and ``ronde.json`` (round year, the previous round's year, term and thresholds, the aandachtsgebieden with their
areas and the Plus-IKCs with their start year and need figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Config, config_as_dict
from ..decide.designate import DesignationResult, designate, gemeente_values, national_values
from ..decide.ikc import IkcRegistry, load_ikcs, read_pupil_origin
from ..decide.select import COMPONENTS, SelectionResult, select_plus
from ..digest import sha256
from ..errors import ConfigError, DataError
from ..inputs.plausible import is_count_unit, suppressed
from ..inputs.reading import files_read_once
from ..inputs.vintages import VintageChoice, late_choices, late_sentence, resolve_round
from ..scoring.robustness import robustness_table
from ..scoring.run import ScoreRun, run_score
from ..text import first_of
from .causes import recorded_config, rule_changes, rule_text, same_inputs
from .compare import Causes, compare_records, identical_sentence
from .record import RoundRecord, previous_plus, read_round
from .schools import EVENT_COLUMNS, carry_over, event_sentence, events_since, read_school_changes, require_known_successors


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
    unplaced: pd.DataFrame | None = None  # IKCs with a score but no area, and what that costs (:func:`placement_cost`)
    uncovered: list[str] = field(default_factory=list)  # aandachtsgebieden without a Plus-IKC
    peildatum: int | None = None  # the year whose facts the round decides on (default: the round year)
    vintages: list[VintageChoice] = field(default_factory=list)  # per input the vintage read (inputs.vintages)
    causes: Causes | None = None  # what else than figures changed since the previous round (its school_events: gone schools)


UNPLACED_COLUMNS = ["brin_vestiging", "name", "bevoegd_gezag", "leerlingen", "achterstandsscore", "need", "rang_behoefte",
                    "boven_laagste_plus"]


def placement_cost(selection: SelectionResult, gebieden: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The IKCs with a score that have no area, and the aandachtsgebieden that got no Plus-IKC.

    An IKC without an area cannot lie in an aandachtsgebied, so it cannot become Plus-IKC however
    high its need. Per such IKC: its need as computed for every IKC (its area's score counts as 0),
    its rank by need among all IKCs (1 = highest), and whether that need is above the lowest need
    of the chosen Plus-IKCs (it would then compete for a place if it were placed)."""
    ikcs = selection.figures
    scored = ikcs[ikcs["achterstandsscore"].notna()]
    rank = scored["need"].rank(ascending=False, method="min")
    chosen = scored.loc[scored["plus_ikc"].astype(bool), "need"]
    lowest = chosen.min() if len(chosen) else np.nan
    lost = scored[scored["wijk_code"] == ""]
    table = pd.DataFrame({
        "brin_vestiging": lost["brin_vestiging"], "name": lost["name"], "bevoegd_gezag": lost["bevoegd_gezag"],
        "leerlingen": lost["leerlingen"], "achterstandsscore": lost["achterstandsscore"], "need": lost["need"],
        "rang_behoefte": rank.reindex(lost.index).astype("Int64"),
        "boven_laagste_plus": (lost["need"] > lowest) if not np.isnan(lowest) else False,
    }, columns=UNPLACED_COLUMNS).sort_values("rang_behoefte", ignore_index=True)
    covered = set(ikcs.loc[ikcs["plus_ikc"].astype(bool), "gebied"])
    return table, [g for g in gebieden if g not in covered]


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
    table["gemeente"] = table["indicator"].map(gemeente_values(run))
    table["nederland"] = table["indicator"].map(national_values(run))
    indicators = run.config.framework.indicators
    counts = table["indicator"].isin([i.id for i in indicators if is_count_unit(i.unit)])
    if counts.any():  # a count of people under the threshold is "<N" here already: this table goes to the overleg
        threshold = run.config.report.suppress_below
        for column in ("waarde", "gemeente", "nederland"):
            table[column] = table[column].astype(object).where(~counts, table[column].map(lambda v: suppressed(v, threshold)))
    return table


def wijk_table(designation: DesignationResult) -> pd.DataFrame:
    table = designation.areas.rename(columns={"rank": "rang", "probability": "kans", "hard_core": "harde_kern",
                                              "population": "populatie", "designated": "aangewezen"})
    return table.rename_axis("area_code").reset_index()


def source_records(vintages: list[VintageChoice]) -> list[dict]:
    """Per input the vintage a round read, for ``ronde.json``: invoer, bron, periode, jaar,
    van_de_peildatum and the SHA-256 of the file (so that the next round can tell identical inputs)."""
    return [{"invoer": v.input, "bron": v.label, "periode": v.period, "jaar": v.year, "van_de_peildatum": v.of_round_time,
             "sha256": sha256(v.path) if v.path.is_file() else None} for v in vintages]


def round_meta(config: Config, year: int, designation: DesignationResult, selection: SelectionResult,
               previous_year: int | None = None, peildatum: int | None = None,
               vintages: list[VintageChoice] | None = None) -> dict:
    """The JSON the next round reads (module docstring)."""
    chosen = selection.figures[selection.figures["plus_ikc"]]
    rules = config.selection
    return {
        "round": year,
        "peildatum": year if peildatum is None else peildatum,
        "bronnen": source_records(vintages or []),
        "previous_round": previous_year,
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


def round_facts(config: Config, year: int, peildatum: int, vintages: list[VintageChoice], ikcs: IkcRegistry, previous: RoundRecord | None,
                causes: Causes | None) -> dict[str, list[str]]:
    """The Dutch sentences page 1 of the report says about the round's facts (kept in ``ronde.json`` as
    ``toelichting``, so that ``report --round-dir`` says the same): ``bronnen`` (the peildatum, every source
    the score reads with its vintage, and the IKCs' list and figures), ``let_op`` (inputs with no vintage of the round's time; school figures
    older than the school list), ``wijzigingen`` (identical inputs first, changed rules, gone schools)."""
    used = {i.input for i in config.framework.indicators} | ({config.population.input} if config.population else set()) \
        | {name for rule in config.precedence.values() for name in rule.inputs}
    listed = [v.label for v in vintages if v.input in used]
    sources = [f"Peildatum {peildatum}; cijfers: {'; '.join(listed)}."]
    if ikcs.school_list is not None:
        sources.append(f"IKC's: de {len(ikcs.table)} scholen van {ikcs.school_list.label}"
                       + (f", behoefte volgens {ikcs.figures.label}." if ikcs.figures else "."))
    attention = [late_sentence(v, peildatum) for v in late_choices(vintages)]
    if ikcs.figures is not None and ikcs.figures.year is not None and peildatum - ikcs.figures.year > 2:
        attention.append(f"De keuze van de Plus-IKC's rust op schoolcijfers van {ikcs.figures.year} ({ikcs.figures.label}): "
                         f"er zijn geen nieuwere schoolcijfers van de tijd van deze ronde.")
    changes = []
    if previous is not None and causes is not None:
        same = identical_sentence(causes, previous.year, year)
        changes += [same] if same else []
        if causes.rules:
            changes.append(f"Regels gewijzigd sinds ronde {previous.year}: {rule_text(causes.rules)}.")
        changes += [event_sentence(row) + "." for row in causes.school_events.itertuples()]
    return {"bronnen": sources, "let_op": attention, "wijzigingen": changes}


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


@files_read_once()  # the gemeente's school list, read by several inputs and the IKCs, is parsed once
def run_herijking(
    config: Config,
    year: int,
    previous_dir: Path | None = None,
    probability: pd.Series | None = None,
    hard_core: pd.Series | None = None,
    peildatum: int | None = None,
) -> Herijking:
    """Load, score, analyse robustness, designate and select for round ``year`` on the facts of its
    peildatum (default: the round year; :func:`aandacht.inputs.vintages.resolve_round` takes each input's
    vintage of that time, :func:`aandacht.decide.ikc.load_ikcs` the schools of that time); compare with the
    previous round and say why things changed. ``probability`` and ``hard_core`` override the figures of
    the config's uncertainty and consensus analyses (for example to test a designation rule)."""
    if config.designation is None or config.selection is None:
        raise ConfigError(f"{config.source_file}: the config needs 'designation' and 'selection' sections for a herijking")
    previous = read_round(previous_dir, config.gemeente.code, config.level) if previous_dir is not None else None
    if previous is not None and previous.year >= year:
        raise DataError(f"{previous.source}: previous round {previous.year} is not before round {year}")
    peildatum = year if peildatum is None else peildatum
    config, vintages = resolve_round(config, peildatum)
    run = run_score(config)
    robustness = robustness_table(run)
    if probability is None:
        probability = robustness["p_designated"]
    if hard_core is None and robustness["hard_core"].notna().all():
        hard_core = robustness["hard_core"].astype(bool)
    designation = designate(run, config.designation, probability, hard_core)
    ikcs = load_ikcs(config, run.registry, peildatum)
    origin = read_pupil_origin(config.ikc.pupil_origin, ikcs, run.registry) if config.ikc.pupil_origin else None
    events = pd.DataFrame(columns=EVENT_COLUMNS)
    carried, carry_notes = None, []
    changed = read_school_changes(config.ikc.changes) if config.ikc.changes else None  # checked in every round
    if previous is not None:
        events = events_since(previous, ikcs, changed)
        require_known_successors(events, ikcs.table.index, config.ikc.changes)
        carried, carry_notes = carry_over(previous_plus(previous), events, ikcs.table["name"])
    selection = select_plus(
        ikcs, config.selection, designation.gebied_members(), run.registry, run.result.index, year, carried, origin,
    )
    record = RoundRecord(year, round_meta(config, year, designation, selection, previous.year if previous else None,
                                          peildatum, vintages),
                         wijk_table(designation),
                         indicator_table(run), selection.figures)
    causes = None
    if previous is not None:
        causes = Causes(rules=rule_changes(recorded_config(Path(previous.source)), config_as_dict(config)),
                        same_inputs=same_inputs(Path(previous.source), previous.meta, None, record.meta),
                        school_events=events)
    changes = compare_records(previous, record, causes) if previous is not None else {}
    record.meta["toelichting"] = round_facts(config, year, peildatum, vintages, ikcs, previous, causes)
    late = [f"LET OP: {late_sentence(v, peildatum)}" for v in late_choices(vintages)]
    gone = [f"{event_sentence(row)}" for row in events.itertuples()]
    notes = list(dict.fromkeys(late + gone + carry_notes + run.notes + designation.notes
                               + selection.notes))  # each once
    unplaced, uncovered = placement_cost(selection, list(designation.gebied_members()))
    if len(unplaced):
        notes.append(f"{len(unplaced)} IKC('s) met een score zonder gebied, die geen Plus-IKC kunnen worden: "
                     + first_of((f"{r.brin_vestiging} {r.name}" for r in unplaced.itertuples()), whole="niet_geplaatst.csv")
                     + (f"; aandachtsgebied(en) zonder Plus-IKC: {first_of(uncovered)}" if uncovered else ""))
    return Herijking(year, run, designation, selection, record, previous, changes, notes, ikcs, robustness,
                     unplaced, uncovered, peildatum, vintages, causes)
