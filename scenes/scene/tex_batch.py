r"""All of a render's missing formulas typeset in one XeTeX run.

Manim runs XeLaTeX once per formula it has not seen, and most of each run (about 0.7 s of CPU
here) goes into setting up the fonts of :data:`scenes.scene.typeset.MATHS_PREAMBLE`; the first
render of one loss scene on a new machine ran it 21 times. Here a render that meets a formula
missing from the cache stops at once (:func:`watching`); the scene is built again without
drawing a frame, in a forked copy of the process (:func:`collect_apart`), while every formula it
asks for is only written down (:func:`collecting` hands Manim a stand-in); and the missing ones
are typeset together (:func:`typeset`): one document, one page per formula, one XeLaTeX run.
Each page is cut out into an XDV file of its own (:mod:`scenes.scene.xdv`) and converted by
``dvisvgm`` exactly as Manim converts a formula typeset alone, into the file Manim looks for.
The outlines and their places come out as from one run per formula (on the lecture's formulas
the SVG files are byte for byte the same, but for the order of glyph definitions in one; the
parsed outlines are compared in ``tests/scene/test_tex_batch.py`` and the decoded frames of a
first render in ``tests/production/test_fast_paths.py``).
Then the scene is drawn for real, from the cache.

Anything that goes wrong in the batch (a formula with a TeX error, a template this does not
know) leaves those formulas to Manim's own one-by-one path, which reports errors as before.
``LOSS_SCENES_PLAIN=1`` switches the batch off, as the other fast paths.
"""

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.scene import speedups, xdv

DOCUMENT_CLASS = r"\documentclass[preview]{standalone}"
BATCH_CLASS = r"\documentclass[preview,multi=lossformula]{standalone}"
BEGIN, END = r"\begin{document}", r"\end{document}"


