"""What the type system costs: building 20 maths labels, cold and cached, against plain MathTex.

    .venv/bin/python benchmarks/typeset_cost.py

For each engine, one subprocess builds the 20 labels with an empty TeX folder (cold: every label
is typeset), then a second subprocess builds them again with that folder (cached: the SVGs are
read back, as in every render after the first on a machine). Printed as a Markdown table: wall
seconds and CPU seconds (TeX runs in child processes, counted too). Wall times on a shared
machine are noisy; the CPU seconds depend less on other load.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

LABELS = [
    r"\ell(r) = \tfrac{1}{2}\, r^2",
    r"\ell(r) = |r|",
    r"\ell(r) = \begin{cases} \tfrac{1}{2} r^2 & |r| \le \delta \\"
    r" \delta\,(|r| - \tfrac{1}{2}\delta) & |r| > \delta \end{cases}\qquad \delta = 1",
    r"\ell(r) = \delta^2 \left(\sqrt{1 + (r/\delta)^2} - 1\right)",
    r"\ell(r) = \log\cosh r",
    r"\ell(r) = \tfrac{c^2}{2} \log\left(1 + (r/c)^2\right)",
    r"\ell(r) = \max\left(\tau r,\ (\tau - 1)\, r\right)\qquad \tau = 0.25",
    r"\ell(r) = \max\left(0,\ |r| - \epsilon\right)",
    r"\ell(r)",
    r"p(r) = e^{-\ell(r)} / Z",
    r"\ell'(r)",
    r"r = y - \theta",
    r"\theta",
    r"\pm\delta",
    r"\pm c",
    r"\text{pull } \ell'(y_i - \theta)",
    r"\widehat{\sigma}_{\mathrm{MAD}}",
    r"|g_i| \le c",
    r"\theta_{t+1} = \theta_t + \eta_t \tfrac{1}{n} \textstyle\sum_i g_i",
    r"\text{mean of clipped}",
]

BUILD = """
import sys, time
from manim import MathTex, config
config.tex_dir = sys.argv[2]
labels = {labels!r}
start = time.perf_counter()
if sys.argv[1] == "sans":
    from scenes.scene.typeset import maths
    mobs = [maths(label) for label in labels]
else:
    mobs = [MathTex(label) for label in labels]
print(time.perf_counter() - start)
"""


def run(engine: str, tex_dir: str) -> tuple[float, float, float]:
    """(wall seconds in the builder, wall seconds of the process, CPU seconds incl. children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", BUILD.format(labels=LABELS), engine, tex_dir],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(out.stdout.strip().splitlines()[-1]), wall, cpu


def main() -> None:
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(f"{len(LABELS)} maths labels; load average {load:.1f} on {cores} cores\n")
    print("| engine | cache | build s | process s | CPU s |")
    print("| --- | --- | --- | --- | --- |")
    engines = {
        "MathTex (latex, Computer Modern)": "plain",
        "typeset.maths (XeLaTeX, DejaVu)": "sans",
    }
    for name, engine in engines.items():
        with tempfile.TemporaryDirectory() as tex_dir:
            for cache in ("cold", "cached"):
                build, wall, cpu = run(engine, tex_dir)
                print(f"| {name} | {cache} | {build:.1f} | {wall:.1f} | {cpu:.1f} |", flush=True)


if __name__ == "__main__":
    main()
