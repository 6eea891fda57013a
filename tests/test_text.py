"""Long lists in notes are cut to their first items with the count of the rest (aandacht.text)."""

from aandacht.text import first_of


def test_a_short_list_is_shown_whole():
    assert first_of(["a", "b"]) == "a, b"
    assert first_of([f"s{i}" for i in range(10)]) == ", ".join(f"s{i}" for i in range(10))  # exactly the limit


def test_a_long_list_names_the_first_and_counts_the_rest():
    schools = [f"{i:02d}AA00 School {i}" for i in range(217)]
    assert first_of(schools, whole="niet_geplaatst.csv") == (
        ", ".join(schools[:10]) + ", ... en nog 207 (alle in niet_geplaatst.csv)")
    assert first_of(schools, limit=3) == f"{schools[0]}, {schools[1]}, {schools[2]}, ... en nog 214"
