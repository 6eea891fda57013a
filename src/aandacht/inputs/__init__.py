"""Inputs: from the files analysts have to the area x indicator matrix the scorer reads.

Takes the config's ``areas`` and ``inputs``. Reads messy CSV, Excel and ODS extracts and
parses published numbers and signs (``reading``); reads the area registry and polygons
(``areas``); runs one loader per source family (``sources/``: CBS Kerncijfers, school
scores, OAB, DUO, Jeugdmonitor, Kinderen in Tel, generic tables), each producing the tidy
indicator table (``tidy``: area_code, area_name, level, period, source, indicator, value,
numerator, denominator, unit, flag); matches names and converts postcode areas and boundary
vintages (``harmonise``); joins the inputs and the precedence rules (``load``). Hands on
the indicator matrix (``matrix``: values, numerators, denominators, reliability marks and
the population gate, with small-area shrinkage from ``shrinkage``) and, for ``aandacht
check``, a data-quality report (``check``).
"""
