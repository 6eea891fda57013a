"""The ``aandacht`` command line: parse, call the library, print, write.

Every command that writes follows one scaffold: load the config (:func:`_load`), claim the
output folder before any work (:func:`_target`: a folder another run is writing is refused,
an existing folder too unless ``--force``), compute with the library, then write every file
and the manifest atomically (:func:`_write`). Choices offered on the command line come from the config's registries
(:mod:`aandacht.config.choices`), so they cannot drift from what the config accepts.

Heavy libraries (pandas, geopandas, matplotlib) are imported inside the commands so
that ``aandacht --help`` starts fast. A user error (:class:`AandachtError`) and every other
expected failure (:func:`aandacht.errors.expected_failures`: an unreadable file, a full or
read-only disk, a reader's parser error, memory, nesting) is printed as one line on stderr
with exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
import warnings
from datetime import datetime
from functools import partial
from pathlib import Path

import click

from .config.choices import CLASSIFICATIONS, MAP_FORMATS, MAP_SIZES, MAX_DRAWS, MAX_SEED
from .errors import ConfigError, describe_failure, expected_failures, printable

EXIT_USER_ERROR = 2
ROUND_YEARS = click.IntRange(1990, 2100)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A library's warning as one line on stderr; its text may quote a user's data (a wijk name
    on a map), so control characters are replaced (:func:`aandacht.errors.printable`)."""
    click.echo(printable(f"warning: {' '.join(str(message).split())} ({category.__name__})"), err=True)


class _Group(click.Group):
    """Click group that turns every expected failure into one line and exit code 2, and prints
    warnings as safe single lines."""

    def invoke(self, ctx: click.Context):
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except Exception as error:
            if (ctx.obj and ctx.obj.get("debug")) or not isinstance(error, expected_failures()):
                raise
            click.echo(f"error: {describe_failure(error)}", err=True)
            sys.exit(EXIT_USER_ERROR)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("--allow-outside-paths", is_flag=True,
              help="Allow a config to name files outside its project directory (the folder holding configs/).")
@click.version_option(package_name="aandacht")
@click.pass_context
def main(ctx: click.Context, debug: bool, allow_outside_paths: bool) -> None:
    """aandacht: rank wijken on risks for children, designate aandachtsgebieden, propose Plus-IKCs."""
    ctx.obj = {"debug": debug, "allow_outside_paths": allow_outside_paths}


# --- the scaffold every writing command follows -------------------------------------

def _config_option(function):
    function = click.option(
        "--gemeente", "gemeente", default=None, callback=_shipped_config, expose_value=False,
        help="Use the shipped config of this gemeente (leeuwarden, leiden, leidschendam-voorburg).",
    )(function)
    return click.option(
        "--config", "config_path", type=click.Path(path_type=Path), default=None,
        help="YAML config (default: the one config in ./configs/, else the embedded Leeuwarden config).",
    )(function)


def _shipped_config(ctx: click.Context, param, value: str | None) -> None:
    """--gemeente NAME: remember the shipped config of that gemeente for :func:`_load`."""
    if value is None:
        return
    from .archive.project import shipped_config
    from .errors import ConfigError
    from .inputs.national import find_gemeente

    code, name = find_gemeente(value)
    path = shipped_config(name)
    if path is None:
        raise ConfigError(f"--gemeente {value}: aandacht ships no config for {name} ({code}); "
                          f"write a project with `aandacht init {code}` and run the command in its folder")
    ctx.obj["shipped_config"] = path


def _out_option(kind: str):
    return click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                        help=f"Output folder (default: ./aandacht-output/{kind}-<gemeente>-<time>). Never overwritten.")


_force_option = click.option("--force", is_flag=True,
                             help="If the output folder exists, move it aside (never deleted) and write anew.")


