"""Captions burned into the frames: the timeline's cues, shown on exactly their frames.

A cue is on screen from frame ``round(start * fps)`` to frame ``round(end * fps)`` (exclusive),
the same times as in the subtitle files. During a still hold the wait is cut where a cue starts;
during an animation a clock animation swaps the caption on the frame its cue starts.

A cue that follows no caption (the first of a scene, or after a pause) fades in over its first
``FADE_IN_SECONDS`` instead of cutting in; one that follows another replaces it on its frame. The
frames of a fade are drawn one by one (:meth:`Captions.fading`), never frozen.
"""

from collections.abc import Sequence

from manim import (
    DOWN,
    Animation,
    Mobject,
    Scene,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from scenes.scene import style, typeset
from scenes.scene.shapes import point, swap_children
from scenes.spec.timeline import Cue

FADE_IN_SECONDS = 0.25
"""How long a caption that follows no caption takes to fade in."""

SAFE_BOTTOM = -4.0 + 0.08 * 8.0
"""The lowest a caption may reach: 8% of the frame height above the bottom edge, inside the
title-safe area (5%) and clear of a web player's control bar."""


class Captions:
    """The caption line of one scene."""

    def __init__(self, scene: Scene, cues: Sequence[Cue], fps: float) -> None:
        self.scene = scene
        self.fps = fps
        self.spans = [(round(cue.start * fps), round(cue.end * fps), cue.text) for cue in cues]
        self.fade_frames = max(1, round(FADE_IN_SECONDS * fps))
        # The frames where a fade-in starts: cues with no caption on the frame before.
        self.fade_starts = {
            start for start, end, _ in self.spans if end > start and self.text_at(start - 1) is None
        }
        self.holder = VGroup()
        self.shown: str | None = None
        self.opacity = 1.0
        self._texts: dict[str, VMobject] = {}
        if self.spans:
            scene.add(self.holder)

    def text_at(self, frame: int) -> str | None:
        for start, end, text in self.spans:
            if start <= frame < end:
                return text
        return None

    def boundaries(self) -> set[int]:
        """The frames where what the caption shows changes: cues' starts and ends, and the
        frames of every fade-in.
        """
        frames = {frame for start, end, _ in self.spans for frame in (start, end)}
        for start in self.fade_starts:
            frames.update(range(start + 1, start + self.fade_frames + 1))
        return frames

    def fade_at(self, frame: int) -> float:
        """The caption's opacity on ``frame``: below 1 in the first frames of a fade-in."""
        for start in self.fade_starts:
            if start <= frame < start + self.fade_frames:
                return (frame - start + 1) / (self.fade_frames + 1)
        return 1.0

    def fading(self, frame: int) -> bool:
        """Whether ``frame`` is inside a fade-in (it must be drawn, not frozen)."""
        return self.fade_at(frame) < 1.0

    def show_at(self, frame: int) -> None:
        """Show the cue of ``frame`` (or none), at its opacity on that frame."""
        text = self.text_at(frame)
        opacity = self.fade_at(frame) if text else 1.0
        if text == self.shown and opacity == self.opacity:
            return
        if text != self.shown:
            self.shown = text
            # A copy: the one on screen is emptied when the next replaces it (swap_children).
            swap_children(self.holder, [self.mobject(text).copy()] if text else [])
        self.opacity = opacity
        self.holder.set_opacity(opacity)

    def mobject(self, text: str) -> VMobject:
        if text not in self._texts:
            from scenes.spec.timeline import caption_lines

            caption = typeset.text(
                "\n".join(caption_lines(text)), style.SIZE_CAPTION, line_spacing=0.8
            )
            caption.move_to(point(0, 0)).align_to(point(0, SAFE_BOTTOM), DOWN)
            self._texts[text] = caption
        return self._texts[text]

    def still_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """``[start, end)`` cut at the frames where the caption changes: (first frame, count)."""
        cuts = sorted(frame for frame in self.boundaries() if start < frame < end)
        edges = [start, *cuts, end]
        return [(a, b - a) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]

    def clock(self, start: int, frames: int) -> Animation | None:
        """An animation that swaps the caption on its cue's frame, when one changes during the
        ``frames`` frames from ``start`` (None when the caption stays the same).
        """
        if not any(start < frame < start + frames for frame in self.boundaries()):
            return None

        def update(_holder: Mobject, alpha: float) -> None:
            # Manim's k-th frame of n is drawn at alpha = k / (n - 0.5) (see SceneBuilder.animate).
            self.show_at(start + min(frames - 1, round(alpha * (frames - 0.5))))

        return UpdateFromAlphaFunc(self.holder, update, rate_func=linear)

    def to_front(self) -> None:
        if self.spans:
            self.scene.bring_to_front(self.holder)
