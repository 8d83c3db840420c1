"""The wheel carries everything: built, installed into a fresh virtual environment, and used as a
lecturer would, from a folder outside the repository (spec-v2 sections 11 and 13).
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT, DaskCluster, fast_copy

# What the build reads, and nothing else: building from a copy keeps setuptools' build/ folder
# (whose stale files would end up in the wheel) out of the repository.
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "LICENSE",
    "docs/package-description.md",
    "scenes",
    "assets",
)


def build_wheel(folder: Path) -> Path:
    source = folder / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    # No build isolation: this environment's setuptools (a test dependency) builds it offline.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(folder / "dist")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (folder / "dist").glob("loss_scenes-*.whl")
    return wheel


def fresh_environment(folder: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed; its bin folder.

    The environment is made without pip and without the system's packages. Its dependencies
    (Manim, JAX, ...) are not downloaded again: a .pth file appends this environment's
    site-packages to its path, after its own, so the wheel's `scenes` comes first and nothing
    else of this checkout is importable (an editable install's finder is a .pth of its own,
    which Python does not run from a folder added this way).
    """
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv / "bin"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel both tests read (neither changes it): built once."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "scenes/__init__.py",
        "scenes/py.typed",
        "scenes/manim_scenes.py",
        "scenes/assets/__init__.py",
        "scenes/assets/schema/spec-v1.schema.json",
        "scenes/assets/site/index.html",
        "scenes/assets/site/course.html",
        "scenes/assets/site/style.css",
        "scenes/assets/starter/config/lecture.yaml",
        "scenes/assets/starter/gitignore",
    ):
        assert required in names, required
    assets = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*"))
    shipped = [f"scenes/{name}" for name in assets if (ROOT / name).is_file()]
    assert [name for name in shipped if "__pycache__" not in name] == sorted(
        name for name in names if name.startswith("scenes/assets/")
    )
    assert not [name for name in names if name.split("/")[0] in ("tests", "config", "assets")]
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_wheel_names_its_licence_and_describes_itself_without_missing_files(wheel):
    archive = zipfile.ZipFile(wheel)
    [metadata] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode("utf-8")
    assert "License-Expression: MIT" in text
    assert "License-File: LICENSE" in text
    licence = metadata.replace("METADATA", "licenses/LICENSE")
    assert archive.read(licence).decode("utf-8") == (ROOT / "LICENSE").read_text(encoding="utf-8")
    description = text.split("\n\n", 1)[1]
    assert "loss-scenes render SPEC" in description
    # No picture and no link into the repository: the index shows the text alone.
    assert "![" not in description and "](docs/" not in description and "](http" in description


def test_readme_names_the_wheel_pip_builds(wheel):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pip install {wheel.name}" in readme


@pytest.mark.slow
def test_wheel_installed_elsewhere_runs_init_check_render_export(wheel, tmp_path):
    bin_dir = fresh_environment(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"

    def run(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        result = subprocess.run(
            args, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
        return result

    where = run("python", "-c", "import scenes; print(scenes.__file__)").stdout.strip()
    assert where.startswith(str(tmp_path / "venv")), where
    run("loss-scenes", "init", "course")
    # Short beats and one line said per scene: this test is about the installed package.
    for name in ("squared.yaml", "huber.yaml"):
        fast_copy(work / "course" / "config" / name, work / "course" / "config")
    course = "course/config/course.yaml"
    run("loss-scenes", "check", course)
    rendered = run("loss-scenes", "render", course, "-q", "low")
    assert (work / "renders" / "low" / "LossFunctions.mp4").is_file()
    assert "renders/low/HuberLoss.mp4" in rendered.stdout
    exported = run("loss-scenes", "export", course, "-q", "low", "-o", "site")
    assert exported.stdout.splitlines()[0] == str(work / "site" / "index.html")
    assert (work / "site" / "LossFunctions" / "index.html").is_file()
    assert (work / "site" / "LossFunctions" / "media" / "LossFunctions.webm").is_file()
    assert "LossFunctions/index.html" in (work / "site" / "index.html").read_text()

    # The same export rendered on a Dask cluster whose worker runs the installed wheel.
    (tmp_path / "dask").mkdir()
    cluster = DaskCluster(tmp_path / "dask", python=str(bin_dir / "python"), env=env)
    try:
        cluster.add_worker("wheel")
        worker = cluster.wait_for_workers(1)["wheel"]
        on_cluster = run(
            "loss-scenes", "export", course, "-q", "low", "-o", "site-cluster",
            "--render-dir", "renders-cluster", "--cluster", cluster.address,
        )  # fmt: skip
    finally:
        cluster.close()
    assert f"rendered by {worker}" in on_cluster.stderr
    assert (work / "site-cluster" / "LossFunctions" / "index.html").is_file()

    # The rest of what reads package data: the schema, new's schema line, the Manim entry.
    schema = run("loss-scenes", "schema").stdout
    assert schema == (ROOT / "assets/schema/spec-v1.schema.json").read_text()
    run("loss-scenes", "new", "extra", "--dir", "course/config")
    first = (work / "course/config/extra.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=spec-v1.schema.json"
    manim_entry = run("python", "-m", "scenes.manim_scenes").stdout.strip()
    assert manim_entry.startswith(str(tmp_path / "venv")), manim_entry
    env["LOSS_SCENES_CONFIG"] = "course/config"
    listed = json.loads(
        run(
            "python",
            "-c",
            "import json, scenes.manim_scenes as m; from manim import Scene; "
            "print(json.dumps(sorted(k for k, v in vars(m).items() "
            "if isinstance(v, type) and issubclass(v, Scene) and v is not Scene)))",
            timeout=300,
        ).stdout
    )
    assert {"HuberLoss", "SquaredLoss", "LossFunctions"} <= set(listed)


def test_export_checks_its_templates_before_rendering(tmp_path, monkeypatch):
    """An installation without its templates fails at once, not after rendering every video."""
    import jinja2

    from scenes.site import build, pages
    from scenes.spec import load_any

    partial = {name: "" for name in pages.TEMPLATES if name != "course.html"}
    environment = jinja2.Environment(loader=jinja2.DictLoader(partial))
    monkeypatch.setattr(pages, "_environment", lambda: environment)

    def render(*args, **kwargs):
        raise AssertionError("rendered before checking the templates")

    monkeypatch.setattr(build, "_render", render)
    lecture = load_any(ROOT / "config" / "lecture.yaml")
    with pytest.raises(pages.MissingAssets, match="course.html is missing from scenes.assets"):
        build.export_site(lecture, tmp_path / "site")
    assert list(tmp_path.iterdir()) == []
    # And the real installation has them all.
    monkeypatch.undo()
    pages.check_assets()