def default_out_dir(config, kind: str) -> Path:
    """./aandacht-output/<kind>-<gemeente>-<local time>: a new folder for every run."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("aandacht-output") / f"{kind}-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"


def _load(config_path: Path | None):
    """The config: ``--config``, else ``--gemeente``'s shipped config, else the project's one config in
    ./configs/, else the embedded Leeuwarden config."""
    from .config import load_config, project_config
    from .errors import ConfigError
    from .resources import default_config_path

    obj = click.get_current_context().obj
    shipped = obj.get("shipped_config")
    if config_path is not None and shipped is not None:
        raise ConfigError("give either --config or --gemeente, not both")
    path = config_path or shipped or project_config(Path.cwd()) or default_config_path()
    return load_config(path, allow_outside=obj["allow_outside_paths"])


def _target(config, kind: str, out_dir: Path | None, force: bool):
    """Claim the output folder (``--out`` or the default) before the work: refused now when another
    run is writing it, or when it exists and ``--force`` is not given. The claim is released when
    the command ends, however it ends (:mod:`aandacht.archive.output`)."""
    from .archive.output import claim_target

    claim = claim_target(out_dir or default_out_dir(config, kind), force)
    click.get_current_context().call_on_close(claim.release)
    for path in claim.cleaned:
        click.echo(f"onafgemaakte uitvoer van een afgebroken run verwijderd: {path}")
    return claim


def _write(claim, writers: dict, manifest: dict) -> None:
    """Write every file and the manifest atomically into the claimed folder and say what was written."""
    from .archive.output import write_folder

    moved = write_folder(claim.target, writers, manifest, claim.force, claim)
    if moved:
        click.echo(f"eerdere uitvoer verplaatst naar {moved}")
    click.echo(f"geschreven: {claim.target}/: {', '.join([*writers, 'manifest.json'])}")


# --- commands ------------------------------------------------------------------------

@main.command()
@_config_option
@_out_option("score")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Print only the first N areas.")
@_force_option
@click.option("--uncertainty", "draws", type=click.IntRange(2, MAX_DRAWS), default=None,
              help="Add rank intervals and the chance of being aandachtsgebied from N Monte Carlo draws (config section uncertainty).")
def score(config_path: Path | None, out_dir: Path | None, top: int | None, force: bool, draws: int | None) -> None:
    """Score and rank the areas; write ranking.csv, scores.xlsx and manifest.json."""
    from .archive.manifest import build_manifest
    from .present.phrases import dominance_lines, indicatief_lines
    from .present.tables import (
        check_sheets,
        ranking,
        ranking_with_uncertainty,
        score_writers,
    )
    from .present.terminal import ProgressBar, print_dominance, print_notes, print_ranking
    from .scoring.robustness import uncertainty
    from .scoring.run import run_score

    config = _load(config_path)
    claim = _target(config, "score", out_dir, force)
    run = run_score(config)
    table = ranking(run)
    extra = {}
    if draws is not None:
        with ProgressBar("Monte Carlo") as bar:
            unc = uncertainty(run, draws=draws, sobol=False, on_start=bar.start, progress=bar.advance)
        table = ranking_with_uncertainty(run, unc)
        extra = {"uncertainty": {"draws": unc.draws, "seed": unc.seed, "factors": unc.factors}}
    print_notes(run.notes)
    print_ranking(table, run, top)
    print_dominance(dominance_lines(run) + indicatief_lines(run))
    _write(claim, score_writers(run, table, check_sheets(run)), build_manifest(config, "score", extra))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
def verify(folder: Path) -> None:
    """Recompute an output folder from its manifest and report any difference.

    Checks every file in FOLDER against the SHA-256 recorded in FOLDER/manifest.json, and
    every input file recorded there (a changed file is named); recomputes the outputs with
    the recorded config and compares them with the files in FOLDER. The manifest may name
    files only inside the folder's project (else pass --allow-outside-paths). Exit code 0
    when identical, 1 when anything differs.
    """
    from .archive.verify import verify_folder

    report = verify_folder(folder, allow_outside=click.get_current_context().obj["allow_outside_paths"])
    for line in report.lines:
        click.echo(line)
    sys.exit(0 if report.identical else 1)


def _peildatum_option(function):
    """--peildatum: the year whose facts a round decides on (README, "Rounds and peildata")."""
    return click.option("--peildatum", type=ROUND_YEARS, default=None,
                        help="Year whose facts the round uses: per input the newest vintage of that time, the school "
                             "list of that time (default: the round year).")(function)


@main.command(name="select")
@_config_option
@click.option("--round", "round_year", type=ROUND_YEARS, default=None,
              help="Round year (start year of new Plus-IKCs; default: the current year).")
@click.option("--previous", "previous_dir", type=click.Path(path_type=Path), default=None,
              help="Previous round folder, for the continuity rules.")
@_peildatum_option
def select_command(config_path: Path | None, round_year: int | None, previous_dir: Path | None,
                   peildatum: int | None) -> None:
    """Designate aandachtsgebieden and choose the Plus-IKCs; print only (herijking writes files)."""
    from .present.terminal import print_designation, print_notes, print_selection
    from .rounds.herijking import run_herijking

    config = _load(config_path)
    result = run_herijking(config, round_year or datetime.now().year, previous_dir, peildatum=peildatum)
    print_notes(result.notes)
    print_designation(result.designation)
    print_selection(result.selection)


@main.command()
@_config_option
@click.option("--round", "round_year", type=ROUND_YEARS, required=True, help="Round year, e.g. 2026.")
@click.option("--previous", "previous_dir", type=click.Path(path_type=Path), default=None,
              help="Previous round folder (e.g. rounds/2024) to continue from and compare with.")
@click.option("--rounds-dir", type=click.Path(path_type=Path), default=Path("rounds"), show_default=True,
              help="Folder holding one folder per round.")
@_force_option
@click.option("--pdf", "with_pdf", is_flag=True, help="Also write rapport.pdf (the report as a tagged A4 PDF).")
@click.option("--no-maps", is_flag=True, help="Write the tables only: no maps and no report (faster; see aandacht report).")
@_peildatum_option
def herijking(config_path: Path | None, round_year: int, previous_dir: Path | None, rounds_dir: Path,
              force: bool, with_pdf: bool, no_maps: bool, peildatum: int | None) -> None:
    """Run a round: score, designate, select; write rounds/<round>/ (tables, maps, report) and compare with --previous."""
    from contextlib import nullcontext

    from .config import project_dir
    from .inputs.vintages import vintage_table
    from .present.drawing import start_drawer
    from .present.phrases import dominance_lines, indicatief_lines
    from .present.round_folder import earlier_rounds, round_maps, round_writers, visual_writers
    from .rounds.compare import identical_sentence
    from .rounds.herijking import run_herijking

    drawer = None
    if not no_maps:
        # the maps' second process, started once what both processes need is imported (the maps' data are
        # GeoDataFrames of this package's classes: imported once, before the fork, not in each), before the
        # config is read: it imports matplotlib, reads the layers and, while its job has not come, warms up on the
        # other core while this one computes the round; stopped when the config has no polygons
        import geopandas  # noqa: F401

        from .present.maps import warm_up
        from .present.orientation import load_layers

        drawer = start_drawer(load_layers, warm_up)
    with drawer or nullcontext():
        config = _load(config_path)
        claim = _target(config, "herijking", rounds_dir / str(round_year), force)
        if drawer is not None and config.areas.geometry is None:
            drawer.stop()
        result = run_herijking(config, round_year, previous_dir, peildatum=peildatum)
        extra = {"round": round_year, "peildatum": result.peildatum,
                 "previous": str(previous_dir.resolve()) if previous_dir else None}
        used = result.run.config  # the round's config: each input's path is the vintage it read
        maps = None  # first, so that the maps are drawn while this process prints and writes
        if not no_maps:
            history = earlier_rounds(rounds_dir, round_year, used.gemeente.code,
                                     [previous_dir] if previous_dir else [], used.level)
            maps = round_maps(result, pdf=with_pdf, history=history, drawer=drawer)
        from .archive.manifest import build_manifest  # with importlib.metadata: once the maps are being drawn

        manifest = build_manifest(used, "herijking", extra)
        writers = round_writers(result) | (visual_writers(maps, manifest) if maps else {})  # the tables written first
        # imported once the maps are being drawn (rich, 35 ms): the second process needs none of it
        from .present.terminal import (
            print_changes,
            print_designation,
            print_dominance,
            print_notes,
            print_selection,
            print_vintages,
        )

        print_notes(result.notes)
        print_vintages(vintage_table(result.vintages, result.peildatum, project_dir(config.source_file)), result.peildatum)
        print_dominance(dominance_lines(result.run) + indicatief_lines(result.run))
        print_designation(result.designation)
        print_selection(result.selection)
        if result.previous is not None:
            print_changes(result.changes, result.previous.year, round_year, config.level,
                          identical_sentence(result.causes, result.previous.year, round_year))
        if used.areas.geometry is None:  # also with --no-maps: the schools could not be placed by their point
            from .inputs.boundaries import boundaries_missing

            click.echo(("" if no_maps else "Rapport zonder kaarten. ") + boundaries_missing(used))
        _write(claim, writers, manifest)


@main.command()
@click.argument("old_dir", type=click.Path(path_type=Path))
@click.argument("new_dir", type=click.Path(path_type=Path))
def compare(old_dir: Path, new_dir: Path) -> None:
    """Print what changed between two round folders (per wijk and per Plus-IKC) and why, or, given two config
    files (A.yaml B.yaml), between two method variants on the same data (ranks, scores, designation)."""
    if old_dir.suffix.lower() in (".yaml", ".yml") and new_dir.suffix.lower() in (".yaml", ".yml"):
        _compare_variants(old_dir, new_dir)
        return
    from .present.terminal import print_changes
    from .rounds.compare import causes_between, compare_records, identical_sentence
    from .rounds.record import read_round

    old = read_round(old_dir)
    new = read_round(new_dir, old.meta["gemeente"]["code"], old.meta.get("level"))  # the same gemeente and level
    causes = causes_between(old, new)
    print_changes(compare_records(old, new, causes), old.year, new.year, new.meta.get("level"),
                  identical_sentence(causes, old.year, new.year))


def _compare_variants(path_a: Path, path_b: Path) -> None:
    """``aandacht compare A.yaml B.yaml``: both configs scored on the same data, side by side."""
    from .config import load_config
    from .decide.variants import compare_variants, same_data
    from .present.phrases import variants_paragraph
    from .present.terminal import print_notes, print_variants
    from .scoring.run import run_score

    allow = click.get_current_context().obj["allow_outside_paths"]
    a, b = load_config(path_a, allow_outside=allow), load_config(path_b, allow_outside=allow)
    same_data(a, b)
    result = compare_variants(run_score(a), run_score(b))
    print_notes(result.notes)
    print_variants(result, path_a.name, path_b.name)
    click.echo(variants_paragraph(result, a.level))


@main.command()
@_config_option
@click.option("--strict", is_flag=True, help="Exit with code 1 when there are warnings.")
@_out_option("check")
@_force_option
@click.option("--previous", "previous_dir", type=click.Path(path_type=Path), default=None,
              help="A previous round folder: list its schools that are not in the school list of this round's time.")
@_peildatum_option
def check(config_path: Path | None, strict: bool, out_dir: Path | None, force: bool, previous_dir: Path | None,
          peildatum: int | None) -> None:
    """Check the inputs: coverage, missing values, out-of-range values, name matches, stale indicators,
    and correlation flags (collinear or negative pairs, weak or strong indicators); with --previous, the
    schools of that round that are gone (closed or merged) from the school list of --peildatum (default: this year).

    Writes check.xlsx and one CSV per table. Exit code 0 usable, 1 warnings (with --strict), 2 unusable.
    """
    from .archive.manifest import build_manifest
    from .inputs.check import check_data
    from .present.tables import dutch_table, relative_paths, write_csv, write_sheets
    from .present.terminal import print_check, print_notes
    from .scoring.coherence import correlation_checks

    config = _load(config_path)
    claim = _target(config, "check", out_dir, force)
    report = check_data(config)
    if report.matrix is not None:
        report = report.with_checks(*correlation_checks(config, report.registry, report.matrix))
    print_notes(report.notes)
    print_check(report, f"{config.gemeente.name}, {config.level}")
    sheets = {name: dutch_table(relative_paths(table, config)) for name, table in report.sheets().items()}
    gone = None
    if previous_dir is not None:
        from .present.terminal import print_gone_schools
        from .rounds.schools import gone_schools

        gone, year = gone_schools(config, previous_dir, peildatum or datetime.now().year)
        print_gone_schools(gone, year)
        sheets = {**sheets, "scholen_verdwenen": gone}
    writers = {f"{name}.csv": partial(write_csv, table) for name, table in sheets.items()}
    writers["check.xlsx"] = partial(write_sheets, sheets)
    _write(claim, writers, build_manifest(config, "check", {"status": report.status}))
    code = report.exit_code(strict)
    sys.exit(max(code, 1) if strict and code < 2 and gone is not None and len(gone) else code)


@main.command()
@click.argument("gemeente")
@click.argument("folder", type=click.Path(path_type=Path), required=False)
@click.option("--level", type=click.Choice(["wijk", "buurt"]), default=None,
              help="Rank wijken or buurten (default: wijken when at least 5 pass the population gate and their median "
                   "has at most 15000 inhabitants, else they are districts and buurten are ranked; with --boundaries: "
                   "buurten).")
@click.option("--boundaries", type=click.Path(path_type=Path), default=None,
              help="A CBS Wijk- en Buurtkaart (GeoPackage, shapefile) or generalised CBS file (GeoJSON, TopoJSON): "
                   "polygons and names of the ranked level; schools are placed in them.")
@click.option("--boundaries-layer", default=None, help="The layer of --boundaries to read (default: 'wijken' or 'buurten').")
def init(gemeente: str, folder: Path | None, level: str | None, boundaries: Path | None,
         boundaries_layer: str | None) -> None:
    """Write a project folder for GEMEENTE (a CBS code such as GM0014, or a name in Dutch or Frisian).

    FOLDER (default: the gemeente's name) gets configs/<gemeente>.yaml, with every section a herijking
    needs and the reason for each default, the gemeente's data from the national data shipped with
    aandacht, an empty school_locations.csv and a school_boards.csv to fill. Then run
    `cd FOLDER && aandacht check && aandacht herijking --round 2026`. An existing folder that is not
    empty is never touched. For Leeuwarden, Leiden and Leidschendam-Voorburg the shipped config is copied.
    """
    from .archive.project import init_project

    result = init_project(gemeente, folder, level, boundaries, boundaries_layer)
    for line in result.lines:
        click.echo(line)
    click.echo(f"geschreven: {result.folder}/ (config {result.config})")
    click.echo(f"volgende stap: cd {result.folder} && aandacht check && aandacht herijking --round 2026")


@main.group()
def fetch() -> None:
    """Download public source data into a local cache (then everything works offline)."""


def _fetch_command(kind: str, summary: str):
    """One ``aandacht fetch <kind>`` command: a CBS table of a year for one gemeente."""
    from .inputs.cbs_tables import FETCHABLE

    years = sorted(FETCHABLE[kind][0])

    @fetch.command(kind, help=summary)
    @click.option("--gemeente", required=True, help="Gemeente code, e.g. GM0080.")
    @click.option("--year", type=int, required=True, help=f"Year of the table ({', '.join(map(str, years))}).")
    @click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("aandacht-cache") / "cbs",
                  show_default=True, help="Cache folder; the data go to <cache>/<table>/<gemeente>/.")
    @click.option("--refresh", is_flag=True, help="Download again even if the cache holds this table.")
    def command(gemeente: str, year: int, cache_dir: Path, refresh: bool) -> None:
        from .inputs.sources.kwb_odata import fetch_table

        folder = fetch_table(kind, gemeente, year, cache_dir, refresh)
        click.echo(f"in de cache: {folder} (gebruik het als pad van een invoer met loader kwb{_FILTER_HINT.get(kind, '')})")

    return command


@fetch.command("locations")
@_config_option
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("aandacht-cache"), show_default=True,
              help="Cache folder: the Locatieserver's answers go to <cache>/pdok/.")
@click.option("--all", "every_school", is_flag=True, help="Geocode every school, not only the unplaced ones.")
@click.option("--refresh", is_flag=True, help="Ask the Locatieserver again even for addresses in the cache.")
def fetch_locations_command(config_path: Path | None, cache_dir: Path, every_school: bool, refresh: bool) -> None:
    """Place schools by their DUO address with the PDOK Locatieserver (BAG points; free, no key).

    Geocodes the schools of the config's school tables that have no place (or, with --all, every
    school) into the cache and writes the table the school inputs name as `geocoded`; the next run
    places those schools by point in polygon. The analyst's school_locations.csv still comes first.
    """
    from .archive.project import slug
    from .inputs.geocode import fetch_locations
    from .present.tables import write_extract

    config = _load(config_path)
    default = (cache_dir / "locaties" / f"{slug(config.gemeente.name)}.csv").resolve()
    run = fetch_locations(config, cache_dir, every_school, refresh, default_target=default)
    for target, table in run.tables.items():
        write_extract(table, target)
        click.echo(f"geschreven: {target} ({len(table)} scholen)")
    found = run.geocoded
    click.echo(f"{run.asked} school(en) opgezocht ({found.requests} bij de Locatieserver, de rest uit de cache); "
               f"{len(found.table)} gevonden; ongeplaatste scholen eerst {len(run.unplaced_before)}, nu {len(run.unplaced_after)}")
    for line in [*found.not_found, *run.notes]:
        click.echo(f"  {line}")
    if run.unplaced_after:
        click.echo("nog niet geplaatst (zet ze in school_locations.csv): " + ", ".join(run.unplaced_after))


@fetch.command("boundaries")
@click.argument("gemeente")
@click.option("--year", type=int, default=2023, show_default=True,
              help="Year of the Wijk- en Buurtkaart (2021-2024; 2023 matches the national data init uses).")
@click.option("--level", type=click.Choice(["wijk", "buurt"]), default="buurt", show_default=True,
              help="Download the wijken or the buurten.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("aandacht-cache"), show_default=True,
              help="Cache folder: the file goes to <cache>/pdok/wijkenbuurten-<year>/.")
@click.option("--refresh", is_flag=True, help="Download again even if the cache holds the file.")
def fetch_boundaries_command(gemeente: str, year: int, level: str, cache_dir: Path, refresh: bool) -> None:
    """Download the wijk or buurt polygons, codes, names and water flag of GEMEENTE (a CBS code or a name)
    from PDOK's CBS Wijken en Buurten WFS into the cache, as a GeoPackage in RD New (EPSG:28992) that
    `init --boundaries` and a config's areas.geometry read."""
    import os

    from .config import project_config
    from .inputs.national import find_gemeente
    from .inputs.pdok_boundaries import fetch_boundaries

    code, name = find_gemeente(gemeente)
    got = fetch_boundaries(code, year, level, cache_dir, refresh)
    source = f"{got.requests} verzoek(en) aan PDOK" if got.requests else "uit de cache"
    click.echo(f"geschreven: {got.path} ({got.areas} {level}en van {name}, waarvan {got.water} water, weggelaten bij "
               f"het lezen; {source})")
    config = project_config(Path.cwd())
    if config is None:
        click.echo(f"volgende stap: aandacht init {code} --level {level} --boundaries {got.path}")
    else:
        relative = Path(os.path.relpath(got.path.resolve(), config.parent))
        click.echo(f"volgende stap: zet in {config} onder `areas:` de regel `geometry: {relative.as_posix()}` (voor een "
                   f"config op {level}niveau)")


