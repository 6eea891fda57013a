# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Herijking walkthrough: from public data to maps and report
#
# This notebook walks through a herijking of the aandachtsgebieden with the `aandacht` library API,
# on the embedded Leeuwarden data (CBS Kerncijfers wijken en buurten, CBS achterstandsscores, DUO).
# Every step is a plain function call, the same one the command line uses:
#
# 1. load the config and the inputs into the tidy indicator table;
# 2. check the data (missing values, reliability marks);
# 3. score and rank the wijken;
# 4. draw the maps;
# 5. write the Dutch report.
#
# Sensitivity, designation and Plus-IKC selection are separate steps; their results are passed to
# maps and report as plain tables (see step 6).

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import pandas as pd

from aandacht.config import load_config
from aandacht.indicators import build_matrix
from aandacht.manifest import build_manifest
from aandacht.maps import domain_maps, map_frame, score_map
from aandacht.overlays import make_overlays
from aandacht.pipeline import load_indicators, run_score
from aandacht.report import ReportData, render_html
from aandacht.resources import default_config_path
from aandacht.scoring import score
from aandacht.tables import ranking

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
# The indicator matrix holds one value per wijk and indicator, why a value is missing, and a
# reliability mark (B = betrouwbaar, I = indicatief: denominator below the configured minimum).

# %%
matrix = build_matrix(tidy, config, registry)
print("wijken scored:", int(matrix.areas["scored"].sum()), "of", len(matrix.areas))
print(matrix.areas.loc[~matrix.areas["scored"], ["area_name", "reason"]].to_string())
pd.DataFrame({
    "missing": matrix.values.isna().sum(),
    "indicatief": (matrix.reliability == "I").sum(),
})

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
# ## 4. Maps
# `map_frame` joins the wijk polygons (EPSG:28992) with the scores. The city zoom is computed from
# the densest wijken, because Leeuwarden's villages lie far from the centre.

# %%
frame = map_frame(run)
figure = score_map(frame, "slide")
figure

# %%
figure = domain_maps(frame, "slide")
figure

# %% [markdown]
# ## 5. Report
# `render_html` writes one self-contained Dutch HTML file (maps embedded); `write_pdf` lays it out
# as PDF. Blocks for designation, Plus-IKCs, changes and robustness say "nog niet beschikbaar"
# until those results are given.

# %%
out = Path(tempfile.mkdtemp(prefix="aandacht-notebook-"))
html = render_html(ReportData(run, frame, build_manifest(config, "notebook")))
(out / "rapport.html").write_text(html, encoding="utf-8")
print(out / "rapport.html", f"{len(html) / 1e6:.1f} MB")

# %% [markdown]
# ## 6. Passing designation and selection results (demonstration)
# The designation and Plus-IKC selection steps produce plain tables: aandachtsgebieden (name and
# member wijken) and IKCs (name, RD coordinates, status). Here the three highest-ranked wijken
# stand in for a designation, **as demonstration data**: the map marks them as such.

# %%
top3 = table.dropna(subset=["rang"]).head(3)
gebieden = pd.DataFrame({"gebied": top3["area_name"], "area_code": top3["area_code"]})
overlays = make_overlays(set(run.matrix.areas.index), gebieden=gebieden, demonstration=["gebieden"])
figure = score_map(map_frame(run, overlays), "slide")
figure
