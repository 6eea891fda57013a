"""aandacht: designate aandachtsgebieden and propose Plus-IKCs from wijk indicators.

The library is importable without the CLI; the main entry points are
:func:`aandacht.config.load_config`, :func:`aandacht.pipeline.load_indicators`
and :func:`aandacht.scoring.score`.
"""

__version__ = "0.1.0"