_FILTER_HINT = {"jeugdzorg": ", met filter: {VormenVanJeugdzorg: T001203} voor het totaal of een andere vorm van jeugdzorg"}
_fetch_command("kwb", "Download CBS Kerncijfers Wijken en Buurten (2019-2024) for one gemeente through CBS OData.")
_fetch_command("jeugdzorg", "Download CBS 'Jongeren met jeugdzorg in natura; wijken' (per wijk and form of care) "
                            "for one gemeente through CBS OData.")


OVERLAY_OPTIONS = {
    "gebieden": "Table of aandachtsgebieden: gebied, area_code (one row per member area), or a round's aandachtsgebieden.csv.",
    "ikcs": "Table of IKCs: name, x_rd, y_rd, status (plus-ikc/candidate/other), or a round's ikcs.csv.",
    "robustness": "Table per area: area_code, p_designated, rank_p05, rank_median, rank_p95 (a round's robuustheid.csv).",
    "changes": "Table per area: area_code, change (entered/left/stayed), or a round's wijzigingen_wijken.csv.",
}


def _overlay_options(function):
    """Optional result tables shown by maps and report (see aandacht.present.overlays), or a whole round folder."""
    for name, help_text in reversed(OVERLAY_OPTIONS.items()):
        function = click.option(f"--{name}", type=click.Path(path_type=Path), default=None, help=help_text)(function)
    return click.option("--round-dir", type=click.Path(path_type=Path), default=None,
                        help="A round folder written by 'aandacht herijking' (e.g. rounds/2026): draw from its own "
                             "files and config; nothing is recomputed but the scores, which are checked against it.")(function)


