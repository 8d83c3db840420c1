"""Reuse keys: whether a previous render can be reused (render keys and wholeness checks).

A scene's key hashes everything its video depends on: the fully resolved spec, the quality, the
formats, the package version and a digest of the package's own source code (so an edit to the
renderer invalidates old videos even without a version bump), and the Manim version. The key and
a SHA-256 of every written file go into the output folder's manifest; a video is reused only when
its key matches and every file is still byte for byte what was written, with the recorded
duration. Anything else renders again: a reuse must never hand out a stale or damaged video.

No Manim or JAX imports here: a render with nothing to do must start and finish in well under
two seconds.
"""

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from scenes.production.manifest import Manifest, RenderedVideo
from scenes.version import __version__

KEY_SCHEMA = "loss-scenes-render-key-v3"


@cache
def code_digest() -> str:
    """SHA-256 over the package's Python sources (paths and contents, in a fixed order)."""
    root = Path(__file__).resolve().parents[1]  # the scenes package
    digest = hashlib.sha256()
    # The command-line layer only wires commands together; editing it changes no picture.
    sources = [p for p in root.rglob("*.py") if p.relative_to(root).parts[0] != "cli"]
    for path in sorted(sources):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def _manim_version() -> str:
    try:
        return metadata.version("manim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _key(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scene_key(
    resolved_spec: dict[str, Any],
    quality: str,
    formats: list[str],
    voice: dict[str, str] | None = None,
) -> str:
    """The render key of one scene (``resolved_spec`` from ``resolved_scene_dict``).

    Everything a video is made from is fixed by the spec, the voice and the code: the timeline
    (how long each phrase is said sets every beat's length) and the sound follow from them, so
    the key is known before anything is computed or said, and an unchanged scene is reused
    without either. ``voice`` is the engine's identity
    (:func:`scenes.compute.prepare.voice_identity`): engine, voice and its version, the model's
    digest, or the digest of the recorded takes.
    """
    return _key(
        {
            "schema": KEY_SCHEMA,
            "kind": "scene",
            "spec": resolved_spec,
            "voice": voice or {},
            "quality": quality,
            "formats": sorted(formats),
            "version": __version__,
            "code": code_digest(),
            "manim": _manim_version(),
        }
    )


def lecture_key(
    name: str, title: str | None, part_keys: list[str], quality: str, formats: list[str]
) -> str:
    """The render key of a lecture: its parts' keys in order, plus what the joining adds."""
    return _key(
        {
            "schema": KEY_SCHEMA,
            "kind": "lecture",
            "name": name,
            "title": title,
            "parts": part_keys,
            "quality": quality,
            "formats": sorted(formats),
            "code": code_digest(),
        }
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reusable(manifest: Manifest, out_dir: Path, name: str, key: str) -> RenderedVideo | None:
    """The recorded video ``name`` if it was rendered with ``key`` and its files are whole."""
    video = manifest.videos.get(name)
    if video is None or video.key != key:
        return None
    names = video.written_files()
    if set(video.checksums) != set(names) or not names:
        return None
    for file_name in names:
        path = out_dir / file_name
        try:
            if not path.is_file() or file_sha256(path) != video.checksums[file_name]:
                return None
        except OSError:
            return None
    mp4 = video.files.get("mp4")
    if mp4 and not _duration_matches(out_dir / mp4, video):
        return None
    return video


def _duration_matches(path: Path, video: RenderedVideo) -> bool:
    """The video still demuxes to its recorded duration and size (checksums alone prove bytes;
    this proves the bytes were a whole video when recorded).
    """
    from scenes.production.video import probe

    try:
        info = probe(path)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not reusable
        return False
    fps = info.fps or 1.0
    return (
        abs(info.duration - video.duration) <= 1.5 / fps
        and info.width == video.width
        and info.height == video.height
        and info.frames > 0
    )
