"""Captions burned into the frames: the timeline's cues, shown on exactly their frames.

A cue is on screen from frame ``round(start * fps)`` to frame ``round(end * fps)`` (exclusive),
the same times as in the subtitle files. During a still hold the wait is cut where a cue starts;
during an animation a clock animation swaps the caption on the frame its cue starts.
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

SAFE_BOTTOM = -4.0 + 0.08 * 8.0
"""The lowest a caption may reach: 8% of the frame height above the bottom edge, inside the
title-safe area (5%) and clear of a web player's control bar."""


class Captions:
    """The caption line of one scene."""

    def __init__(self, scene: Scene, cues: Sequence[Cue], fps: float) -> None:
        self.scene = scene
        self.fps = fps
        self.spans = [(round(cue.start * fps), round(cue.end * fps), cue.text) for cue in cues]
        self.holder = VGroup()
        self.shown: str | None = None
        self._texts: dict[str, VMobject] = {}
        if self.spans:
            scene.add(self.holder)

    def text_at(self, frame: int) -> str | None:
        for start, end, text in self.spans:
            if start <= frame < end:
                return text
        return None

    def boundaries(self) -> set[int]:
        return {frame for start, end, _ in self.spans for frame in (start, end)}

    def show_at(self, frame: int) -> None:
        """Show the cue of ``frame`` (or none)."""
        text = self.text_at(frame)
        if text == self.shown:
            return
        self.shown = text
        # A copy: the one on screen is emptied when the next replaces it (see swap_children).
        swap_children(self.holder, [self.mobject(text).copy()] if text else [])

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