def _overlay_manifest(tables: dict[str, Path | None]) -> dict:
    from .archive.manifest import sha256

    return {name: {"path": str(path), "sha256": sha256(path)} for name, path in tables.items() if path is not None}


def _from_round(round_dir: Path, config_path: Path | None, tables: dict[str, Path | None]):
    """Config, scoring run, overlays and constraints of a round folder, read back without recomputing.

    The config is the round's own (from its manifest), under the same path rule as ``aandacht verify``
    (no file outside the round's project unless --allow-outside-paths); its own files and its input
    files must be unchanged (SHA-256 in the manifest) and the scores read again from them must equal
    the round's ``wijken.csv``."""
    import numpy as np

    from .archive.verify import read_round_manifest, recorded_config
    from .digest import changed_inputs
    from .errors import DataError
    from .present.round_folder import read_round_overlays
    from .rounds.record import read_round_table
    from .scoring.run import run_score

    given = [f"--{name}" for name, path in tables.items() if path is not None] + (["--config"] if config_path else [])
    if given:
        raise ConfigError(f"--round-dir takes the round's own config and tables; leave out {', '.join(given)}")
    manifest = read_round_manifest(round_dir)
    if manifest.get("command") != "herijking":
        raise DataError(f"{round_dir}: not a round folder (its manifest is of 'aandacht {manifest.get('command')}'); "
                        "give a folder written by 'aandacht herijking'")
    config = recorded_config(round_dir, manifest, click.get_current_context().obj["allow_outside_paths"])
    changed = changed_inputs(manifest.get("inputs", {}))
    if changed:
        role, path, _ = changed[0]
        raise DataError(f"{round_dir}: input {role} ({path}) is missing or changed since the round was made; "
                        f"its maps and report cannot be drawn again (see 'aandacht verify {round_dir}')")
    run = run_score(config)
    recorded = read_round_table(round_dir, "wijken.csv").set_index("area_code")["score"]
    again = run.result.index.reindex(recorded.index)
    if not np.allclose(again.to_numpy(dtype="float64"), recorded.to_numpy(dtype="float64"), rtol=1e-6, atol=1e-4,
                       equal_nan=True):
        raise DataError(f"{round_dir}/wijken.csv: the scores differ from the round's own inputs and config "
                        f"(see 'aandacht verify {round_dir}')")
    overlays, constraints = read_round_overlays(round_dir, set(run.matrix.areas.index))
    return config, run, overlays, constraints


