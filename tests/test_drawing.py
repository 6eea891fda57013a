"""Drawing maps into PNG and PDF bytes, in one process or two (present/drawing.py)."""

import gc
import io
import os
import pickle
import sys
import time
from functools import partial

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from aandacht.errors import DataError
from aandacht.present import drawing
from aandacht.present.drawing import Later, Received, Rendered, child_share, draw_all, png_bytes, start_drawer

two_processes = pytest.mark.skipif(sys.platform != "linux" or drawing._cores() < 2,
                                   reason="maps are drawn in two processes only on Linux with two or more cores")
NAMES = ["kaart-score", "kaart-domeinen", "kaart-indicatoren", "kaart-kans"]


def figure(text: str) -> Figure:
    fig = Figure(figsize=(2, 1.5))
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
    ax.fill([0, 1, 1, 0], [0, 0, 1, 1], color="#cc4c02")
    ax.text(0.5, 0.5, text, ha="center", fontsize=9)
    return fig


def builders(names=NAMES, failing: dict | None = None) -> dict:
    def build(name):
        if failing and name in failing:
            failing[name]()
        return figure(name)
    return {name: (lambda name=name: build(name)) for name in names}


def _same_as_in_one_process(later: dict, builders: dict, monkeypatch) -> None:
    """The maps ``later`` (drawn in two processes) have the PNG bytes of the same maps drawn in this process alone."""
    monkeypatch.setattr(drawing, "_cores", lambda: 1)
    one = draw_all(builders, dpi=50, also=(25,))
    for name in NAMES:
        assert later[name].png() == one[name].png() and later[name].png(25) == one[name].png(25)


def _no_child_left() -> None:
    """No child process of this one is left (each was waited for)."""
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_child_share_balances_the_measured_costs():
    # indicatoren 0.22 here; kans 0.21 to the child (0.08 + 0.21); score 0.19 here (0.41);
    # domeinen 0.11 to the child (0.40): both about half
    assert child_share(NAMES) == ["kaart-kans", "kaart-domeinen"]
    assert child_share(["kaart-score"]) == []  # one map: the child would only add its start
    assert child_share(["a", "b"]) == ["b"]  # unknown names weigh the same; this process keeps the first


@two_processes
def test_two_processes_give_the_same_pngs_as_one(monkeypatch):
    both = draw_all(builders(), dpi=50, also=(25,))
    assert list(both) == NAMES
    assert {n for n, d in both.items() if isinstance(d, Received)} == set(child_share(NAMES))
    monkeypatch.setattr(drawing, "_cores", lambda: 1)
    one = draw_all(builders(), dpi=50, also=(25,))
    assert all(isinstance(d, Rendered) for d in one.values())
    for name in NAMES:
        assert both[name].png() == one[name].png() and both[name].png(25) == one[name].png(25)
        assert both[name].png().startswith(b"\x89PNG") and len(both[name].png(25)) < len(both[name].png())


@two_processes
def test_pdf_only_and_writing(tmp_path):
    drawn = draw_all(builders(), dpi=50, png=False, pdf=True)
    for name, map_ in drawn.items():
        map_.write(tmp_path / f"{name}.pdf")
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    received = next(d for d in drawn.values() if isinstance(d, Received))
    with pytest.raises(KeyError):
        received.png()
    assert Received(50, {50: b"png"}, None).png() == b"png"
    with pytest.raises(ValueError, match="without a PDF"):
        Received(50, {50: b"png"}, None).pdf()


@two_processes
def test_an_error_in_the_child_is_raised_here_with_its_traceback():
    def bad():
        raise DataError("wijken.csv: row 3: no area_code")

    child = child_share(NAMES)[0]
    with pytest.raises(DataError, match="wijken.csv: row 3: no area_code") as caught:
        draw_all(builders(failing={child: bad}), dpi=30)
    assert any("Traceback" in note and "bad" in note for note in caught.value.__notes__)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child has ended and is reaped


@two_processes
def test_a_failure_here_stops_the_child():
    def bad():
        raise DataError("kaart: broken")

    child, here = child_share(NAMES)[0], next(n for n in NAMES if n not in child_share(NAMES))
    start = time.perf_counter()
    with pytest.raises(DataError, match="kaart: broken"):
        draw_all(builders(failing={here: bad, child: lambda: time.sleep(60)}), dpi=30)
    assert time.perf_counter() - start < 20
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_one_process_where_forking_is_not_offered(monkeypatch):
    monkeypatch.setattr(drawing.sys, "platform", "win32")
    drawn = draw_all(builders(NAMES[:2]), dpi=30)
    assert all(isinstance(d, Rendered) for d in drawn.values())


