"""The files of a round folder (``rounds/<R>/``), written from a :class:`~aandacht.rounds.herijking.Herijking`,
and read back for maps and report.

Besides ``manifest.json`` (added by :mod:`aandacht.archive.output`):

* ``ranking.csv`` and ``scores.xlsx``: the scoring run, as written by ``aandacht score``;
* ``wijken.csv``, ``indicatoren.csv``, ``ronde.json``: what the next round reads
  (:mod:`aandacht.rounds.record`);
* ``aandachtsgebieden.csv``, ``suggesties_aangrenzend.csv``, ``redenen.csv``;
* ``ikcs.csv``: per IKC the need figures, eligibility, status, start year, marginal value and
  its location (``x_rd``, ``y_rd``, empty when unknown), so that the maps can be drawn again;
* ``beperkingen.csv``: the constraints of the integer program in Dutch (beperking, waarde, teken, grens, krap,
  winst_zonder, bindend; ja/nee);
* ``wijzigingen_wijken.csv`` and ``wijzigingen_ikcs.csv`` when a previous round is given;
* ``robuustheid.csv``: per wijk ``kans_aanwijzing`` (chance of designation), ``rang_p05``,
  ``rang_mediaan``, ``rang_p95`` (rank interval) and ``harde_kern``;
* the maps (PNG) and the Dutch report (HTML, and PDF when asked).

CSV files are in the Dutch dialect of :func:`aandacht.present.tables.write_csv`; counts of people
under ``report.suppress_below`` (``populatie``, ``leerlingen``) are "<N" in every file, and
``intern-niet-delen.xlsx`` (only with ``report.internal_workbook: true``) holds them in full.

:func:`read_round_overlays` reads a round folder back into what maps and report show (the
gebieden, IKCs, chances, changes, round years, the history of earlier rounds and the
constraints), without recomputing any of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..dutch import internal_columns
from ..errors import DataError
from ..inputs.reading import read_csv_nl
from ..rounds.herijking import Herijking
from ..rounds.record import MANIFEST, ROUND_JSON, open_round, read_round_table
from .drawing import Drawer, Drawn, draw_all
from .maps import map_builders, map_frame
from .orientation import load_layers
from .overlays import Overlays, check_changes, check_ikcs, check_robustness, is_true
from .placement import placement_summary, unplaced_table
from .report import ReportData, report_data, report_dpi, report_html
from .tables import count_indicators, score_writers, suppress_counts, write_csv

HISTORY_COLUMNS = ["year", "area_code", "rank", "score"]
# The columns of the selection's constraints table (aandacht.decide.optimise), published in Dutch in beperkingen.csv
CONSTRAINT_COLUMNS = ("constraint", "lhs", "sense", "bound", "tight", "gain", "binding")
# What this process does while the second one draws maps (:func:`round_maps`), in the unit of
# aandacht.present.drawing.WEIGHTS (CPU seconds on the 2-core machine, Leeuwarden): laying out the report
# (0.3 s), writing the tables, workbook and GeoPackage (0.25 s), and importing matplotlib for a map of its
# own (0.4 s; the second process imported it while the round was computed; this one needs matplotlib for
# nothing else, present/palettes.py); with --pdf also the PDF's first layout (0.45 s, typeset.PdfLayout).
# Leeuwarden after a previous round (five maps, 0.92 by the weights of 8 December): the second process
# draws all five, with or without --pdf.
MEANWHILE = 0.95
PDF_MEANWHILE = 0.45


def read_constraints(path: Path) -> pd.DataFrame:
    """``beperkingen.csv`` of a round with the internal column names, from the Dutch names or the English
    ones of rounds written before (krap and bindend as booleans, from ``ja``/``nee`` or ``True``/``False``)."""
    return internal_columns(read_csv_nl(path), CONSTRAINT_COLUMNS)


def ikc_table(result: Herijking, marginal: bool = True) -> pd.DataFrame:
    """The selection's IKC table with each IKC's location (x_rd, y_rd; NaN when unknown); ``marginal=False``:
    without the marginal values, which maps and report do not show (computed on first use:
    :class:`aandacht.decide.select.SelectionResult`)."""
    table = result.selection.ikcs if marginal else result.selection.figures
    located = result.ikc_registry.table[["x_rd", "y_rd"]] if result.ikc_registry is not None else None
    if located is None:
        return table.assign(x_rd=np.nan, y_rd=np.nan)
    return table.join(located, on="brin_vestiging")


def round_writers(result: Herijking) -> dict:
    """File name -> writer for every file of the round folder (module docstring)."""
    designation, selection = result.designation, result.selection
    tables = {
        "wijken.csv": result.record.wijken,
        "indicatoren.csv": result.record.indicatoren,
        "aandachtsgebieden.csv": designation.gebieden,
        "suggesties_aangrenzend.csv": designation.suggestions,
        "redenen.csv": designation.reasons,
        "ikcs.csv": ikc_table(result),
        "beperkingen.csv": selection.constraints,
        "niet_geplaatst.csv": unplaced_table(result),
    }
    tables.update({f"wijzigingen_{name}.csv": table for name, table in result.changes.items()})
    if result.robustness is not None:
        tables["robuustheid.csv"] = result.robustness.reset_index()
    internal = {"wijken": result.record.wijken, "ikcs": selection.ikcs}
    writers = score_writers(result.run, internal=internal)
    threshold, counts = result.run.config.report.suppress_below, count_indicators(result.run.config)
    writers.update({name: (lambda path, t=suppress_counts(table, threshold, counts): write_csv(t, path))
                    for name, table in tables.items()})
    text = json.dumps(result.record.meta, indent=2, ensure_ascii=False) + "\n"
    writers[ROUND_JSON] = lambda path: path.write_text(text, encoding="utf-8")
    if result.run.config.areas.geometry is not None:
        from .geopackage import write_round_geopackage  # with its xml and urllib (20 ms), once the maps are being drawn

        writers["ronde.gpkg"] = lambda path: write_round_geopackage(result, map_frame(result.run, round_overlays(result)),
                                                                    path)
    return writers


def history_of(record_wijken: pd.DataFrame, year: int) -> pd.DataFrame:
    """A round's rank and score per area (from its ``wijken.csv``) in the history layout."""
    return pd.DataFrame({"year": year, "area_code": record_wijken["area_code"].astype(str),
                         "rank": pd.to_numeric(record_wijken["rang"], errors="coerce"),
                         "score": pd.to_numeric(record_wijken["score"], errors="coerce")})