def _map_inputs(config_path, round_dir, tables: dict[str, Path | None], kind: str, out_dir, force):
    """(config, run, overlays, constraints, manifest extra, claim) from a round folder, or from the config
    and the result tables; the output folder is claimed before the work."""
    from .present.overlays import read_overlays
    from .scoring.run import run_score

    if round_dir is not None:
        config, run, overlays, constraints = _from_round(round_dir, config_path, tables)
        return config, run, overlays, constraints, {"round_dir": str(round_dir.resolve())}, \
            _target(config, kind, out_dir, force)
    config = _load(config_path)
    if kind == "report" and config.designation is not None and config.selection is not None and not any(tables.values()):
        raise ConfigError("a complete report belongs to a round: run 'aandacht herijking --round YEAR' (writes "
                          "rounds/YEAR/rapport.html) or 'aandacht report --round-dir rounds/YEAR'")
    claim = _target(config, kind, out_dir, force)
    run = run_score(config)
    overlays = read_overlays(set(run.matrix.areas.index), **tables)
    return config, run, overlays, None, {"overlays": _overlay_manifest(tables)}, claim


@main.command(name="map")
@_config_option
@_out_option("map")
@click.option("--format", "formats", default=None,
              help=f"Comma-separated, from {', '.join(MAP_FORMATS)} (default: maps.formats).")
