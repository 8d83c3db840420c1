"""Profile one render in this process (``-j 1``) and count what a frame costs.

    .venv/bin/python benchmarks/profile_render.py config/l2.yaml medium [--cold] [--top 10]

Runs ``loss-scenes render SPEC -q QUALITY -j 1 --force`` under ``cProfile`` and prints, besides
the profile's top lines by own time and by cumulative time:

- frames drawn by Cairo (``CairoRenderer.update_frame``) against frames written, how many of
  those were repeats of a frozen frame, how many x264 coded and how many were written as copies
  of its skip frame; Cairo paths made and reused;
- ``Mobject.copy`` calls and their time;
- ``Text`` and ``MathTex`` objects made, SVG parses, Pango runs and TeX runs (cache misses);
- JAX backend compiles; updater calls; CPU time in the video encoder's ``write_frame``;
- wall, user and system seconds (``resource``) of the process and its children.

``--cold`` points ``XDG_CACHE_HOME`` at a fresh temporary folder (no glyph, TeX, speech or JAX
cache), as on a new machine. Stats go to ``--stats`` (default /tmp/profile_render.cpu).

The profile's clock is the wall clock (``perf_counter``, read without a system call) unless
``--clock cpu``: ``cProfile.Profile(time.process_time)`` makes a ``clock_gettime`` system call
on every function entry and exit, which on this machine added about 20 s of system time to a
17 s render (and inflates call-heavy code such as ``deepcopy`` several times over); use the
rusage figures printed, not that profile's totals, for what a render costs.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _count(counts: Counter, times: Counter, owner: Any, name: str, key: str) -> None:
    original = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        counts[key] += 1
        started = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            times[key] += time.thread_time() - started

    setattr(owner, name, wrapped)


def instrument(counts: Counter, times: Counter) -> None:
    from manim import Mobject
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import tex_mobject, text_mobject
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.utils import tex_file_writing

    from scenes.production import encoding

    _count(counts, times, CairoRenderer, "update_frame", "cairo frames drawn")
    _count(counts, times, Mobject, "copy", "Mobject.copy")
    _count(counts, times, text_mobject.Text, "__init__", "Text made")
    _count(counts, times, tex_mobject.MathTex, "__init__", "MathTex made")
    _count(counts, times, SVGMobject, "generate_mobject", "SVG parsed")
    _count(counts, times, tex_file_writing, "compile_tex", "TeX runs")
    _count(counts, times, tex_file_writing, "convert_to_svg", "dvisvgm runs")
    _count(counts, times, text_mobject.Text, "_text2svg", "Text._text2svg calls (cached or not)")
    try:
        from scenes.scene import tex_batch
    except ImportError:  # before formulas were typeset in batches
        pass
    else:
        _count(counts, times, tex_batch, "typeset", "TeX batch runs")

    original_update = Mobject.update

    def update(self: Any, dt: float = 0, recursive: bool = True) -> Any:
        if not self.updating_suspended:
            counts["updater calls"] += len(self.updaters)
        return original_update(self, dt, recursive)

    Mobject.update = update  # type: ignore[method-assign]

    original_write = encoding.FastSegmentEncoder.write_frame

    def write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
        counts["frames written"] += repeat
        counts["encoder write_frame"] += 1
        counts["frames repeated (frozen)"] += repeat - 1
        started = time.thread_time()
        try:
            original_write(self, pixels, repeat=repeat)
        finally:
            times["encoder write_frame"] += time.thread_time() - started

    encoding.FastSegmentEncoder.write_frame = write_frame  # type: ignore[method-assign]

    original_finish = encoding.FastSegmentEncoder.finish

    def finish(self: Any) -> None:
        original_finish(self)
        # Frames x264 coded, and held frames written as copies of its skip frame (since the
        # still-frame path; an older checkout has neither count).
        counts["frames coded by x264"] += getattr(self, "frames_coded", 0)
        counts["frames written as copies"] += getattr(self, "frames_copied", 0)
        converter = getattr(self, "_converter", None)  # since only changed rows are converted
        if converter is not None:
            counts["RGBA rows converted to YUV"] += converter.rows_converted
            counts["RGBA rows in frames converted"] += converter.rows_seen

    encoding.FastSegmentEncoder.finish = finish  # type: ignore[method-assign]

    try:
        import jax.monitoring

        def on_duration(event: str, duration: float, **_kwargs: Any) -> None:
            if "backend_compile" in event:
                counts["JAX compiles"] += 1
                times["JAX compiles"] += duration

        jax.monitoring.register_event_duration_secs_listener(on_duration)
    except ImportError:  # pragma: no cover - JAX is a dependency
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("quality", choices=["low", "medium", "high", "production"])
    parser.add_argument("--cold", action="store_true", help="empty caches (fresh XDG_CACHE_HOME)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--stats", default="/tmp/profile_render.cpu")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    parser.add_argument("--out", default=None, help="output folder (default: a temporary one)")
    args = parser.parse_args()
    if args.cold:
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="profile-cache-")
    out = args.out or tempfile.mkdtemp(prefix="profile-out-")
    os.chdir(ROOT)

    counts: Counter = Counter()
    times: Counter = Counter()
    started_wall = time.perf_counter()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    profile = cProfile.Profile(clock)
    profile.enable()
    from scenes.cli import main as cli_main

    instrument(counts, times)
    command = ["render", args.spec, "-q", args.quality, "-j", "1", "--force", "-o", out]
    code = cli_main(command)
    profile.disable()
    wall = time.perf_counter() - started_wall
    profile.dump_stats(args.stats)
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"## {args.spec} at {args.quality}, {'cold' if args.cold else 'warm'} caches")
    print(f"load average at the end: {load}; profile clock: {args.clock}")
    print(f"exit {code}; wall {wall:.1f} s; threads at the end {threading.active_count()}")
    print(
        f"CPU: user {own.ru_utime:.1f} s, system {own.ru_stime:.1f} s; "
        f"children user {children.ru_utime:.1f} s, system {children.ru_stime:.1f} s"
    )
    from scenes.scene import speedups

    for kind, number in getattr(speedups, "path_counts", {}).items():
        counts[f"Cairo paths {kind}"] = number
    with contextlib.suppress(ImportError):  # a tree from before the store of parsed SVGs
        from scenes.scene import svg_store

        counts["SVGs read back from the store of parsed glyphs"] = svg_store.counts["loaded"]
    for key in sorted(set(counts) | set(times)):
        spent = f", {times[key]:.2f} s" if key in times else ""
        print(f"- {key}: {counts[key]}{spent}")
    for order in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats = pstats.Stats(args.stats, stream=buffer)
        stats.sort_stats(order).print_stats(args.top)
        lines = buffer.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"\ntop {args.top} by {order}:")
        for line in lines[start : start + args.top + 1]:
            for prefix in (str(ROOT) + "/", sys.prefix + "/", sys.base_prefix + "/"):
                line = line.replace(prefix, "")
            print(line)


if __name__ == "__main__":
    main()
