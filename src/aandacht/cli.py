"""The ``aandacht`` command line: parse, call the library, print.

Heavy libraries (pandas, geopandas, matplotlib) are imported inside the commands so
that ``aandacht --help`` starts fast. A user error (:class:`AandachtError`) is printed
as one line on stderr with exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from .errors import AandachtError

EXIT_USER_ERROR = 2


class _Group(click.Group):
    """Click group that turns AandachtError into one line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AandachtError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_USER_ERROR)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="aandacht")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """aandacht: rank wijken on risks for children, designate aandachtsgebieden, propose Plus-IKCs."""
    ctx.obj = {"debug": debug}


def _config_option(function):
    return click.option(
        "--config", "config_path", type=click.Path(path_type=Path), default=None,
        help="YAML config (default: the embedded Leeuwarden config).",
    )(function)


def _load(config_path: Path | None):
    from .config import load_config
    from .resources import default_config_path

    return load_config(config_path or default_config_path())


@main.command()
@_config_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./aandacht-output/score-<gemeente>-<time>). Never overwritten.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Print only the first N areas.")
@click.option("--force", is_flag=True, help="If --out exists, move it aside (never deleted) and write anew.")
def score(config_path: Path | None, out_dir: Path | None, top: int | None, force: bool) -> None:
    """Score and rank the areas; write ranking.csv, scores.xlsx and manifest.json."""
    from .manifest import build_manifest
    from .output import check_target, write_folder
    from .pipeline import run_score
    from .tables import ranking, write_csv, write_workbook
    from .terminal import print_notes, print_ranking

    config = _load(config_path)
    if out_dir is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_dir = Path("aandacht-output") / f"score-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"
    check_target(out_dir, force)
    run = run_score(config)
    table = ranking(run)
    print_notes(run.notes)
    print_ranking(table, run, top)
    manifest = build_manifest(config, "score")
    moved = write_folder(out_dir, {
        "ranking.csv": lambda path: write_csv(table, path),
        "scores.xlsx": lambda path: write_workbook(run, path),
    }, manifest, force)
    if moved:
        click.echo(f"previous output moved to {moved}")
    click.echo(f"written: {out_dir}/ranking.csv, scores.xlsx, manifest.json")


def _overlay_options(function):
    """Optional result tables shown by maps and report (see aandacht.overlays)."""
    options = [
        ("--gebieden", "Table of aandachtsgebieden: gebied, area_code (one row per member area)."),
        ("--ikcs", "Table of IKCs: name, x_rd, y_rd, status (plus-ikc/candidate/other)."),
        ("--robustness", "Table per area: area_code, p_designated, rank_p05, rank_median, rank_p95."),
        ("--changes", "Table per area: area_code, change (entered/left/stayed) against the previous round."),
    ]
    for name, help_text in reversed(options):
        function = click.option(name, type=click.Path(path_type=Path), default=None, help=help_text)(function)
    return function


def _prepare(config_path, gebieden, ikcs, robustness, changes, out_dir, kind, force):
    """Load the config, check the target, score, and read the optional tables."""
    from .output import check_target
    from .overlays import read_overlays
    from .pipeline import run_score

    config = _load(config_path)
    if out_dir is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_dir = Path("aandacht-output") / f"{kind}-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"
    check_target(out_dir, force)
    run = run_score(config)
    known = set(run.matrix.areas.index)
    overlays = read_overlays(known, gebieden=gebieden, ikcs=ikcs, robustness=robustness, changes=changes)
    return config, run, overlays, out_dir


@main.command(name="map")
@_config_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./aandacht-output/map-<gemeente>-<time>). Never overwritten.")
@click.option("--format", "formats", default=None, help="Comma-separated: png,pdf (default: maps.formats).")
@click.option("--size", type=click.Choice(["slide", "a4"]), default=None, help="16:9 slide or A4 (default: maps.size).")
@click.option("--classes", type=click.Choice(["quantiles", "fisher_jenks", "fixed"]), default=None,
              help="Class breaks of the score map (default: maps.classes; fixed uses maps.breaks).")