@click.option("--size", type=click.Choice(list(MAP_SIZES)), default=None, help="Page size (default: maps.size).")
@click.option("--classes", type=click.Choice(list(CLASSIFICATIONS)), default=None,
              help="Class breaks of the score map (default: maps.classes; fixed uses maps.breaks).")
@click.option("--dpi", type=click.IntRange(min=20, max=1200), default=None, help="PNG resolution (default: maps.dpi, 200).")
@_overlay_options
@_force_option
def map_command(config_path, out_dir, formats, size, classes, dpi, round_dir, gebieden, ikcs, robustness, changes,
                force) -> None:
    """Draw the maps: score, domains, indicators (and probability / change when given)."""
    from pydantic import ValidationError

    from .archive.manifest import build_manifest
    from .config import MapOptions
    from .present.drawing import draw_all
    from .present.maps import map_builders, map_frame
    from .present.orientation import load_layers

    tables = {"gebieden": gebieden, "ikcs": ikcs, "robustness": robustness, "changes": changes}
    chosen = [f.strip() for f in formats.split(",")] if formats else None
    bad = [f for f in chosen or [] if f not in MAP_FORMATS]
    if bad or chosen == []:
        raise ConfigError(f"--format: {bad or chosen} not allowed; use {' or '.join([*MAP_FORMATS, ','.join(MAP_FORMATS)])}")
    config, run, overlays, _, extra, claim = _map_inputs(config_path, round_dir, tables, "map", out_dir, force)
    if config.areas.geometry is None:
        from .inputs.boundaries import boundaries_missing

        raise ConfigError(f"{config.source_file}: {boundaries_missing(config)}")
    chosen = chosen or list(config.maps.formats)
    update = {k: v for k, v in (("size", size), ("classes", classes), ("dpi", dpi)) if v is not None}
    try:
        options = MapOptions.model_validate({**config.maps.model_dump(), **update})
    except ValidationError as error:
        message = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{config.source_file}: maps (with the command-line options): {message}") from None
    drawn = draw_all(map_builders(map_frame(run, overlays, options)), options.dpi, png="png" in chosen,
                     pdf="pdf" in chosen, prepare=load_layers)
    writers = {f"{name}.{fmt}": drawn[name].write for name in drawn for fmt in chosen}
    manifest = build_manifest(config, "map", {"maps": options.model_dump(), **extra})
    _write(claim, writers, manifest)


