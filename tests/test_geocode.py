"""`aandacht fetch locations`: placing schools by their address with the PDOK Locatieserver, on recorded
answers (no network in the tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.errors import AandachtError
from aandacht.inputs.geocode import geocode, parse_response, request_params, split_house_number

PDOK = Path(__file__).parent / "fixtures" / "pdok"
SCHIPHOL = json.loads((PDOK / "1118CP-202.json").read_text(encoding="utf-8"))
NO_HIT = json.loads((PDOK / "no-hit.json").read_text(encoding="utf-8"))


class Reply:
    def __init__(self, answer):
        self.answer = answer

    def raise_for_status(self):
        return None

    def json(self):
        return self.answer


class RecordedSession:
    """Serves the recorded answers by the query's postcode and number; counts the requests."""

    def __init__(self):
        self.asked = []

    def get(self, url, params, timeout):
        self.asked.append(params["q"])
        return Reply(SCHIPHOL if params["q"] == "postcode:1118CP and huisnummer:202" else NO_HIT)


class NoNetwork:
    def get(self, url, params, timeout):
        import requests

        raise requests.ConnectionError("no network")


def test_the_recorded_answer_gives_the_bag_point_and_the_cbs_codes():
    found = parse_response(SCHIPHOL, "1118CP", 202)
    assert found == {"x_rd": 111396.536, "y_rd": 479739.602, "wijk_code": "WK039416", "buurt_code": "BU03941663",
                     "gevonden": "Evert van de Beekstraat 202, 1118CP Schiphol"}
    assert parse_response(SCHIPHOL, "1118CP", 204) is None  # fuzzy hits of another number do not count
    assert parse_response(NO_HIT, "1118CP", 202) is None


def test_house_numbers_as_duo_writes_them():
    assert split_house_number("304") == (304, "")
    assert split_house_number("2-B") == (2, "B")
    assert split_house_number("12 a") == (12, "A")
    assert split_house_number("") == (None, "")
    assert request_params("8933CZ", 304)["q"] == "postcode:8933CZ and huisnummer:304"


def test_answers_are_cached_and_read_offline_the_second_time(tmp_path):
    schools = pd.DataFrame({"brin_vestiging": ["99XX00", "99YY00"], "name": ["School A", "School B"],
                            "street": ["Evert van de Beekstraat", "Nergensweg"], "house_number": ["202", "1"],
                            "postcode": ["1118 CP", "9999 ZZ"], "plaats": ["SCHIPHOL", "NERGENS"]})
    session = RecordedSession()
    first = geocode(schools, tmp_path, session=session)
    assert first.requests == 2 and list(first.table["brin_vestiging"]) == ["99XX00"]
    assert first.not_found == ["99YY00 School B: adres niet in de BAG (Nergensweg 1, 9999 ZZ NERGENS)"]
    again = geocode(schools, tmp_path, session=NoNetwork())  # every answer comes from the cache
    assert again.requests == 0 and again.table.equals(first.table)
    with pytest.raises(AandachtError, match="cannot reach the PDOK Locatieserver"):
        geocode(schools, tmp_path, refresh=True, session=NoNetwork())


def test_fetch_locations_places_an_unplaced_school_by_point_in_polygon(tmp_path, monkeypatch):
    """A Haarlemmermeer project from `aandacht init`; one school loses its place and gets the recorded
    address; `fetch locations` geocodes it and the next run places it in WK039416."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "GM0394", "project"]).exit_code == 0
    project = tmp_path / "project"
    schools_path = project / "data" / "haarlemmermeer" / "schools.csv"
    schools = pd.read_csv(schools_path, dtype=str, keep_default_na=False)
    brin = schools["brin_vestiging"].iloc[0]
    schools.loc[0, ["street", "house_number", "postcode", "plaats", "x_rd", "y_rd", "wijk_code"]] = [
        "Evert van de Beekstraat", "202", "1118 CP", "SCHIPHOL", "", "", ""]
    schools.to_csv(schools_path, index=False)
    monkeypatch.chdir(project)
    check = runner.invoke(main, ["check", "--strict"])
    assert check.exit_code == 1 and brin in check.output
    session = RecordedSession()
    monkeypatch.setattr("requests.Session", lambda: session)
    result = runner.invoke(main, ["fetch", "locations"])
    assert result.exit_code == 0, result.output
    assert "postcode:1118CP and huisnummer:202" in session.asked  # with the gemeente's other unplaced schools
    table = pd.read_csv(project / "aandacht-cache" / "locaties" / "haarlemmermeer.csv", dtype=str)
    assert list(table["brin_vestiging"]) == [brin] and table.loc[0, "wijk_code"] == "WK039416"
    before = len(session.asked)
    assert f"ongeplaatste scholen eerst {before}, nu {before - 1}" in result.output

    from aandacht import load_config
    from aandacht.decide.ikc import load_ikcs
    from aandacht.inputs.areas import load_registry

    config = load_config(next((project / "configs").glob("*.yaml")))
    # the school of the 2019 table is in DUO's list of 2020: the IKC of a round of 2021
    ikcs = load_ikcs(config, load_registry(config.areas.registry, config.areas.geometry), peildatum=2021)
    assert ikcs.school_list.label == "DUO-vestigingen 2020"
    assert ikcs.table.at[brin, "wijk_code"] == "WK039416"


def test_fetch_locations_without_network_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(main, ["init", "GM0060", "project"])  # Ameland: buurten, no polygons, every school unplaced
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setattr("requests.Session", NoNetwork)
    result = runner.invoke(main, ["fetch", "locations"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: cannot reach the PDOK Locatieserver")
    assert not (tmp_path / "project" / "aandacht-cache" / "locaties").exists()