@click.option("--dpi", type=click.IntRange(min=20, max=1200), default=None, help="PNG resolution (default: maps.dpi, 300).")
@_overlay_options
@click.option("--force", is_flag=True, help="If --out exists, move it aside (never deleted) and write anew.")
def map_command(config_path, out_dir, formats, size, classes, dpi, gebieden, ikcs, robustness, changes, force) -> None:
    """Draw the maps: score, domains, indicators (and probability / change when given)."""
    from pydantic import ValidationError

    from .config import MapOptions
    from .errors import ConfigError
    from .manifest import build_manifest
    from .maps import map_frame, render_maps, save_figure
    from .output import write_folder

    config, run, overlays, out_dir = _prepare(config_path, gebieden, ikcs, robustness, changes, out_dir, "map", force)
    chosen = [f.strip() for f in formats.split(",")] if formats else list(config.maps.formats)
    bad = [f for f in chosen if f not in ("png", "pdf")]
    if bad or not chosen:
        raise ConfigError(f"--format: {bad or chosen} not allowed; use png, pdf or png,pdf")
    update = {k: v for k, v in (("size", size), ("classes", classes), ("dpi", dpi)) if v is not None}
    try:
        options = MapOptions.model_validate({**config.maps.model_dump(), **update})
    except ValidationError as error:
        message = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{config.source_file}: maps (with the command-line options): {message}") from None
    figures = render_maps(map_frame(run, overlays, options))
    writers = {f"{name}.{fmt}": (lambda path, fig=fig: save_figure(fig, path, options.dpi))
               for name, fig in figures.items() for fmt in chosen}
    manifest = build_manifest(config, "map", {"maps": options.model_dump(), "overlays": _overlay_manifest(
        gebieden, ikcs, robustness, changes)})
    moved = write_folder(out_dir, writers, manifest, force)
    if moved:
        click.echo(f"previous output moved to {moved}")
    click.echo(f"written: {out_dir}/ " + ", ".join(writers))


def _overlay_manifest(gebieden, ikcs, robustness, changes) -> dict:
    from .manifest import sha256

    given = {"gebieden": gebieden, "ikcs": ikcs, "robustness": robustness, "changes": changes}
    return {name: {"path": str(path), "sha256": sha256(path)} for name, path in given.items() if path is not None}


@main.command()
@_config_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./aandacht-output/report-<gemeente>-<time>). Never overwritten.")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also write rapport.pdf (needs WeasyPrint: pip install 'aandacht[pdf]').")
@_overlay_options
@click.option("--force", is_flag=True, help="If --out exists, move it aside (never deleted) and write anew.")
def report(config_path, out_dir, with_pdf, gebieden, ikcs, robustness, changes, force) -> None:
    """Write the Dutch report (rapport.html, self-contained; rapport.pdf with --pdf)."""
    from .manifest import build_manifest
    from .maps import map_frame
    from .output import write_folder
    from .report import ReportData, render_html, write_pdf

    config, run, overlays, out_dir = _prepare(config_path, gebieden, ikcs, robustness, changes, out_dir, "report", force)
    if with_pdf:
        from .report import pdf_available

        pdf_available()
    manifest = build_manifest(config, "report", {"overlays": _overlay_manifest(gebieden, ikcs, robustness, changes)})
    html = render_html(ReportData(run, map_frame(run, overlays), manifest))
    writers = {"rapport.html": lambda path: path.write_text(html, encoding="utf-8")}
    if with_pdf:
        writers["rapport.pdf"] = lambda path: write_pdf(html, path)
    moved = write_folder(out_dir, writers, manifest, force)
    if moved:
        click.echo(f"previous output moved to {moved}")
    click.echo(f"written: {out_dir}/ " + ", ".join(writers))