@main.command()
@_config_option
@_out_option("report")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also write rapport.pdf (the report as a tagged A4 PDF).")
@_overlay_options
@_force_option
def report(config_path, out_dir, with_pdf, round_dir, gebieden, ikcs, robustness, changes, force) -> None:
    """Write the Dutch report (rapport.html, self-contained; rapport.pdf with --pdf).

    Give a round folder (--round-dir rounds/2026) for the full report of a herijking. Without it, and
    without result tables, a config that can run a herijking is refused with the command that makes
    the report; a config without designation gets the report of the ranking."""
    from .archive.manifest import build_manifest
    from .present.report import report_data, report_html
    from .present.typeset import write_pdf

    tables = {"gebieden": gebieden, "ikcs": ikcs, "robustness": robustness, "changes": changes}
    config, run, overlays, constraints, extra, claim = _map_inputs(config_path, round_dir, tables, "report", out_dir,
                                                                    force)
    manifest = build_manifest(config, "report", extra)
    data = report_data(run, overlays, manifest, constraints)
    if data.frame is None:
        from .inputs.boundaries import boundaries_missing

        click.echo(f"Rapport zonder kaarten. {boundaries_missing(config)}")
    html = report_html(data)
    writers = {"rapport.html": lambda path: path.write_text(html.text, encoding="utf-8")}
    if with_pdf:
        writers["rapport.pdf"] = lambda path: write_pdf(html.marked, path, html.images())
    _write(claim, writers, manifest)


@main.command()
@_config_option
@click.option("--known", "known_path", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True,
              help="CSV or workbook with a column 'area': codes or names of the areas professionals know need attention.")
@click.option("--top-k", type=click.IntRange(min=1), default=None,
              help="Size of the designated set (default: designation.top_k, else the number of known areas).")
