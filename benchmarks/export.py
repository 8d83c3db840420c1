"""Export benchmark (issue 11): cold export, unchanged re-export, one scene changed; WebM quality.

    .venv/bin/python benchmarks/export.py                      # low, then high (several minutes)
    .venv/bin/python benchmarks/export.py --quality low
    .venv/bin/python benchmarks/export.py --quality high --previous   # also the old VP9 setting

For each quality, in a fresh copy of ``config/`` and fresh folders:

- render alone: ``loss-scenes render lecture.yaml -q Q`` (cold), the yardstick, and again with
  nothing changed (what an unchanged re-export spends in the render);
- cold export: ``loss-scenes export lecture.yaml -q Q --render-dir R`` with ``R`` empty, so it
  renders and then converts everything;
- unchanged: the same export again;
- one scene changed: after editing the title of ``huber.yaml``.

It prints wall and CPU seconds (user + system, children included: steadier than wall time on a
shared machine), the ratios issue 11 sets targets for, the site's file sizes, and the quality of
each scene's WebM against the MP4 frames it was made from: mean PSNR and SSIM from FFmpeg's
``psnr`` and ``ssim`` filters run through PyAV. ``--previous`` also encodes the scenes with the
VP9 setting used before (``deadline=good``, ``cpu-used=4``) and reports the same figures for it.
"""

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from run import PYTHON, ROOT, timed

sys.path.insert(0, str(ROOT))

SCENES = ("SquaredLoss", "AbsoluteLoss", "HuberLoss")
LECTURE = "LossFunctions"
EDIT = ('title: "Huber\'s robust loss"', 'title: "Huber\'s robust loss, edited"')  # huber.yaml
PREVIOUS_WEBM = {"crf": "32", "b": "0", "row-mt": "1", "deadline": "good", "cpu-used": "4"}


def loss_scenes(*args: str) -> tuple[float, float]:
    return timed([PYTHON, "-m", "scenes", *args])


def quality(reference: Path, test: Path) -> tuple[float, float]:
    """Mean PSNR (dB, from the mean squared error over all frames and planes) and mean SSIM of
    ``test``'s frames against ``reference``'s, paired in order, by FFmpeg's filters.
    """
    import av
    from av.filter import Graph

    with av.open(str(reference)) as ref, av.open(str(test)) as tst:
        ref_stream, tst_stream = ref.streams.video[0], tst.streams.video[0]
        ref_stream.thread_type = tst_stream.thread_type = "AUTO"
        width, height = ref_stream.codec_context.width, ref_stream.codec_context.height
        graph = Graph()
        # Fresh timestamps on one clock, so the filters pair frame i with frame i.
        clock = Fraction(1, 1000)
        sources = [
            graph.add_buffer(width=width, height=height, format="yuv420p", time_base=clock)
            for _ in range(2)
        ]
        splits = [graph.add("split") for _ in range(2)]
        psnr, ssim = graph.add("psnr"), graph.add("ssim")
        sinks = [graph.add("buffersink"), graph.add("buffersink")]
        for source, split in zip(sources, splits, strict=True):
            source.link_to(split)
        # Each filter's first input is the tested picture, its second the reference.
        for output, measure in enumerate((psnr, ssim)):
            splits[1].link_to(measure, output, 0)
            splits[0].link_to(measure, output, 1)
        psnr.link_to(sinks[0])
        ssim.link_to(sinks[1])
        graph.configure()
        errors: list[float] = []
        similarities: list[float] = []
        pairs = zip(ref.decode(ref_stream), tst.decode(tst_stream), strict=True)
        for index, frames in enumerate(pairs):
            for source, frame in zip(sources, frames, strict=True):
                frame = frame.reformat(format="yuv420p")
                frame.pts, frame.time_base = index * 10, clock
                source.push(frame)
            for sink, key, values in (
                (sinks[0], "lavfi.psnr.mse_avg", errors),
                (sinks[1], "lavfi.ssim.All", similarities),
            ):
                while True:
                    try:
                        values.append(float(sink.pull().metadata[key]))
                    except (av.error.BlockingIOError, av.error.EOFError):
                        break
    mse = sum(errors) / len(errors)
    return 10 * math.log10(255**2 / mse) if mse else math.inf, sum(similarities) / len(similarities)


