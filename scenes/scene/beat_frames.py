"""A scene's state at the end of every beat, without rendering its video.

The layout test checks the Manim objects on screen at each beat's end, and the golden frames and
README images are those states drawn once: Manim plays the scene with ``skip_animations`` (each
animation jumps to its end, nothing is encoded), and the builder calls back at every beat end.
"""

import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import numpy as np
from manim import Scene, tempconfig

from scenes.compute.prepare import prepare_scene
from scenes.kinds import kind_of
from scenes.scene import style

BeatCallback = Callable[[str, Scene], None]
MomentCallback = Callable[[str, Scene, float], None]
ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
FRAME_RATE = 15
"""Where :func:`play_beats` stops inside each animation for ``during`` (shares of its run)."""


def play_beats(
    spec: Any,
    on_beat_end: BeatCallback,
    height: int = 480,
    during: MomentCallback | None = None,
    alphas: tuple[float, ...] = ALPHAS,
    every_frame_of: Collection[str] = (),
) -> None:
    """Play ``spec``'s scene (speech not synthesised: the timeline's reading-rate timings) at a
    16:9 frame ``height`` pixels high, calling ``on_beat_end(beat_id, scene)`` at each beat's end
    and, when given, ``during(beat_id, scene, alpha)`` inside every animation (not the still
    holds) at each of ``alphas``, the scene brought to that point of the animation; in the beats
    ``every_frame_of`` (the relayouts), at every frame of the animation (15 per second).
    """
    from scenes.files import cache_dir, staged_cache
    from scenes.scene import speedups

    speedups.install()  # what a render draws with (nothing a pixel shows changes)
    prepared = prepare_scene(spec, speak=False)
    base = kind_of(spec).builder()

    class BeatEnds(base):  # type: ignore[misc, valid-type]
        def save_still(self, beat: Any) -> None:
            on_beat_end(beat.id, self.scene)

    class Player(Scene):
        def construct(self) -> None:
            self.builder = BeatEnds(self, prepared.data, prepared.timeline, stills=Path("unused"))
            self.builder.play()

        def play_internal(self, skip_rendering: bool = False) -> None:
            if during is not None and self.animations:
                # Skipped animations jump to their end: stop on the way there first.
                duration = self.get_run_time(self.animations)
                stops = alphas
                if self.builder.beat.id in every_frame_of:
                    frames = max(1, round(duration * FRAME_RATE))
                    stops = tuple(frame / frames for frame in range(frames + 1))
                for alpha in stops:
                    if alpha > 0:
                        self.update_to_time(alpha * duration)
                    during(self.builder.beat.id, self, alpha)
            super().play_internal(skip_rendering)

    cache = cache_dir()
    with (
        tempfile.TemporaryDirectory() as media,
        staged_cache(cache / "Tex") as tex,
        staged_cache(cache / "texts") as texts,
        tempconfig(
            {
                "pixel_height": height,
                "pixel_width": height * 16 // 9,
                "frame_rate": FRAME_RATE,
                "media_dir": media,
                "tex_dir": str(tex),
                "text_dir": str(texts),
                "background_color": style.BACKGROUND,
                "disable_caching": True,
                "write_to_movie": False,
                "save_last_frame": False,
                "verbosity": "ERROR",
                "progress_bar": "none",
            }
        ),
    ):
        Player(skip_animations=True).render()


def frame_of(scene: Scene) -> np.ndarray:
    """The RGB pixels of ``scene`` as it stands (drawn now: skipped animations draw nothing)."""
    scene.renderer.update_frame(scene)  # type: ignore[attr-defined]
    return np.asarray(scene.renderer.get_frame())[..., :3].copy()  # type: ignore[attr-defined]


def beat_frames(spec: Any, height: int = 480) -> dict[str, np.ndarray]:
    """Each beat's last frame, by beat id."""
    frames: dict[str, np.ndarray] = {}
    play_beats(spec, lambda beat_id, scene: frames.__setitem__(beat_id, frame_of(scene)), height)
    return frames
