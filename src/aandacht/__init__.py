"""aandacht: designate aandachtsgebieden and propose Plus-IKCs from wijk indicators.

The package follows its data, one subpackage per stage, each importing only from the
stages before it (a test checks this):

    config/    the YAML config as validated models, beside every stage
    inputs/    published files -> one tidy indicator table -> the area x indicator matrix
    scoring/   the matrix -> composite scores and ranks, and how robust they are
    decide/    scores -> aandachtsgebieden and the Plus-IKC choice
    rounds/    one herijking round, continuing from and compared with the previous one
    present/   what people read: terminal tables, CSV and Excel, maps, the Dutch report
    archive/   output folders written atomically with a manifest, and verified later

The command line (:mod:`aandacht.cli`) is a thin layer on top. A notebook calls the same
functions, importable from here::

    from aandacht import load_config, run_score, ranking
    run = run_score(load_config("configs/leeuwarden.yaml"))
    ranking(run).head()
"""

from ._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    **dict.fromkeys(["AandachtError", "ConfigError", "DataError", "OutputError"], ".errors"),
    **dict.fromkeys(["default_config_path", "embedded_root"], ".resources"),
    **dict.fromkeys(["Config", "load_config"], ".config"),
    **dict.fromkeys(["load_indicators"], ".inputs.load"),
    **dict.fromkeys(["build_matrix"], ".inputs.matrix"),
    **dict.fromkeys(["check_data"], ".inputs.check"),
    **dict.fromkeys(["score"], ".scoring.composite"),
    **dict.fromkeys(["ScoreRun", "run_score"], ".scoring.run"),
    **dict.fromkeys(["robustness_table", "uncertainty"], ".scoring.robustness"),
    **dict.fromkeys(["correlation_checks"], ".scoring.coherence"),
    **dict.fromkeys(["designate"], ".decide.designate"),
    **dict.fromkeys(["load_ikcs"], ".decide.ikc"),
    **dict.fromkeys(["select_plus"], ".decide.select"),
    **dict.fromkeys(["Herijking", "run_herijking"], ".rounds.herijking"),
    **dict.fromkeys(["read_round"], ".rounds.record"),
    **dict.fromkeys(["compare_records"], ".rounds.compare"),
    **dict.fromkeys(["check_sheets", "ranking", "ranking_with_uncertainty", "score_writers", "write_csv"],
                    ".present.tables"),
    **dict.fromkeys(["domain_maps", "indicator_maps", "map_builders", "map_frame", "render_maps", "score_map"],
                    ".present.maps"),
    **dict.fromkeys(["draw_all", "save_figure"], ".present.drawing"),
    **dict.fromkeys(["read_overlays"], ".present.overlays"),
    **dict.fromkeys(["ReportData", "render_html"], ".present.report"),
    **dict.fromkeys(["typst_markup", "write_pdf"], ".present.typeset"),
    **dict.fromkeys(["round_maps", "round_overlays", "round_writers", "visual_writers"], ".present.round_folder"),
    **dict.fromkeys(["build_manifest"], ".archive.manifest"),
    **dict.fromkeys(["write_folder"], ".archive.output"),
    **dict.fromkeys(["verify_folder"], ".archive.verify"),
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