@two_processes
def test_one_process_when_the_system_refuses_a_new_one(monkeypatch):
    def refuse():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(drawing.os, "fork", refuse)
    drawn = draw_all(builders(), dpi=30)
    assert all(isinstance(d, Rendered) for d in drawn.values()) and list(drawn) == NAMES


@two_processes
def test_a_child_that_is_killed_has_its_maps_drawn_here():
    parent = os.getpid()

    def die():
        if os.getpid() != parent:  # only in the child: as the out-of-memory killer would
            os.kill(os.getpid(), 9)

    child = child_share(NAMES)
    with pytest.warns(RuntimeWarning, match=f"kaarten: het proces dat er {len(child)} tekende, stopte door signaal 9; "
                                            "ze zijn alsnog hier getekend"):
        drawn = draw_all(builders(failing={child[0]: die}), dpi=30)
    assert list(drawn) == NAMES and all(isinstance(d, Rendered) for d in drawn.values())
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@two_processes
def test_a_received_map_gives_any_lower_resolution_as_a_drawn_one_does(monkeypatch):
    received = draw_all(builders(), dpi=60)
    monkeypatch.setattr(drawing, "_cores", lambda: 1)
    here = draw_all(builders(), dpi=60)
    name = child_share(NAMES)[0]
    assert isinstance(received[name], Received)
    assert received[name].png(30) == here[name].png(30) and received[name].png(45) == here[name].png(45)


def test_other_work_here_gives_the_child_more():
    assert child_share(NAMES, meanwhile=0.5) == ["kaart-indicatoren", "kaart-kans", "kaart-domeinen"]
    assert child_share(["a", "b"], meanwhile=0.5) == ["a", "b"]


@two_processes
def test_with_other_work_the_maps_are_drawn_and_received_when_asked_for(monkeypatch):
    built = []
    later = draw_all({name: (lambda build=build, name=name: built.append(name) or build())
                      for name, build in builders().items()}, dpi=50, also=(25,), meanwhile=0.5)
    assert all(isinstance(d, Later) for d in later.values()) and built == []  # nothing drawn here yet
    assert later[NAMES[0]].png()
    assert built == [n for n in NAMES if n not in child_share(NAMES, meanwhile=0.5)]  # this process's share
    _same_as_in_one_process(later, builders(), monkeypatch)
    _no_child_left()


@two_processes
def test_with_other_work_an_error_in_the_child_is_raised_when_its_maps_are_asked_for():
    def bad():
        raise DataError("wijken.csv: row 3: no area_code")

    child = child_share(NAMES, meanwhile=0.5)[0]
    drawn = draw_all(builders(failing={child: bad}), dpi=30, meanwhile=0.5)
    for _ in range(2):  # and again on a second asking
        with pytest.raises(DataError, match="wijken.csv: row 3: no area_code"):
            drawn[child].png()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@two_processes
def test_with_other_work_a_failure_here_stops_the_child():
    def bad():
        raise DataError("kaart: broken")

    child = child_share(NAMES, meanwhile=0.1)
    here = next(n for n in NAMES if n not in child)
    drawn = draw_all(builders(failing={here: bad, child[0]: lambda: time.sleep(60)}), dpi=30, meanwhile=0.1)
    start = time.perf_counter()
    for name in (child[0], here):
        with pytest.raises(DataError, match="kaart: broken"):
            drawn[name].png()
    assert time.perf_counter() - start < 20
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@two_processes
def test_a_child_whose_maps_are_never_asked_for_is_stopped():
    drawn = draw_all(builders(failing={child_share(NAMES, meanwhile=0.5)[0]: lambda: time.sleep(60)}), dpi=30,
                     meanwhile=0.5)
    start = time.perf_counter()
    del drawn
    gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    assert time.perf_counter() - start < 5


def test_png_bytes_are_the_pixels_with_their_resolution():
    fig = figure("Huizum-Oost")
    drawn = Rendered(fig, 40)
    image = Image.open(io.BytesIO(drawn.png()))
    assert image.mode == "RGB" and image.info["dpi"] == pytest.approx((40, 40), abs=0.01)
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    assert (np.asarray(image) == pixels).all()
    assert png_bytes(pixels, 40) == drawn.png()


def named_figure(name: str) -> Figure:
    return figure(name)


def picklable(names=NAMES) -> dict:
    """Builders that can be sent to a drawer started earlier (module functions, not closures)."""
    return {name: partial(named_figure, name) for name in names}


def broken_layers():
    raise DataError("plaatsen.csv: row 2: no x_rd")