def earlier_rounds(rounds_dir: Path | None, year: int, gemeente: str, extra: list[Path] = (),
                   level: str | None = None) -> pd.DataFrame:
    """Rank and score per area of every round folder before ``year`` of the same gemeente (and
    ``level``, when given): the folders in ``rounds_dir`` named by a year (``2024``, not
    ``2024.replaced-...``) that hold a ``ronde.json``, and ``extra`` (for example ``--previous``
    elsewhere; a folder named twice is read once). Each is read only once it has proved itself
    (:func:`aandacht.rounds.record.open_round`: unchanged since written, a valid ``ronde.json``, its
    areas its gemeente's); a round of another gemeente or level is left out."""
    folders = [] if rounds_dir is None or not Path(rounds_dir).is_dir() else \
        [p for p in sorted(Path(rounds_dir).iterdir()) if p.is_dir() and p.name.isdigit()]
    found: dict[int, pd.DataFrame] = {}
    opened: set[Path] = set()  # --previous is often one of the folders: proved (hashed) once
    for folder in [*folders, *(Path(p) for p in extra)]:
        if folder.resolve() in opened or not (folder / ROUND_JSON).is_file():
            continue
        opened.add(folder.resolve())
        try:
            meta, wijken = open_round(folder)
        except DataError as error:
            raise DataError(f"{error}; the trend reads every earlier round in {folder.parent}: restore the round or "
                            "move the folder out") from None
        same = meta["gemeente"]["code"] == gemeente and (level is None or meta.get("level", level) == level)
        if meta["round"] < year and same:
            found.setdefault(meta["round"], history_of(wijken, meta["round"]))
    frames = [found[y] for y in sorted(found)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=HISTORY_COLUMNS)


def round_overlays(result: Herijking, history: pd.DataFrame | None = None) -> Overlays:
    """What a round shows on its maps and in its report (:class:`aandacht.present.overlays.Overlays`):
    the designated gebieden with their member areas; every IKC as Plus-IKC (chosen), candidate
    (eligible, not chosen) or other, with its gebied, board, need, continuity status and reason
    (an IKC without a location is listed, not drawn); the wijk changes against the previous
    round; the robustness table; the round years and the history (``history``: earlier rounds,
    this round is added)."""
    areas = result.designation.areas
    designated = areas[areas["designated"]]
    gebieden = pd.DataFrame({"gebied": designated["gebied"].to_numpy(), "area_code": designated.index.to_numpy()})
    ikcs = check_ikcs(ikc_table(result, marginal=False), "ikcs")
    changes = None
    if "wijken" in result.changes:
        changes = check_changes(result.changes["wijken"], set(areas.index), "wijzigingen")
    robustness = None
    if result.robustness is not None:
        robustness = check_robustness(result.robustness.drop(columns="hard_core").reset_index(), set(areas.index),
                                      "robuustheid")
    now = history_of(result.record.wijken, result.year)
    history = now if history is None or history.empty else pd.concat([history, now], ignore_index=True)
    return Overlays(gebieden=gebieden, ikcs=ikcs, robustness=robustness, changes=changes, round_year=result.year,
                    previous_year=result.previous.year if result.previous is not None else None, history=history,
                    facts=result.record.meta.get("toelichting", {}))