@click.option("--draws", type=click.IntRange(2, MAX_DRAWS), default=1000, show_default=True, help="Bootstrap resamples.")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=20240601, show_default=True, help="Seed of the bootstrap.")
@_out_option("validate")
@_force_option
def validate(config_path: Path | None, known_path: Path, top_k: int | None, draws: int, seed: int,
             out_dir: Path | None, force: bool) -> None:
    """How well the ranking finds the areas on --known (rank AUC, hit rate in the top k, median
    percentile) against each single indicator, low income, bijstand and chance; writes validatie.csv."""
    from .archive.manifest import build_manifest
    from .digest import sha256
    from .present.phrases import validation_paragraph
    from .present.tables import validation_writers
    from .present.terminal import print_notes, print_validation
    from .scoring.run import run_score
    from .scoring.validate import read_known
    from .scoring.validate import validate as measure

    config = _load(config_path)
    claim = _target(config, "validate", out_dir, force)
    run = run_score(config)
    result = measure(run, read_known(known_path, run), top_k, draws, seed)
    print_notes(run.notes + result.notes)
    print_validation(result, validation_paragraph(result, config.level))
    manifest = build_manifest(config, "validate", {"validate": {"top_k": result.top_k, "top_k_option": top_k,
                                                                  "draws": draws, "seed": seed}})
    manifest["inputs"]["known"] = {"path": str(known_path.resolve()), "sha256": sha256(known_path),
                                   "bytes": known_path.stat().st_size}
    _write(claim, validation_writers(result), manifest)


@main.command()
@_config_option
@click.option("--draws", type=click.IntRange(2, MAX_DRAWS), default=None, help="Monte Carlo draws (default: uncertainty.draws in the config).")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=None, help="Random seed (default: uncertainty.seed in the config).")
@_out_option("sensitivity")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Print only the first N areas.")
@click.option("--spatial", is_flag=True, help="Also run local Moran's I (needs the extra: pip install 'aandacht[spatial]').")
@_force_option
def sensitivity(config_path: Path | None, draws: int | None, seed: int | None, out_dir: Path | None,
                top: int | None, spatial: bool, force: bool) -> None:
    """Uncertainty and sensitivity of the ranking: rank intervals, chance of being aandachtsgebied,
    Sobol indices, coherence, consensus and (with --spatial) clustering."""
    from .archive.manifest import build_manifest
    from .present.tables import SHEETS_NL, check_sheets, dutch_table, uncertainty_sheet, write_csv, write_sheets
    from .present.terminal import (
        ProgressBar,
        print_notes,
        print_sobol,
        print_uncertainty,
    )
    from .scoring.robustness import uncertainty
    from .scoring.run import run_score

    config = _load(config_path)
    claim = _target(config, "sensitivity", out_dir, force)
    run = run_score(config)
    sheets = check_sheets(run)
    if spatial:
        from .scoring.spatial import local_moran

        sheets["local moran"] = local_moran(run.result.index, run.registry.geometry(), config.spatial)
    with ProgressBar("Monte Carlo + Sobol") as bar:
        unc = uncertainty(run, draws=draws, seed=seed, on_start=bar.start, progress=bar.advance)
    table = uncertainty_sheet(run, unc)
    print_notes(run.notes)
    print_uncertainty(table, top)
    if unc.sobol_summary is not None:
        print_sobol(unc.sobol_summary)
    else:
        click.echo("geen onzekere invoer opgegeven (sectie uncertainty): geen Sobol-indices berekend")
    outputs = {"uncertainty": table}
    if unc.sobol_summary is not None:
        outputs |= {"sobol": unc.sobol_summary, "sobol per area": unc.sobol_areas}
    # the CSV files as the workbook's sheets: Dutch column names and ja/nee (issue 23)
    writers = {f"{name.replace(' ', '_')}.csv": partial(write_csv, dutch_table(frame)) for name, frame in outputs.items()}
    writers["sensitivity.xlsx"] = partial(write_sheets, {SHEETS_NL.get(name, name): dutch_table(table)
                                                         for name, table in (outputs | sheets).items()})
    extra = {"uncertainty": {"draws": unc.draws, "seed": unc.seed, "evaluations": unc.evaluations, "factors": unc.factors}}
    _write(claim, writers, build_manifest(config, "sensitivity", extra))


def run() -> None:
    """The ``aandacht`` console script: :func:`main` with two settings of Python's cyclic garbage
    collector that only a short-lived process wants (a notebook or test calling :func:`main`
    keeps the defaults):

    * the young generation is collected every 50,000 allocations instead of every 700: at the
      default, the collector spent about 10% of a command (0.05-0.1 s of an 0.8 s sensitivity
      run) walking the objects that importing pandas, pydantic and matplotlib creates; the
      older generations keep their default ratios, so cyclic garbage is still collected;
    * once the command has finished (every file written, closed and moved into place) the
      objects are frozen (:func:`gc.freeze`), so the exit skips collecting them: a herijking
      leaves a heap of matplotlib, pandas and shapely objects in reference cycles, and that
      collection took 0.3 s of a 2.7 s run. Exit handlers still run.
    """
    import gc

    gc.set_threshold(50_000, 10, 10)
    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
