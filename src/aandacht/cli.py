"""The ``aandacht`` command line: parse, call the library, print.

Heavy libraries (pandas, geopandas, matplotlib) are imported inside the commands so
that ``aandacht --help`` starts fast. A user error (:class:`AandachtError`) is printed
as one line on stderr with exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from datetime import datetime
from functools import partial
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


@main.command()
@_config_option
@click.option("--strict", is_flag=True, help="Exit with code 1 when there are warnings.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./aandacht-output/check-<gemeente>-<time>). Never overwritten.")
@click.option("--force", is_flag=True, help="If --out exists, move it aside (never deleted) and write anew.")
def check(config_path: Path | None, strict: bool, out_dir: Path | None, force: bool) -> None:
    """Check the inputs: coverage, missing values, out-of-range values, name matches, stale indicators.

    Writes check.xlsx and one CSV per table. Exit code 0 usable, 1 warnings (with --strict), 2 unusable.
    """
    from .check import check_data, write_check_workbook
    from .manifest import build_manifest
    from .output import check_target, write_folder
    from .tables import write_csv
    from .terminal import print_check, print_notes

    config = _load(config_path)
    if out_dir is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_dir = Path("aandacht-output") / f"check-{config.gemeente.name.lower().replace(' ', '-')}-{stamp}"
    check_target(out_dir, force)
    report = check_data(config)
    print_notes(report.notes)
    print_check(report, f"{config.gemeente.name}, {config.level}")
    writers = {f"{name}.csv": partial(write_csv, table) for name, table in report.sheets().items()}
    writers["check.xlsx"] = partial(write_check_workbook, report)
    write_folder(out_dir, writers, build_manifest(config, "check", {"status": report.status}), force)
    click.echo(f"written: {out_dir}/check.xlsx, {', '.join(f'{n}.csv' for n in report.sheets())}, manifest.json")
    sys.exit(report.exit_code(strict))


@main.group()
def fetch() -> None:
    """Download public source data into a local cache (then everything works offline)."""


@fetch.command("kwb")
@click.option("--gemeente", required=True, help="Gemeente code, e.g. GM0080.")
@click.option("--year", type=int, required=True, help="KWB year (2019-2024).")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("aandacht-cache") / "cbs",
              show_default=True, help="Cache folder; the data go to <cache>/<table>/<gemeente>/.")
@click.option("--refresh", is_flag=True, help="Download again even if the cache holds this table.")
def fetch_kwb_command(gemeente: str, year: int, cache_dir: Path, refresh: bool) -> None:
    """Download CBS Kerncijfers Wijken en Buurten for one gemeente through CBS OData (cbsodata)."""
    from .sources.kwb_odata import fetch_kwb

    folder = fetch_kwb(gemeente, year, cache_dir, refresh)
    click.echo(f"cached: {folder} (use it as the path of a 'kwb' input)")
