"""The files of a round folder (``rounds/<R>/``), written from a :class:`~aandacht.rounds.herijking.Herijking`.

Besides ``manifest.json`` (added by :mod:`aandacht.archive.output`):

* ``ranking.csv`` and ``scores.xlsx``: the scoring run, as written by ``aandacht score``;
* ``wijken.csv``, ``indicatoren.csv``, ``ronde.json``: what the next round reads
  (:mod:`aandacht.rounds.record`);
* ``aandachtsgebieden.csv``, ``suggesties_aangrenzend.csv``, ``redenen.csv``;
* ``ikcs.csv``: per IKC the need figures, eligibility, status, start year, marginal value;
* ``beperkingen.csv``: the constraints of the integer program, tight/binding and gain;
* ``wijzigingen_wijken.csv`` and ``wijzigingen_ikcs.csv`` when a previous round is given;
* ``robuustheid.csv``: chance of designation and rank interval per wijk;
* the maps (PNG) and the Dutch report (HTML, and PDF when asked).

CSV files are in the Dutch dialect of :func:`aandacht.present.tables.write_csv`; counts of people
under ``report.suppress_below`` (``populatie``, ``leerlingen``) are "<N" in every file, and
``intern-niet-delen.xlsx`` (only with ``report.internal_workbook: true``) holds them in full.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..rounds.herijking import Herijking
from ..rounds.record import ROUND_JSON
from .geopackage import write_round_geopackage
from .maps import map_frame, render_maps, save_figure
from .overlays import Overlays
from .placement import placement_summary, unplaced_table
from .report import ReportData, render_html, write_pdf
from .tables import score_writers, suppress_counts, write_csv


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
        "niet_geplaatst.csv": unplaced_table(result),
    }
    tables.update({f"wijzigingen_{name}.csv": table for name, table in result.changes.items()})
    if result.robustness is not None:
        tables["robuustheid.csv"] = result.robustness.reset_index()
    internal = {"wijken": result.record.wijken, "ikcs": selection.ikcs}
    writers = score_writers(result.run, internal=internal)
    threshold = result.run.config.report.suppress_below
    writers.update({name: (lambda path, t=suppress_counts(table, threshold): write_csv(t, path)) for name, table in tables.items()})
    text = json.dumps(result.record.meta, indent=2, ensure_ascii=False) + "\n"
    writers[ROUND_JSON] = lambda path: path.write_text(text, encoding="utf-8")
    if result.run.config.areas.geometry is not None:
        writers["ronde.gpkg"] = lambda path: write_round_geopackage(result, path)
    return writers


CHANGE_CODES = {"erbij": "entered", "eraf": "left", "gebleven": "stayed"}


def round_overlays(result: Herijking, robustness: pd.DataFrame | None = None):
    """What a round shows on its maps and in its report (:class:`aandacht.present.overlays.Overlays`):
    the designated gebieden with their member areas, every placed IKC as Plus-IKC (chosen),
    candidate (in an aandachtsgebied or with its pupils there, not chosen) or other, the wijk changes against the previous round,
    and the robustness table (area_code, p_designated, rank_p05, rank_median, rank_p95) when given."""
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
    frame = map_frame(result.run, round_overlays(result, robustness))
    dpi = result.run.config.maps.dpi
    writers = {f"{name}.png": (lambda path, fig=fig: save_figure(fig, path, dpi)) for name, fig in render_maps(frame).items()}
    html = render_html(ReportData(result.run, frame, manifest, result.selection.constraints, placement_summary(result)))
    writers["rapport.html"] = lambda path: path.write_text(html, encoding="utf-8")
    if pdf:
        writers["rapport.pdf"] = lambda path: write_pdf(html, path)
    return writers