class FormulaMissing(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside :func:`watching` when a formula is not in the cache."""


@dataclass
class Collected:
    """The formulas a scene asked for that were missing: their ``.tex`` files in ``tex_dir``."""

    tex_files: list[Path] = field(default_factory=list)
    stand_ins: Path | None = None


def _module() -> Any:
    from manim.mobject.text import tex_mobject

    return tex_mobject


@contextlib.contextmanager
def _patched(replacement: Any) -> Iterator[None]:
    module = _module()
    original = module.tex_to_svg_file
    module.tex_to_svg_file = replacement
    try:
        yield
    finally:
        module.tex_to_svg_file = original


def _tex_file(expression: str, environment: str | None, tex_template: Any) -> Path:
    from manim.utils.tex_file_writing import generate_tex_file

    return generate_tex_file(expression, environment, tex_template)


@contextlib.contextmanager
def watching() -> Iterator[None]:
    """Raise :class:`FormulaMissing` at the first formula not typeset yet (when enabled)."""
    if not speedups.enabled():
        yield
        return
    module = _module()
    original = module.tex_to_svg_file

    def watch(expression: str, environment: str | None = None, tex_template: Any = None) -> Path:
        from manim import config

        template = tex_template if tex_template is not None else config["tex_template"]
        if not _tex_file(expression, environment, template).with_suffix(".svg").exists():
            raise FormulaMissing(expression)
        return original(expression, environment, template)

    with _patched(watch):
        yield


_GROUP = re.compile(r"<g id='(unique\d+|ss\d+)'>")


def _stand_in(folder: Path, expression: str) -> Path:
    """An SVG with one small square per group the formula marks (so ``MathTex`` finds its
    parts), for the scene to be laid out with while the formula waits for TeX.
    """
    ids = list(dict.fromkeys(_GROUP.findall(expression)))
    square = "<path d='M0 0H4V4H0Z'/>"
    body = "".join(f"<g id='{name}'>{square}</g>" for name in ids) or square
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='8pt' height='4pt' viewBox='0 0 8 4'>"
        f"{body}</svg>"
    )
    name = hashlib.sha256(expression.encode()).hexdigest()[:16]
    path = folder / f"stand-in-{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


@contextlib.contextmanager
def collecting() -> Iterator[Collected]:
    """Write down every missing formula asked for; give the scene a stand-in for it."""
    collected = Collected()
    module = _module()
    original = module.tex_to_svg_file
    with tempfile.TemporaryDirectory(prefix="loss-scenes-stand-ins-") as folder:
        collected.stand_ins = Path(folder)

        def collect(
            expression: str, environment: str | None = None, tex_template: Any = None
        ) -> Path:
            from manim import config

            template = tex_template if tex_template is not None else config["tex_template"]
            tex_file = _tex_file(expression, environment, template)
            if tex_file.with_suffix(".svg").exists():
                return original(expression, environment, template)
            if tex_file not in collected.tex_files:
                collected.tex_files.append(tex_file)
            return _stand_in(Path(folder), expression)

        with _patched(collect):
            yield collected


def collect_apart(build: Callable[[], None]) -> list[Path]:
    """The missing formulas ``build`` asks for, found in a forked copy of this process.

    A copy, because building the scene with stand-ins leaves state behind (module caches of
    measured glyphs, say) that must not reach the real drawing. Nothing found (or no ``fork``,
    or the copy failed): an empty list, and Manim typesets as it meets them.
    """
    if not hasattr(os, "fork"):
        return []
    with tempfile.TemporaryDirectory(prefix="loss-scenes-formulas-") as folder:
        listing = Path(folder) / "formulas.txt"
        sys.stdout.flush()
        sys.stderr.flush()
        _make_tqdm_lock()
        with warnings.catch_warnings():
            # In a render drawn in the command's own process (-j 1) the maths ran here before,
            # and JAX warns at every fork that a child using JAX may deadlock. This child draws
            # from arrays only and never calls JAX (tests/production/test_worker_without_jax.py).
            warnings.filterwarnings("ignore", re.escape("os.fork() was called"), RuntimeWarning)
            pid = os.fork()
        if pid == 0:  # the copy: build, write the list down, leave without any clean-up
            code = 1
            try:
                with collecting() as collected:
                    # A stand-in the scene cannot use ends the pass early: what it wrote down
                    # still counts.
                    with contextlib.suppress(Exception):
                        build()
                listing.write_text("\n".join(map(str, collected.tex_files)), encoding="utf-8")
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if status != 0 or not listing.is_file():
            return []
        return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]


def _make_tqdm_lock() -> None:
    """Have tqdm make its lock here, before a fork.

    Manim opens a tqdm bar in every ``play`` (even with no bar shown), and tqdm's first bar in a
    process makes a ``multiprocessing`` lock, which in a pool worker registers a named semaphore
    with the pool's resource tracker. Made in the copy, which leaves without clean-up, it would be
    reported as leaked when the render ends.
    """
    with contextlib.suppress(ImportError):
        from tqdm import tqdm

        tqdm.get_lock()


def _split_document(text: str) -> tuple[str, str] | None:
    """(preamble, body) of one of Manim's formula files; None for a shape this does not know."""
    if not text.startswith(DOCUMENT_CLASS) or text.count(BEGIN) != 1 or text.count(END) != 1:
        return None
    preamble, rest = text.split(BEGIN)
    body, _ = rest.split(END)
    return preamble, body


def typeset(tex_files: list[Path], compiler: str = "xelatex") -> int:
    """Typeset ``tex_files`` (Manim's formula files, which share one preamble) in one run and
    write each one's SVG beside it; return how many were written.
    """
    if compiler != "xelatex" or not tex_files:
        return 0
    groups: dict[str, list[tuple[Path, str]]] = {}
    for tex_file in tex_files:
        if tex_file.with_suffix(".svg").exists():
            continue
        parts = _split_document(tex_file.read_text(encoding="utf-8"))
        if parts is not None:
            groups.setdefault(parts[0], []).append((tex_file, parts[1]))
    written = 0
    for preamble, members in groups.items():
        written += _typeset_group(preamble, members)
    return written


def _typeset_group(preamble: str, members: list[tuple[Path, str]]) -> int:
    head = preamble.replace(DOCUMENT_CLASS, BATCH_CLASS, 1)
    head += "\\newenvironment{lossformula}{}{}\n"
    pages = "".join(f"\\begin{{lossformula}}{body}\\end{{lossformula}}\n" for _, body in members)
    document = f"{head}{BEGIN}\n{pages}{END}\n"
    target = members[0][0].parent
    with tempfile.TemporaryDirectory(prefix="batch-", dir=target) as folder:
        work = Path(folder)
        (work / "batch.tex").write_text(document, encoding="utf-8")
        command = [
            "xelatex",
            "-no-pdf",
            "-interaction=batchmode",
            "-halt-on-error",
            f"-output-directory={work.as_posix()}",
            (work / "batch.tex").as_posix(),
        ]
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        output = work / "batch.xdv"
        if result.returncode != 0 or not output.is_file():
            return 0  # Manim typesets them one by one, and reports the error
        try:
            files = xdv.split(output.read_bytes())
        except (xdv.XdvError, IndexError, KeyError):
            return 0
        if len(files) != len(members):
            return 0
        page_files = []
        for index, data in enumerate(files):
            page = work / f"page-{index}.xdv"
            page.write_bytes(data)
            page_files.append(page)
        svgs = _convert(page_files)
        written = 0
        for (tex_file, _), svg in zip(members, svgs, strict=True):
            if svg.is_file() and svg.stat().st_size > 0:
                os.replace(svg, tex_file.with_suffix(".svg"))
                written += 1
        return written


def _convert(pages: list[Path]) -> list[Path]:
    """Each page's SVG, by ``dvisvgm`` as Manim runs it; as many at once as there are cores.

    One run per page, not one over the whole file (which takes a tenth of the time): in a file of
    many pages ``dvisvgm`` rounds a glyph's outline differently (:mod:`scenes.scene.xdv`). A run
    costs about 0.1 s, most of it starting up, so a first render's 20 formulas of a loss scene
    no longer wait 2 s in a row for it.
    """
    svgs = [page.with_suffix(".svg") for page in pages]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    running: list[tuple[subprocess.Popen, Path]] = []
    failed: list[Path] = []

    def wait_for_first() -> None:
        process, svg = running[0]
        if process.wait() != 0:
            failed.append(svg)  # whatever it left is not published: Manim typesets it alone
        running.pop(0)  # after the wait: interrupted, it is still killed below

    try:
        for page, svg in zip(pages, svgs, strict=True):
            if len(running) >= (cores or 1):
                wait_for_first()
            command = [
                "dvisvgm",
                "--page=1",
                "--no-fonts",
                "--verbosity=0",
                f"--output={svg.as_posix()}",
                page.as_posix(),
            ]
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            running.append((process, svg))
        while running:
            wait_for_first()
    finally:  # interrupted: no conversion outlives the render
        for process, _ in running:
            process.kill()
            process.wait()
    for svg in failed:
        svg.unlink(missing_ok=True)
    return svgs


__all__ = ["Collected", "FormulaMissing", "collect_apart", "collecting", "typeset", "watching"]
