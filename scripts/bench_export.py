"""Export times of the default lecture: cold, unchanged, and with one scene changed.

Prints figures (not a test): wall time of each ``loss-scenes export``, the files it wrote and
their sizes, and an axe-core run over present.html and speaker.html. Usage:

    python scripts/bench_export.py [--quality low] [--work DIR]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


def export(specs: Path, site: Path, videos: Path, quality: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scenes",
            "export",
            str(specs / "lecture.yaml"),
            "-q",
            quality,
            "-o",
            str(site),
            "--render-dir",
            str(videos),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"export failed:\n{result.stderr}")
    return seconds


def axe(site: Path) -> None:
    if not AXE.is_file():
        print("axe-core: not installed (scripts/install.sh)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for name in ("index.html", "present.html", "speaker.html", "handout.html"):
            page.goto((site / name).as_uri())
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "async () => { const r = await axe.run(document);"
                " return [axe.version, r.violations.map((v) => v.id), r.passes.length]; }"
            )
            version, violations, passes = result
            print(
                f"axe-core {version}: {name}: {len(violations)} violations {violations}, "
                f"{passes} rules passed"
            )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="low")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-export-"))
    specs, site, videos = work / "specs", work / "site", work / "videos"
    shutil.rmtree(work, ignore_errors=True)
    specs.mkdir(parents=True)
    for name in ("lecture.yaml", "l2.yaml", "l1.yaml", "huber.yaml"):
        shutil.copy(CONFIG / name, specs)
    times = {"cold": export(specs, site, videos, args.quality)}
    times["unchanged"] = export(specs, site, videos, args.quality)
    huber = specs / "huber.yaml"
    text = huber.read_text()
    assert "delta: 1.0" in text, "huber.yaml changed: pick another edit"
    huber.write_text(text.replace("delta: 1.0", "delta: 1.2"))
    times["one scene changed"] = export(specs, site, videos, args.quality)
    for label, seconds in times.items():
        print(f"export ({args.quality}), {label}: {seconds:.1f} s")
    print(f"unchanged / cold: {times['unchanged'] / times['cold']:.1%}")
    sizes = {
        p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()
    }
    print(
        f"{len(sizes)} files, {sum(sizes.values()) / 1e6:.2f} MB in all; the largest and the new:"
    )
    for name in sorted(sizes, key=sizes.get, reverse=True)[:8]:
        print(f"  {name}: {sizes[name] / 1e3:.0f} kB")
    for name in ("present.html", "speaker.html", "present.js", "handout.html", "handout.pdf"):
        print(f"  {name}: {sizes[name] / 1e3:.1f} kB")
    stills = [n for n in sizes if ".beats/" in n]
    print(f"  {len(stills)} beat stills: {sum(sizes[n] for n in stills) / 1e3:.0f} kB")
    axe(site)
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
