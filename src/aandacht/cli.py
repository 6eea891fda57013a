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
@click.option("--uncertainty", "draws", type=click.IntRange(min=2), default=None,
              help="Add rank intervals and the chance of being aandachtsgebied from N Monte Carlo draws (config section uncertainty).")
def score(config_path: Path | None, out_dir: Path | None, top: int | None, force: bool, draws: int | None) -> None:
    """Score and rank the areas; write ranking.csv, scores.xlsx and manifest.json."""
    from .manifest import build_manifest
    from .output import check_target, write_folder
    from .pipeline import run_score
    from .robustness import check_sheets, ranking_with_uncertainty, uncertainty
    from .tables import ranking, write_csv, write_workbook
    from .terminal import ProgressBar, print_notes, print_ranking

    config = _load(config_path)
    if out_dir is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_dir = Path("aandacht-output") / f"score-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"
    check_target(out_dir, force)
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
    manifest = build_manifest(config, "score", extra)
    sheets = check_sheets(run)
    moved = write_folder(out_dir, {
        "ranking.csv": lambda path: write_csv(table, path),
        "scores.xlsx": lambda path: write_workbook(run, path, table, sheets),
    }, manifest, force)
    if moved:
        click.echo(f"previous output moved to {moved}")
    click.echo(f"written: {out_dir}/ranking.csv, scores.xlsx, manifest.json")


@main.command()
@_config_option
@click.option("--draws", type=click.IntRange(min=2), default=None, help="Monte Carlo draws (default: uncertainty.draws in the config).")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Random seed (default: uncertainty.seed in the config).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./aandacht-output/sensitivity-<gemeente>-<time>). Never overwritten.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Print only the first N areas.")
@click.option("--spatial", is_flag=True, help="Also run local Moran's I (needs the extra: pip install 'aandacht[spatial]').")
@click.option("--force", is_flag=True, help="If --out exists, move it aside (never deleted) and write anew.")
def sensitivity(config_path: Path | None, draws: int | None, seed: int | None, out_dir: Path | None,
                top: int | None, spatial: bool, force: bool) -> None:
    """Uncertainty and sensitivity of the ranking: rank intervals, chance of being aandachtsgebied,
    Sobol indices, coherence, consensus and (with --spatial) clustering."""
    from .manifest import build_manifest
    from .output import check_target, write_folder
    from .pipeline import run_score
    from .robustness import check_sheets, uncertainty, uncertainty_sheet
    from .tables import write_csv
    from .terminal import ProgressBar, print_notes, print_sobol, print_uncertainty

    config = _load(config_path)
    if out_dir is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_dir = Path("aandacht-output") / f"sensitivity-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"
    check_target(out_dir, force)
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
        click.echo("no uncertain inputs declared (uncertainty section): Sobol indices not computed")
    outputs = {"uncertainty": table}
    if unc.sobol_summary is not None:
        outputs |= {"sobol": unc.sobol_summary, "sobol per area": unc.sobol_areas}
    writers = {f"{name.replace(' ', '_')}.csv": (lambda frame: lambda path: write_csv(frame, path))(frame)
               for name, frame in outputs.items()}
    writers["sensitivity.xlsx"] = lambda path: _write_sheets(outputs | sheets, path)
    extra = {"uncertainty": {"draws": unc.draws, "seed": unc.seed, "evaluations": unc.evaluations, "factors": unc.factors}}
    moved = write_folder(out_dir, writers, build_manifest(config, "sensitivity", extra), force)
    if moved:
        click.echo(f"previous output moved to {moved}")
    click.echo(f"written: {out_dir}/{', '.join(writers)}, manifest.json")


def _write_sheets(sheets, path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