def read_round_overlays(folder: Path, known: set[str]) -> tuple[Overlays, pd.DataFrame | None]:
    """A round folder read back (module docstring): the overlays and the constraints table."""
    folder = Path(folder)
    meta, wijken = open_round(folder, needed=(ROUND_JSON, "wijken.csv", "ikcs.csv", MANIFEST))
    year = meta["round"]
    unknown = sorted(set(wijken["area_code"].astype(str)) - known)
    if unknown:
        raise DataError(f"{folder / 'wijken.csv'}: area(s) {unknown[:3]} are not scored areas of the config")
    chosen = wijken[is_true(wijken["aangewezen"])]
    gebieden = pd.DataFrame({"gebied": chosen["gebied"].astype(str).to_numpy(),
                             "area_code": chosen["area_code"].astype(str).to_numpy()})
    ikcs_raw = read_round_table(folder, "ikcs.csv")
    if not {"x_rd", "y_rd"} <= set(ikcs_raw.columns):
        raise DataError(f"{folder / 'ikcs.csv'}: has no x_rd, y_rd columns (written by an older aandacht); "
                        "run the herijking again to draw its maps")
    ikcs = check_ikcs(ikcs_raw, str(folder / "ikcs.csv"))
    robustness = changes = None
    if (folder / "robuustheid.csv").is_file():
        robustness = check_robustness(read_csv_nl(folder / "robuustheid.csv"), known, str(folder / "robuustheid.csv"))
    if (folder / "wijzigingen_wijken.csv").is_file():
        changes = check_changes(read_csv_nl(folder / "wijzigingen_wijken.csv"), known,
                                str(folder / "wijzigingen_wijken.csv"))
    previous_year = meta.get("previous_round")
    history = earlier_rounds(folder.parent, year, meta["gemeente"]["code"], level=meta.get("level"))
    history = pd.concat([history, history_of(wijken, year)], ignore_index=True)
    if previous_year is None and changes is not None and len(history["year"].unique()) > 1:
        previous_year = int(sorted(history["year"].unique())[-2])
    constraints = read_constraints(folder / "beperkingen.csv") if (folder / "beperkingen.csv").is_file() else None
    facts = meta.get("toelichting")
    facts = {key: [str(line) for line in lines] for key, lines in facts.items() if isinstance(lines, list)} \
        if isinstance(facts, dict) else {}
    overlays = Overlays(gebieden=gebieden, ikcs=ikcs, robustness=robustness, changes=changes, round_year=year,
                        previous_year=previous_year, history=history, facts=facts)
    return overlays, constraints


@dataclass
class RoundMaps:
    """A round's maps being drawn (:func:`round_maps`), with the report's data they were built from."""

    result: Herijking
    data: ReportData
    rendered: dict[str, Drawn] | None  # None without polygons of the areas
    pdf: bool


def round_maps(result: Herijking, pdf: bool = False, history: pd.DataFrame | None = None,
               drawer: Drawer | None = None) -> RoundMaps:
    """Start drawing a round's maps (PNG): partly in a second process (:func:`aandacht.present.drawing.draw_all`),
    which goes on drawing while this one builds the manifest, lays out the report (:func:`visual_writers`) and
    writes the tables (:data:`MEANWHILE`). Each map is drawn once: the PNG file and the report's image come from
    the same pixels. ``drawer``: that second process, started before the round was computed
    (:func:`aandacht.present.drawing.start_drawer`). The report's data is made without the manifest and the
    selection's constraints, which the maps do not show: :func:`visual_writers` adds them."""
    data = report_data(result.run, round_overlays(result, history), {}, placement=placement_summary(result))
    rendered = None
    if data.frame is not None:
        dpi = result.run.config.maps.dpi
        rendered = draw_all(map_builders(data.frame), dpi, also=(report_dpi(dpi),),
                            meanwhile=MEANWHILE + (PDF_MEANWHILE if pdf else 0.0),
                            prepare=load_layers, drawer=drawer)
    return RoundMaps(result, data, rendered, pdf)


def visual_writers(maps: RoundMaps, manifest: dict) -> dict:
    """The maps (PNG) and the Dutch report (HTML, and PDF when asked: ``pdf`` of :func:`round_maps`) of a round,
    as writers, to be written after the round's tables (:func:`round_writers`, made after these: the tables need
    the selection's marginal values, which the maps do not wait for). Without polygons of the areas
    (``areas.geometry``) the report is written without maps and says why."""
    writers = {f"{name}.png": drawn.write for name, drawn in (maps.rendered or {}).items()}
    # the manifest and the constraints (computed on first use, SelectionResult) once the maps are being drawn
    data = replace(maps.data, manifest=manifest, constraints=maps.result.selection.constraints)
    html = report_html(data, maps.rendered)
    writers["rapport.html"] = lambda path: path.write_text(html.text, encoding="utf-8")
    if maps.pdf:
        from .typeset import PdfLayout  # imported once the maps are being drawn

        layout = PdfLayout(html.marked, coming=html.maps)  # laid out while the maps are drawn
        writers["rapport.pdf"] = lambda path: path.write_bytes(layout.pdf(html.images()))
    return writers