def encode_previous(mp4: Path, output: Path) -> float:
    """Encode ``mp4`` with the previous VP9 setting; CPU seconds spent."""
    import scenes.production.video as video

    saved = dict(video.WEBM_OPTIONS)
    video.WEBM_OPTIONS.clear()
    video.WEBM_OPTIONS.update(PREVIOUS_WEBM)
    started = time.process_time()
    try:
        video.transcode(mp4, output, "webm")
    finally:
        video.WEBM_OPTIONS.clear()
        video.WEBM_OPTIONS.update(saved)
    return time.process_time() - started


def sizes(folder: Path) -> dict[str, int]:
    totals: dict[str, int] = {}
    for path in (folder / "media").iterdir():
        kind = "chapters.vtt" if path.name.endswith(".chapters.vtt") else path.suffix.lstrip(".")
        totals[kind] = totals.get(kind, 0) + path.stat().st_size
    return totals


def run_quality(quality_name: str, work: Path, previous: bool, row) -> None:
    config = work / f"config-{quality_name}"
    shutil.copytree(ROOT / "config", config)
    lecture = config / "lecture.yaml"
    q = quality_name
    render_only = loss_scenes(
        "render", str(lecture), "-q", q, "-o", str(work / f"r-{q}"), "--quiet"
    )
    row(f"render alone, {q}", f"{render_only[0]:.1f} s", f"(CPU {render_only[1]:.1f} s)")
    again = loss_scenes("render", str(lecture), "-q", q, "-o", str(work / f"r-{q}"), "--quiet")
    row(
        f"render alone, nothing changed, {q}",
        f"{again[0]:.2f} s",
        f"(CPU {again[1]:.2f} s: the part of an unchanged re-export that is the render's)",
    )
    site, videos = work / f"site-{q}", work / f"v-{q}"
    export = ("export", str(lecture), "-q", q, "-o", str(site), "--render-dir", str(videos))
    cold = loss_scenes(*export)
    row(
        f"cold export, {q}",
        f"{cold[0]:.1f} s = **{cold[0] / render_only[0]:.2f}x** the render alone",
        f"(CPU {cold[1]:.1f} s = {cold[1] / render_only[1]:.2f}x)",
    )
    unchanged = loss_scenes(*export)
    row(
        f"re-export, nothing changed, {q}",
        f"{unchanged[0]:.2f} s = **{unchanged[0] / cold[0]:.1%}** of the cold export",
        f"(CPU {unchanged[1]:.2f} s)",
    )
    huber = config / "huber.yaml"
    text = huber.read_text()
    if EDIT[0] not in text:
        sys.exit(f"{huber}: {EDIT[0]!r} not found; update EDIT")
    huber.write_text(text.replace(EDIT[0], EDIT[1]))
    edited = loss_scenes(*export)
    row(
        f"re-export, one scene of 3 changed, {q}",
        f"{edited[0]:.1f} s = **{edited[0] / cold[0]:.2f}x** the cold export",
        f"(CPU {edited[1]:.1f} s)",
    )
    total = sizes(site)
    row(
        f"site media, {q}",
        ", ".join(f"{kind} {size / 1e6:.2f} MB" for kind, size in sorted(total.items())),
        f"(all files {sum(p.stat().st_size for p in site.rglob('*') if p.is_file()) / 1e6:.2f} MB)",
    )
    media = site / "media"
    for name in SCENES:
        psnr, ssim = quality(media / f"{name}.mp4", media / f"{name}.webm")
        size = (media / f"{name}.webm").stat().st_size
        row(
            f"WebM against its MP4, {name}, {q}",
            f"PSNR {psnr:.2f} dB, SSIM {ssim:.5f}, {size / 1e6:.2f} MB",
            "(this setting)",
        )
        if previous:
            old = work / f"{name}-previous-{q}.webm"
            cpu = encode_previous(media / f"{name}.mp4", old)
            psnr, ssim = quality(media / f"{name}.mp4", old)
            row(
                f"WebM against its MP4, {name}, {q}",
                f"PSNR {psnr:.2f} dB, SSIM {ssim:.5f}, {old.stat().st_size / 1e6:.2f} MB",
                f"(previous setting {PREVIOUS_WEBM}; CPU {cpu:.1f} s to encode)",
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="append", choices=["low", "medium", "high", "4k"])
    parser.add_argument(
        "--previous", action="store_true", help="also measure the previous VP9 setting"
    )
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name}: {value} {note}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="loss-scenes-export-bench-") as tmp:
        for quality_name in args.quality or ["low", "high"]:
            run_quality(quality_name, Path(tmp), args.previous, row)

    print("| measurement | result | notes |")
    print("| --- | --- | --- |")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    print()
    print(
        f"{os.cpu_count()} cores; load average at the end: {os.getloadavg()[0]:.2f}; "
        f"whole run {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