@two_processes
def test_a_drawer_started_early_draws_the_childs_share(monkeypatch):
    with start_drawer() as drawer:
        later = draw_all(picklable(), dpi=50, also=(25,), meanwhile=0.5, drawer=drawer)
        assert not drawer.idle() and all(isinstance(d, Later) for d in later.values())
        _same_as_in_one_process(later, picklable(), monkeypatch)
    _no_child_left()


@two_processes
def test_a_drawer_sent_nothing_is_stopped_on_leaving():
    start = time.perf_counter()
    with start_drawer(partial(time.sleep, 60)) as drawer:
        assert drawer.idle()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    assert time.perf_counter() - start < 20


@two_processes
def test_a_drawer_not_needed_is_stopped_at_once_and_then_draws_nothing():
    """A herijking whose config has no polygons stops its drawer when it knows (not at the end); draw_all then
    draws without it."""
    with start_drawer(partial(time.sleep, 60)) as drawer:
        drawer.stop()
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)
        assert not drawer.idle()
        drawn = draw_all(picklable(NAMES[:1]), dpi=30, drawer=drawer)
        assert drawn[NAMES[0]].png().startswith(b"\x89PNG")
        drawer.stop()  # again, and on leaving: nothing left to stop
    _no_child_left()


@two_processes
def test_an_error_in_the_drawers_preparation_is_raised_when_its_maps_are_asked_for():
    with start_drawer(broken_layers) as drawer:
        drawn = draw_all(picklable(), dpi=30, meanwhile=0.5, drawer=drawer)
        child = child_share(NAMES, 0.5, start=0.0)[0]
        with pytest.raises(DataError, match="plaatsen.csv: row 2: no x_rd"):
            drawn[child].png()


def test_no_drawer_where_forking_is_not_offered(monkeypatch):
    monkeypatch.setattr(drawing.sys, "platform", "win32")
    assert start_drawer() is None


@two_processes
def test_a_drawer_killed_before_its_maps_has_them_drawn_here():
    with start_drawer(lambda: os.kill(os.getpid(), 9)) as drawer:  # as the out-of-memory killer would
        drawn = draw_all(picklable(), dpi=30, meanwhile=0.5, drawer=drawer)
        with pytest.warns(RuntimeWarning, match="stopte door signaal 9; ze zijn alsnog hier getekend"):
            assert all(d.png().startswith(b"\x89PNG") for d in drawn.values())
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@two_processes
def test_maps_that_cannot_be_sent_leave_no_drawer_behind():
    """Builders that do not pickle (a closure) raise, and the drawer, sent nothing, is stopped on leaving."""
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        with start_drawer() as drawer:
            draw_all({name: (lambda: None) for name in NAMES}, dpi=50, meanwhile=0.5, drawer=drawer)
    _no_child_left()


def test_a_figure_is_built_at_the_resolution_it_is_drawn_at(monkeypatch):
    # so the texts a builder measures are measured as drawn, once, on the canvas drawn on
    monkeypatch.setattr(drawing, "_cores", lambda: 1)
    made = {}

    def build():
        fig = figure("Huizum-Oost")
        made["dpi"], made["renderer"] = fig.dpi, fig.canvas.get_renderer()
        return fig

    drawn = draw_all({"kaart-score": build}, dpi=40)
    assert made["dpi"] == 40 and Image.open(io.BytesIO(drawn["kaart-score"].png())).size == (80, 60)
    assert drawn["kaart-score"].fig.canvas.get_renderer() is made["renderer"]


def test_a_drawer_warms_up_only_while_its_job_has_not_come():
    """start_drawer's ``warm`` runs after ``prepare`` when no job is waiting, and is left out when the job is
    already in the pipe (the maps then pay matplotlib's first use themselves: warming up would delay them)."""
    import pickle
    import threading

    from aandacht.present.drawing import _wait_for_job

    calls = []
    read, write = os.pipe()
    os.write(write, pickle.dumps(("job",)))
    assert _wait_for_job(lambda: calls.append("prepare"), lambda: calls.append("warm"), (read, write)) == ("job",)
    assert calls == ["prepare"]

    calls.clear()
    read, write = os.pipe()
    sender = os.dup(write)  # the parent's end, still open while the child gets ready

    def warm():
        calls.append("warm")
        threading.Thread(target=lambda: (os.write(sender, pickle.dumps(("later",))), os.close(sender))).start()

    assert _wait_for_job(lambda: calls.append("prepare"), warm, (read, write)) == ("later",)
    assert calls == ["prepare", "warm"]
