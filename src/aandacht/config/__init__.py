"""Config: the YAML file that says what is scored and how, as validated models.

Beside the stages rather than in their flow: every stage reads the part of the config it
needs. One module per section (``inputs``, ``framework``, ``method``, ``designation``,
``selection``, ``uncertainty``, ``presentation``), the registries of the choices the
sections offer (``choices``), the whole :class:`Config` (``model``) and reading a file with
errors that name the file and the key path (``load``). Everything is importable from here
(imported on first use, so that the command line starts fast).
"""

from .._lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(["Strict"], ".base"),
    **dict.fromkeys(["AreaGroup", "DesignationRules"], ".designation"),
    **dict.fromkeys(["Framework", "Goalposts", "IndexNode", "Indicator", "Node", "check_hierarchy"], ".framework"),
    **dict.fromkeys(["Areas", "Gemeente", "InputSpec", "MissingFlag", "PopulationGate", "Precedence", "TableLayout", "Vintage",
                     "period_year"],
                    ".inputs"),
    **dict.fromkeys(["check_paths_inside", "config_as_dict", "input_source", "is_aandacht_checkout", "load_config",
                     "named_paths", "parse_config", "project_config", "project_dir", "resolve_path"], ".load"),
    **dict.fromkeys(["Aggregation", "IndicatorTreatment", "Method", "Missing", "Normalisation", "Screening",
                     "Treatment"], ".method"),
    **dict.fromkeys(["AggregationMethod", "ImputationMethod", "LoaderName", "NormalisationMethod"], ".choices"),
    **dict.fromkeys(["Config", "check_uncertainty"], ".model"),
    **dict.fromkeys(["MapOptions", "ReportOptions"], ".presentation"),
    **dict.fromkeys(["BoardLimit", "Budget", "Continuity", "IkcRegistrySpec", "NeedWeights", "SchoolList",
                     "SelectionRules"],
                    ".selection"),
    **dict.fromkeys(["Consensus", "CorrelationFlags", "Designation", "Spatial", "Uncertainty"], ".uncertainty"),
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
