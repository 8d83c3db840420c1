"""What the voice costs: CPU seconds per second of video, narrated against silent.

    .venv/bin/python benchmarks/narration.py                   # medium and high
    .venv/bin/python benchmarks/narration.py --quality medium --spec config/l1.yaml

The same scene spec is rendered twice from a cold output folder: once spoken by espeak-ng (with
a cold speech cache, so synthesis is counted) and once with `voice: {engine: none}`. A narrated
scene runs longer (speech is slower than reading), so the figure compared is CPU seconds per
second of video. Each pair runs back to back; on a shared machine, compare the ratio.
"""

import argparse
import shutil
import tempfile
from pathlib import Path

from run import PYTHON, ROOT, timed

from scenes.production import manifest

VOICES = {
    "narrated": "voice: {engine: espeak-ng, voice: en-us, rate: 160}\n",
    "silent": "voice: {engine: none}\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="append", choices=["low", "medium", "high"])
    parser.add_argument("--spec", type=Path, default=ROOT / "config" / "l2.yaml")
    args = parser.parse_args()
    print("| quality | render | video s | CPU s | wall s | CPU s per video s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    cache = Path(tempfile.mkdtemp(prefix="narration-bench-"))
    env = {"XDG_CACHE_HOME": str(cache)}
    # TeX and text glyphs warm for both renders alike; the speech cache cold for each.
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / args.spec.name
        spec.write_text(args.spec.read_text() + VOICES["silent"])
        timed([PYTHON, "-m", "scenes", "render", str(spec), "-q", "low", "-o", folder], env=env)
    for quality in args.quality or ["medium", "high"]:
        per_second = {}
        for name, voice in VOICES.items():
            shutil.rmtree(cache / "loss-scenes" / "speech", ignore_errors=True)
            with tempfile.TemporaryDirectory() as folder:
                work = Path(folder)
                spec = work / args.spec.name
                spec.write_text(args.spec.read_text() + voice)
                out = work / "out"
                command = [PYTHON, "-m", "scenes", "render", str(spec), "-q", quality]
                command += ["-o", str(out), "--quiet", "-j", "2"]
                wall, cpu = timed(command, env=env)
                seconds = next(iter(manifest.read(out).videos.values())).duration
                per_second[name] = cpu / seconds
                print(
                    f"| {quality} | {name} | {seconds:.1f} | {cpu:.1f} | {wall:.1f} | "
                    f"{cpu / seconds:.3f} |",
                    flush=True,
                )
        ratio = per_second["narrated"] / per_second["silent"]
        print(f"| {quality} | narrated / silent | | | | {ratio:.3f} |", flush=True)
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
