"""Figures into PNG and PDF: each map drawn once, on both processor cores where the system allows.

Takes figure builders (name -> function that builds a matplotlib figure) and hands on, per name,
an object with ``png(dpi)`` (PNG bytes) and ``write(path)`` (``.png`` or ``.pdf``).

* :class:`Rendered`: a figure drawn once into pixels; PNGs at the drawn resolution and at lower
  ones (for the report) are encoded from those pixels in a background thread (deflating releases the
  GIL, so encoding runs while the next map is drawn); a PDF is drawn from the figure as vectors.
* :func:`draw_all`: the maps of a command. On Linux with two or more cores available, a forked
  child process builds and draws part of the maps (the share by :data:`WEIGHTS`, the measured
  cost of each kind of map) while this process draws the rest, and sends back the finished PNG
  and PDF bytes (:class:`Received`). Building and drawing are pure Python holding the GIL, so
  threads cannot share them; matplotlib is imported before the fork, so both processes have it
  (a :func:`start_drawer` child imports it itself).
  The bytes are the same as drawn here: the child starts from this process's state and draws
  with the same fonts and settings. An error in the child is raised here; a child that ends
  without sending its maps (killed, out of memory) has them drawn here, with a warning; elsewhere
  (Windows, macOS, one core) every map is drawn in this process.
* A caller with other work to do before it needs the maps (``meanwhile``: a herijking lays out
  its report and writes its tables) gives the child a larger share and gets every map as
  :class:`Later`: this process draws its share after that work, when the first map is asked for,
  and then receives the child's, so that its other work overlaps the child's drawing.
* :func:`start_drawer`: the child started earlier, before the maps' data exist (a herijking starts
  it once the modules both processes need are imported, before the config is read): it imports
  matplotlib and gets ready while this process computes (the herijking's ``prepare`` reads the shared
  layers; its ``warm``, :func:`aandacht.present.maps.warm_up`, draws a small figure to warm matplotlib up,
  only while the job has not come), then draws the share :func:`draw_all` sends it (the builders, pickled), what it had before its maps
  left out of the garbage collector's full collections (``gc.freeze``).
  The figures: ``benchmarks/bench_presentation.py``, in README.md.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import signal
import struct
import sys
import traceback
import warnings
import weakref
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from isal import isal_zlib

# The cost of building, drawing and encoding each map (CPU seconds on the 2-core machine, Leeuwarden
# after a previous round, 8 December 2026, in its fast phase; texts laid out once and legends measured once,
# cartography.map_canvas and legend_class), and the child's extra (it waits for its last PNG before
# sending): the child takes the maps that bring its share closest to half. A name not listed weighs DEFAULT_WEIGHT.
WEIGHTS = {"kaart-score": 0.19, "kaart-domeinen": 0.11, "kaart-indicatoren": 0.22, "kaart-kans": 0.21,
           "kaart-verandering": 0.19}
DEFAULT_WEIGHT = 0.2
CHILD_START = 0.08

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent ends
_ENCODER = []  # one thread pool for PNG encoding per process


def _encoder():
    from concurrent.futures import ThreadPoolExecutor

    if not _ENCODER:
        _ENCODER.append(ThreadPoolExecutor(max_workers=2, thread_name_prefix="aandacht-png"))
    return _ENCODER[0]


class Drawn(ABC):
    """What :func:`draw_all` hands on per map: ``dpi``, ``png(dpi)`` and ``pdf()`` bytes."""

    dpi: int

    @abstractmethod
    def png(self, dpi: int | None = None) -> bytes:
        """PNG bytes at ``dpi`` (default: as drawn)."""

    @abstractmethod
    def pdf(self) -> bytes:
        """The map as a vector PDF."""

    def write(self, path: Path) -> None:
        """``path`` as PNG or PDF, by its suffix."""
        path.write_bytes(self.png() if path.suffix == ".png" else self.pdf())


class Rendered(Drawn):
    """A figure drawn once into pixels at ``dpi``. PNG bytes at that resolution and at each of the
    lower resolutions in ``also`` (for the report; scaled down from the same pixels, not drawn again)
    are encoded in a background thread, straight from the canvas's pixel buffer (not copied); the
    figure is kept for a vector PDF (drawn by another renderer, after those PNGs are done). The
    buffer is the canvas's own: code outside this class must not draw ``fig`` on its Agg canvas again
    until :meth:`png` has returned. With ``png=False`` nothing is drawn until a PNG is asked for."""

    def __init__(self, fig, dpi: int, also: tuple[int, ...] = (), png: bool = True):
        self.fig, self.dpi = fig, dpi
        self._pixels, self._png = None, {}
        if png:
            self._draw()
            self._png = {d: _encoder().submit(self._encode, d) for d in {dpi, *(min(a, dpi) for a in also)}}

    def _draw(self) -> None:
        self.fig.set_dpi(self.dpi)
        self.fig.canvas.draw()
        self._pixels = self.fig.canvas.buffer_rgba()

    def png(self, dpi: int | None = None) -> bytes:
        """PNG bytes at ``dpi`` (default: as drawn)."""
        dpi = min(dpi or self.dpi, self.dpi)
        if dpi not in self._png:
            if self._pixels is None:
                self._draw()
            self._png[dpi] = _encoder().submit(self._encode, dpi)
        return self._png[dpi].result()

    def _encode(self, dpi: int) -> bytes:
        from PIL import Image

        pixels = np.asarray(self._pixels)  # the canvas's RGBA buffer, not copied
        if dpi == self.dpi:
            return png_bytes(pixels, dpi)
        return encode_png(Image.fromarray(pixels).convert("RGB"), self.dpi, dpi)  # not fromarray(pixels[:, :, :3]): a slow strided copy

    def pngs(self) -> dict[int, bytes]:
        """Every PNG asked for so far, by resolution (waiting for those still being encoded)."""
        return {dpi: encoding.result() for dpi, encoding in list(self._png.items())}

    def pdf(self) -> bytes:
        """The figure as a vector PDF (drawn after the PNGs, which read the canvas's pixels)."""
        self.pngs()
        buffer = io.BytesIO()
        save_figure(self.fig, buffer, self.dpi, "pdf")
        return buffer.getvalue()


class Later(Drawn):
    """A map of :func:`draw_all` with other work meanwhile: drawn (this process's share) and
    received (the child's) when the first map is asked for."""

    def __init__(self, share: _Share, name: str, dpi: int):
        self._share, self._name, self.dpi = share, name, dpi

    def png(self, dpi: int | None = None) -> bytes:
        return self._share.maps()[self._name].png(dpi)

    def pdf(self) -> bytes:
        return self._share.maps()[self._name].pdf()


class Received(Drawn):
    """A map drawn by the child process: its PNG bytes per resolution and, when asked, its PDF."""

    def __init__(self, dpi: int, pngs: dict[int, bytes], pdf: bytes | None):
        self.dpi, self._pngs, self._pdf = dpi, pngs, pdf

    def png(self, dpi: int | None = None) -> bytes:
        """PNG bytes at ``dpi`` (default: as drawn); a resolution not asked of :func:`draw_all` is
        scaled down from the PNG as drawn, as :class:`Rendered` does."""
        from PIL import Image

        dpi = min(dpi or self.dpi, self.dpi)
        if dpi not in self._pngs:
            self._pngs[dpi] = encode_png(Image.open(io.BytesIO(self._pngs[self.dpi])).convert("RGB"), self.dpi, dpi)
        return self._pngs[dpi]

    def pdf(self) -> bytes:
        if self._pdf is None:
            raise ValueError("this map was drawn without a PDF")
        return self._pdf


def encode_png(image, drawn_dpi: int, dpi: int) -> bytes:
    """A PIL image drawn at ``drawn_dpi`` as PNG bytes at ``dpi`` (<= ``drawn_dpi``): reduced by whole
    factors, else resampled bilinearly; then :func:`png_bytes`."""
    from PIL import Image

    if dpi < drawn_dpi:
        factor = drawn_dpi / dpi
        if factor == int(factor):
            image = image.reduce(int(factor))
        else:
            width, height = image.size
            image = image.resize((round(width / factor), round(height / factor)), Image.BILINEAR, reducing_gap=2.0)
    return png_bytes(np.asarray(image.convert("RGB")), dpi)


def png_bytes(pixels, dpi: int) -> bytes:
    """Pixels (a height x width x 3 or 4 array of 8-bit RGB(A); an alpha channel is left out) as an
    RGB PNG with its resolution (``pHYs``, pixels per metre as PIL writes it), by the PNG specification
    (ISO/IEC 15948): every row unfiltered (filter type 0), deflated by ISA-L (python-isal, zlib's format)
    at its level 1. An A4 map at 200 dpi in 15 ms: PIL's encoder takes 140 ms (it tries the five row
    filters on every row, and a map's flat colours compress as well without them), zlib's fastest level
    40 ms for the deflating alone, ISA-L's 6 ms, the file about a tenth larger (650 kB against 600 kB).
    Both release the GIL, so maps are encoded in threads."""
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # the first byte of each row: its filter type, 0
    image = rows[:, 1:]
    image.shape = (height, width, 3)  # a view (raises rather than copy)
    for channel in range(3):  # a channel at a time: numpy copies whole rows of 1-byte steps five times faster
        image[:, :, channel] = pixels[:, :, channel]  # than pixels of 3 bytes (an A4 map: 7 ms against 37 ms)
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join([PNG_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", isal_zlib.compress(rows, 1)), _chunk(b"IEND", b"")])


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def save_figure(fig, path, dpi: int, fmt: str | None = None) -> None:
    """Save at the figure's own size (no tight bbox, so the pixel size is exact); ``path`` a file
    path (format from its suffix) or a binary buffer with ``fmt``."""
    fmt = fmt or Path(path).suffix.lstrip(".")
    fig.savefig(path, dpi=dpi, format=fmt, metadata={"Creator": "aandacht"})


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def child_share(names: list[str], meanwhile: float = 0.0, start: float = CHILD_START) -> list[str]:
    """The maps the child process draws: the heaviest first, each to the process with less work
    so far (longest-processing-time rule), this process starting with ``meanwhile`` (its other
    work before it needs the maps, in the unit of :data:`WEIGHTS`) and the child with ``start``
    (none for a child started earlier); without other work this process keeps the first map it
    is given."""
    loads = {"here": meanwhile, "child": start}
    child = []
    for name in sorted(names, key=lambda n: -WEIGHTS.get(n, DEFAULT_WEIGHT)):
        side = "here" if loads["here"] <= loads["child"] else "child"
        loads[side] += WEIGHTS.get(name, DEFAULT_WEIGHT)
        if side == "child":
            child.append(name)
    return child


def draw_all(builders: dict[str, Callable[[], object]], dpi: int, also: tuple[int, ...] = (), png: bool = True,
             pdf: bool = False, meanwhile: float = 0.0, prepare: Callable[[], object] | None = None,
             drawer: Drawer | None = None) -> dict[str, Drawn]:
    """Build and draw every map of ``builders`` (name -> figure builder), in two processes where
    the system allows (see the module's docstring); name -> :class:`Rendered` or :class:`Received`,
    in the order of ``builders``. ``also``: further PNG resolutions wanted; ``pdf``: a PDF of each.
    ``meanwhile`` > 0: this process has that much other work (see :func:`child_share`) before it
    needs the maps; they are then all :class:`Later`: this process draws its share when the first
    map is asked for, after its other work (an error in either process is raised then). ``prepare``: work every builder needs (reading shared layers),
    done before a fork so that both processes have it. ``drawer``: a child started earlier
    (:func:`start_drawer`, which did ``prepare`` itself) takes the child's share, if it has not
    drawn already."""
    names = list(builders)
    if drawer is not None and drawer.idle():
        child = child_share(names, meanwhile, start=0.0)
        started = drawer.send((builders, child, dpi, also, png, pdf))
    else:
        if prepare is not None:
            prepare()
        child = child_share(names, meanwhile) if len(names) > 1 and sys.platform == "linux" and _cores() > 1 else []
        started = _fork((builders, child, dpi, also, png, pdf)) if child else None
    if started is None:
        child = []
    drawing = _Child(*started, builders, child, dpi, also, png) if started is not None else None
    share = _Share(partial(_render, builders, [n for n in names if n not in child], dpi, also, png), drawing)
    if meanwhile > 0:
        return {name: Later(share, name, dpi) for name in names}
    drawn = share.maps()
    return {name: drawn[name] for name in names}


class _Share:
    """The maps of :func:`draw_all`: this process's share drawn (``here``, a function), then the
    child's received, once, when first asked for; a failure here stops the child."""

    def __init__(self, here: Callable[[], dict[str, Drawn]], child: _Child | None):
        self._here, self._child = here, child
        self._drawn: dict[str, Drawn] | None = None
        self._error: BaseException | None = None

    def maps(self) -> dict[str, Drawn]:
        if self._error is not None:
            raise self._error
        if self._drawn is None:
            try:
                self._drawn = self._here()
            except BaseException as error:
                self._error = error
                if self._child is not None:
                    self._child.stop()
                raise
        return self._drawn | (self._child.maps() if self._child is not None else {})


class Drawer:
    """A child process started before the maps can be built (:func:`start_drawer`): it imports
    matplotlib and gets ready (``prepare``, ``warm``) while this process computes what the maps will show, then draws
    the share of the maps that :func:`draw_all` sends it (the builders, pickled: a herijking's are
    200 kB) and sends them back as :func:`draw_all`'s own child does. Used as a context manager:
    on leaving, a child that was sent nothing is stopped and reaped (no maps were drawn: an error
    came first, or the areas have no polygons; :meth:`stop` does so at once)."""

    def __init__(self, pid: int, jobs: int, results: int):
        self._pid, self._jobs, self._results = pid, jobs, results
        self._done = False  # sent its maps (then draw_all's) or stopped

    def idle(self) -> bool:
        """Whether the child waits for its maps (sent none, not stopped)."""
        return not self._done

    def send(self, job: tuple) -> tuple[int, int]:
        """Send the child its maps (written by a thread: the child may still be importing); (pid, read
        end of its results). A child that ended already is found out when its maps are received."""
        import threading

        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)  # first: a job that does not pickle leaves
        self._done = True  # the child idle, and leaving the context stops it
        threading.Thread(target=_send, args=(self._jobs, data), name="aandacht-kaarten", daemon=True).start()
        return self._pid, self._results

    def stop(self) -> None:
        """Stop and reap a child that was sent nothing (it is not needed: the command draws no maps); after
        that it is neither idle nor stopped again."""
        if not self._done:  # once sent, the child is draw_all's (received, or stopped when not needed)
            self._done = True
            _stop(self._pid, self._results)
            os.close(self._jobs)

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *_) -> None:
        self.stop()


def _send(fd: int, data: bytes) -> None:
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except OSError:  # the child ended (killed): _receive says how
        pass


def start_drawer(prepare: Callable[[], object] | None = None, warm: Callable[[], object] | None = None) -> Drawer | None:
    """A :class:`Drawer` on Linux with two or more cores available (None elsewhere, or when the
    system refuses a new process: then :func:`draw_all` forks or draws here as without it). In the child,
    ``prepare`` runs first; ``warm`` (work that only saves time before the job, such as a first figure
    drawn) runs after it only when the job has not arrived yet: once it is there, the maps pay the
    same first use themselves and warming up would only delay them."""
    if sys.platform != "linux" or _cores() < 2:
        return None
    jobs = os.pipe()
    started = _fork(None, jobs, prepare, warm)
    if started is None:
        os.close(jobs[0])
        os.close(jobs[1])
        return None
    os.close(jobs[0])
    return Drawer(started[0], jobs[1], started[1])


class _Child:
    """The child process drawing ``names``: its maps received once, when first needed; when it ended
    without sending them (killed, out of memory) they are drawn here, with a warning. A child whose
    maps are never asked for (this process failed first) is stopped when this object is collected."""

    def __init__(self, pid: int, read: int, builders, names: list[str], dpi: int, also: tuple[int, ...], png: bool):
        self._pid, self._read, self._redraw = pid, read, partial(_render, builders, names, dpi, also, png)
        self._count, self._dpi = len(names), dpi
        self._maps: dict[str, Drawn] | None = None
        self._error: BaseException | None = None
        self._stop = weakref.finalize(self, _stop, pid, read)

    def stop(self) -> None:
        """End the child (its maps are not needed: this process failed first); once received, nothing."""
        self._stop()

    def maps(self) -> dict[str, Drawn]:
        if self._error is not None:
            raise self._error
        if self._maps is None:
            self._stop.detach()
            try:
                received = _receive(self._pid, self._read, self._dpi)
            except BaseException as error:
                self._error = error
                raise
            if isinstance(received, str):
                warnings.warn(f"kaarten: het proces dat er {self._count} tekende, stopte {received}; ze zijn alsnog hier "
                              "getekend", RuntimeWarning, stacklevel=4)
                received = self._redraw()
            self._maps = received
        return self._maps


def _render(builders, names: list[str], dpi: int, also: tuple[int, ...], png: bool) -> dict[str, Rendered]:
    """Build and draw ``names`` in this process (their PNGs encoded meanwhile). Each figure is built at
    the resolution it is drawn at (``figure.dpi``): the texts a builder measures (to place labels, legends
    and keys) are then measured as they are drawn, once (matplotlib keeps a text's layout per renderer
    and resolution; laying out a text takes about 11 microseconds a character, a third of a map's drawing),
    and the Agg canvas made for measuring is the one drawn on. (matplotlib is imported only when there is a
    map to draw: this process may have none, and then never needs it.)"""

    def built(name: str):
        import matplotlib

        with matplotlib.rc_context({"figure.dpi": dpi}):
            return builders[name]()

    return {name: Rendered(built(name), dpi, also, png) for name in names}


def _fork(job: tuple | None, jobs: tuple[int, int] | None = None, prepare: Callable[[], object] | None = None,
          warm: Callable[[], object] | None = None) -> tuple[int, int] | None:
    """Start a child process; (pid, read end of the pipe it sends its maps on), or None when the
    system refuses a new process (then every map is drawn here). ``job``: (builders, names, dpi,
    also, png, pdf), the maps it draws; None: it imports matplotlib, gets ready (``prepare`` and ``warm``,
    :func:`start_drawer`) and reads its job from the pipe ``jobs`` (:class:`Drawer`; nothing there:
    it ends)."""
    if job is not None:
        import matplotlib.figure  # noqa: F401  (imported once, before the fork, for both processes)

    read, write = os.pipe()
    parent = os.getpid()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns on a fork of a process with threads (NumPy's BLAS pool, the PNG
            # encoders of an earlier call). The child only builds and draws figures and encodes in
            # threads of its own: it waits on no lock those threads may hold.
            warnings.filterwarnings("ignore", message=r"This process .* is multi-threaded", category=DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the child: draw, send, and end without returning into the caller
    status = 1
    try:
        _ENCODER.clear()  # the parent's encoding threads do not exist in this process
        _end_with(parent)
        try:
            if job is None:
                job = _wait_for_job(prepare, warm, jobs)
                if job is None:
                    status = 0
                    return
            builders, names, dpi, also, png, pdf = job
            # what exists now (modules, layers, the maps' data: 150,000 objects) is kept out of the garbage
            # collector's full collections, which drawing four maps triggers once (0.06 s); this process ends after
            gc.freeze()
            rendered = _render(builders, names, dpi, also, png)
            result = ("maps", {name: (drawing.pngs(), drawing.pdf() if pdf else None)
                               for name, drawing in rendered.items()})
        except BaseException as error:  # noqa: BLE001  (sent to the parent, which raises it)
            result = ("error", _portable(error))
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)


def _end_with(parent: int) -> None:
    """In the child, first: end when the parent ends (Linux's parent-death signal, sent when the thread that
    forked ends: aandacht forks from its main thread), so that a parent killed by a timeout or the OOM killer
    leaves no process drawing on. (The round folder's lock is not the child's: the archive closes it in every
    forked process, :mod:`aandacht.archive.output`.)"""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the child ends when it writes to the closed pipe
        pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _wait_for_job(prepare: Callable[[], object] | None, warm: Callable[[], object] | None,
                  jobs: tuple[int, int]) -> tuple | None:
    """In a :class:`Drawer`'s child: get ready (``warm`` only while the job has not arrived), then read the
    job (None when the pipe is closed empty)."""
    import select

    os.close(jobs[1])
    import matplotlib.figure  # noqa: F401

    if prepare is not None:
        prepare()
    if warm is not None and not select.select([jobs[0]], [], [], 0)[0]:
        warm()
    with os.fdopen(jobs[0], "rb") as pipe:
        data = pipe.read()
    return pickle.loads(data) if data else None


def _portable(error: BaseException) -> BaseException:
    """``error`` as it can travel through pickle, with the child's traceback as a note."""
    try:
        error.add_note("".join(traceback.format_exception(error)).rstrip())
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001  (an exception that does not pickle is sent as its text)
        return RuntimeError(f"{type(error).__name__}: {error}")


def _receive(pid: int, read: int, dpi: int) -> dict[str, Received] | str:
    """The child's maps; its error raised here; or, when it ended without sending them whole, how
    it ended, in Dutch as the warning that says so ("door signaal 9", "met afsluitcode 1")."""
    try:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
    except BaseException:  # interrupted (Ctrl-C): end the child too
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return f"door signaal {-code}" if code < 0 else f"met afsluitcode {code}"
    kind, payload = pickle.loads(data)
    if kind == "error":
        raise payload
    return {name: Received(dpi, pngs, pdf) for name, (pngs, pdf) in payload.items()}


def _stop(pid: int, read: int) -> None:
    """End the child when this process failed first (it would wait on its pipe for ever)."""
    os.close(read)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
