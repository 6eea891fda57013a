# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Herijking walkthrough: from public data to aandachtsgebieden, Plus-IKCs, maps and report
#
# This notebook walks through a herijking with the `aandacht` library API, on the embedded
# Leeuwarden data (CBS Kerncijfers wijken en buurten, Inspectie schoolweging and leerresultaten, DUO). Every step is a
# plain function call, the same one the command line uses:
#
# 1. load the config and the inputs into the tidy indicator table;
# 2. check the data (coverage, missing values, reliability marks);
# 3. score and rank the wijken;
# 4. sensitivity: how robust is the ranking to reasonable method choices?
# 5. designate the aandachtsgebieden and select the Plus-IKCs;
# 6. draw the maps and write the Dutch report.

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import pandas as pd

from aandacht import (
    ReportData,
    build_manifest,
    build_matrix,
    check_data,
    default_config_path,
    domain_maps,
    load_config,
    load_indicators,
    map_frame,
    ranking,
    ranking_with_uncertainty,
    render_html,
    round_overlays,
    run_herijking,
    run_score,
    score,
    score_map,
    uncertainty,
)

# %% [markdown]
# ## 1. Load
# The config names the gemeente, the inputs and the indicator framework. `load_indicators` reads
# every input into one tidy table (one row per area, period, source and indicator).

# %%
config = load_config(default_config_path())
registry, tidy, notes = load_indicators(config)
print(config.gemeente.name, "-", len(tidy), "tidy rows from", len(config.inputs), "inputs")
tidy.head()

# %% [markdown]
# ## 2. Check
# `check_data` is what `aandacht check` prints: problems, and per source and indicator the coverage.
# The indicator matrix holds one value per wijk and indicator, why a value is missing, and a
# reliability mark (B = betrouwbaar, I = indicatief: denominator below the configured minimum).

# %%
report = check_data(config)
print("verdict:", report.status)
report.problems

# %%
matrix = build_matrix(tidy, config, registry)
print("wijken scored:", int(matrix.areas["scored"].sum()), "of", len(matrix.areas))
print(matrix.areas.loc[~matrix.areas["scored"], ["area_name", "reason"]].to_string())
pd.DataFrame({"missing": matrix.values.isna().sum(), "indicatief": (matrix.reliability == "I").sum()})

# %% [markdown]
# ## 3. Score
# `score` normalises (min-max 0-100 with directions) and aggregates up the framework; the result
# keeps every intermediate table. `run_score` does steps 1-3 in one call and `ranking` gives the
# table the bestuurlijk overleg sees.

# %%
result = score(matrix.scored_values, config.framework, config.method)
run = run_score(config)
assert run.result.index.round(9).equals(result.index.round(9))
table = ranking(run)
table[["rang", "area_name", "score", "grootste_bijdrage", "betrouwbaarheid"]].head(8)

# %%
run.result.effective_weights[["label", "nominal", "contribution"]]

# %% [markdown]
# ## 4. Sensitivity
# The config's `uncertainty` section lists the method choices that are defensible (weights +-25%,
# min-max or percentile ranks, treatment on or off, one indicator left out). Each draw makes one set
# of choices; the chance of being aandachtsgebieden is the share of draws in which the wijk falls
# under the designation rule. 300 draws keep the notebook quick; the config asks 1,000.

# %%
analysis = uncertainty(run, draws=300, sobol=False)
robust = ranking_with_uncertainty(run, analysis)
robust[["rang", "area_name", "rang_p05", "rang_p95", "kans_aanwijzing"]].head(9)

# %% [markdown]
# ## 5. Designate and select
# `run_herijking` scores, runs the robustness analysis, designates the aandachtsgebieden under the
# config's rules and chooses the Plus-IKCs with the integer program (PuLP/CBC). With a previous round
# folder it also applies the continuity rules and lists what changed.

# %%
herijking = run_herijking(config, 2026)
herijking.designation.gebieden[["gebied", "area_names"]]

# %%
chosen = herijking.selection.ikcs
chosen.loc[chosen["plus_ikc"], ["name", "gebied", "need", "status"]]

# %% [markdown]
# ## 6. Maps and report
# `map_frame` joins the wijk polygons (EPSG:28992) with the scores; `round_overlays` adds the
# aandachtsgebieden, the IKCs and the chance of designation. The city zoom is computed from the
# densest wijken, because Leeuwarden's villages lie far from the centre.

# %%
frame = map_frame(run)
figure = domain_maps(frame, "slide")
figure

# %%
frame = map_frame(herijking.run, round_overlays(herijking))
figure = score_map(frame, "slide")
figure

# %%
out = Path(tempfile.mkdtemp(prefix="aandacht-notebook-"))
html = render_html(ReportData(herijking.run, frame, build_manifest(config, "notebook")))
(out / "rapport.html").write_text(html, encoding="utf-8")
print(out / "rapport.html", f"{len(html) / 1e6:.1f} MB")
