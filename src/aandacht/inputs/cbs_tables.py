"""The CBS StatLine tables aandacht knows by year, and the key of their region dimension.

Kept apart from the loaders (and free of heavy imports) so that the command line can list
them without loading pandas. Kerncijfers wijken en buurten: one table per year; "Jongeren
met jeugdzorg in natura; wijken": the editions named in ../shared/docs/real-formats.md.
"""

from __future__ import annotations

KWB_TABLES = {2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED", 2023: "85618NED", 2024: "85984NED"}
JEUGDZORG_TABLES = {2016: "83563NED", 2017: "83782NED", 2021: "85075NED", 2023: "85685NED"}
# What ``aandacht fetch`` downloads: per kind, the tables by year and the key of their region dimension.
FETCHABLE = {"kwb": (KWB_TABLES, "WijkenEnBuurten"), "jeugdzorg": (JEUGDZORG_TABLES, "Wijken")}
