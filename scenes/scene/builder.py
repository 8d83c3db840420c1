"""What every scene builder shares: playing a timeline beat by beat, captions, title, spec stamp.

A builder plays the scene's :class:`~scenes.spec.timeline.Timeline`: one Manim section per beat,
and within a beat, animations that take the shares of the beat the builder asks for. Every beat
ends exactly on the frame where the timeline says it ends (``round(end * fps)``), whatever the
rounding of the animations inside it, so the video, its subtitles, its chapters and the presenter
agree to the frame. A render of some beats only (a part, see ``scenes.production.plan``) marks
the other beats' sections as skipped: Manim then runs their animations without drawing them.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Animation,
    Mobject,
    Rectangle,
    Scene,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    config,
)
from manim.mobject.mobject import _AnimationBuilder

from scenes.compute.translation import language_of
from scenes.scene import style, typeset
from scenes.scene.captions import Captions
from scenes.spec import resolved_scene_dict
from scenes.spec.timeline import Beat, Timeline

# The title-safe area in scene units (Manim's frame is 8 high, 16:9): text stays inside it.
from scenes.spec.typography import (  # noqa: F401  (the scene builders import them from here)
    FRAME_HEIGHT,
    FRAME_WIDTH,
    SAFE_BOTTOM,
    SAFE_LEFT,
    SAFE_RIGHT,
    SAFE_TOP,
)

FADE_OUT_SECONDS = 0.6
"""How long the last picture of a scene takes to fade out (its still is taken before)."""

TITLE_SIZES = ((style.SIZE_TITLE, 2), (style.SIZE_LABEL, 3), (style.SIZE_SMALL, 4))
"""(type size, most lines) tried in turn for a title (see :meth:`SceneBuilder.make_title`)."""


def wrapped_lines(words: str, size: float, width: float) -> list[Text]:
    """``words`` as lines of text at ``size``, broken between words, each at most ``width`` wide
    (a single word wider than that is broken inside).
    """
    import textwrap

    from scenes.scene import typeset

    whole = typeset.text(words, size)
    per_line = max(1, int(len(words) * width / max(whole.width, 1e-9)))
    while True:
        pieces = textwrap.wrap(" ".join(words.split()), per_line) or [words]
        lines = [typeset.text(piece, size) for piece in pieces]
        if per_line == 1 or all(line.width <= width for line in lines):
            return lines
        per_line -= 1


class SpecStamp(Mobject):
    """An invisible mobject carrying a digest of the whole resolved spec and its timeline.

    Manim's own partial-movie cache (used by the plain ``manim`` command) hashes the mobjects on
    screen; with this stamp among them any change to the spec, however small its effect on the
    first frames, gives new hashes, so ``manim`` can never replay a stale animation.
    """

    def __init__(self, spec: Any, timeline: Timeline) -> None:
        super().__init__()
        payload = json.dumps(
            {"spec": resolved_scene_dict(spec), "timeline": timeline.rows()}, sort_keys=True
        )
        self.spec_digest = hashlib.sha256(payload.encode()).hexdigest()


class SceneBuilder:
    """Base of the builders that play one spec's timeline onto a Manim ``Scene``.

    Subclasses define the ``beat_<id>(beat)`` method of each beat their kind declares (the loss
    scene's three curve beats share ``beat_curve``) and call :meth:`animate` and :meth:`hold`
    inside them.
    """

    fades_out = True
    """Whether the last beat ends in a fade to the background (a closing card does not: the
    lecture ends on it, not on black)."""

    def __init__(
        self,
        scene: Scene,
        data: Any,
        timeline: Timeline,
        *,
        beats: tuple[int, int] | None = None,
        stills: Path | None = None,
    ) -> None:
        self.scene = scene
        self.stills = stills
        self.data = data
        self.spec = data.spec
        # Numbers drawn with the decimal mark of the scene's language (spec-v3 section 16).
        typeset.use_language(language_of(self.spec))
        self.timing = data.spec.timing
        self.timeline = timeline
        self.fps = float(config.frame_rate)
        self.first, self.last = beats if beats is not None else (0, len(timeline.beats) - 1)
        self.frame = 0
        self.captions = Captions(scene, timeline.cues if timeline.burn else [], self.fps)
        self.scene.camera.background_color = style.BACKGROUND  # type: ignore[union-attr]
        self.scene.add(SpecStamp(self.spec, timeline))

    # --- the timeline ---------------------------------------------------------------------------

    def play(self) -> None:
        """Play the beats ``first``..``last`` of the timeline; the earlier ones without drawing.

        Beats after ``last`` are not played at all: nothing after them is in this part's video.
        """
        for index, beat in enumerate(self.timeline.beats):
            if index > self.last:
                break
            self.scene.next_section(beat.id, skip_animations=index < self.first)
            self.beat = beat
            self.beat_end = round(beat.end * self.fps)
            self.beat_frames = self.beat_end - self.frame
            self.beat_used = 0.0
            self.add_subcaptions(beat)
            self.method_for(beat.id)(beat)
            is_last = index == len(self.timeline.beats) - 1
            fade = min(FADE_OUT_SECONDS / beat.seconds, 0.5) if is_last and self.fades_out else 0.0
            self.hold(until=1.0 - fade)
            if self.stills is not None and index >= self.first:
                self.save_still(beat)
            if fade:
                self.fade_out(fade)

    def fade_out(self, share: float) -> None:
        """The scene's transition: everything, the caption too, fades to the background over
        the end of the last beat, so scenes joined into a lecture dip to black instead of
        cutting (a caption left bright over a fading picture reads as a separate slide).
        """
        # A veil of the background colour over everything drawn, the caption included: one
        # rectangle to animate, where fading each mobject out would copy the whole picture.
        veil = Rectangle(
            width=FRAME_WIDTH + 1,
            height=FRAME_HEIGHT + 1,
            stroke_width=0,
            fill_color=style.BACKGROUND,
            fill_opacity=0.0,
        )
        self.scene.add(veil)
        self.scene.bring_to_front(veil)
        self.animate(
            # The animation's own rate function (smooth) eases the veil in and out.
            UpdateFromAlphaFunc(veil, lambda m, alpha: m.set_fill(opacity=alpha)),
            share=share,
        )
        self.hold()

    def save_still(self, beat: Beat) -> None:
        """The beat's last frame, as the handout and the presenter's overview show it."""
        from PIL import Image

        assert self.stills is not None
        self.stills.mkdir(parents=True, exist_ok=True)
        frame = self.scene.renderer.get_frame()  # type: ignore[attr-defined]
        Image.fromarray(frame).convert("RGB").save(self.stills / f"{beat.id}.png")

    def method_for(self, beat_id: str) -> Callable[[Beat], None]:
        """The method that draws ``beat_id``, as the spec's kind declares it
        (:mod:`scenes.spec.beats`; ``tests/scene/test_beats.py`` checks every builder has each).
        """
        return getattr(self, self.spec.beats.method(beat_id))

    def add_subcaptions(self, beat: Beat) -> None:
        """Subtitles for the plain ``manim`` command (loss-scenes writes its own from the
        timeline); Manim places them at its clock, which here is the beat's start.
        """
        if self.first == 0:
            for cue in beat.cues:
                self.scene.add_subcaption(cue.text, cue.end - cue.start, cue.start - beat.start)

    def animate(self, *animations: Any, share: float = 1.0, **kwargs: Any) -> None:
        """Play ``animations`` over ``share`` of the beat (shares add up within a beat; what
        is left over becomes a still hold at the beat's end).
        """
        self.beat_used = min(1.0, self.beat_used + share)
        start = self.frame
        target = self.beat_end - round((1.0 - self.beat_used) * self.beat_frames)
        if target <= start:
            # No frame left for it in this beat (a beat as short as its text allows, cut into
            # more steps than it has frames): the animations jump to their end, so the beat
            # still ends on its frame.
            self.apply_at_once(animations)
            return
        frames = target - start
        clock = self.captions.clock(start, frames)
        extra: list[Animation] = [clock] if clock is not None else []
        self.captions.show_at(start)
        # Options such as rate_func go to the builder's animations only: the caption clock
        # must run linearly in time.
        built = [a.build() if isinstance(a, _AnimationBuilder) else a for a in animations]
        for animation in built:
            for key, value in kwargs.items():
                setattr(animation, key, value)
        # Manim draws a frame at every multiple of 1/fps below run_time: n - 0.5 frames' time
        # gives exactly n frames (one frame: exactly 1/fps, as Manim allows no less).
        run_time = (frames - 0.5) / self.fps if frames > 1 else 1.0 / self.fps
        self.scene.play(*built, *extra, run_time=run_time)
        self.frame += frames

    def apply_at_once(self, animations: Iterable[Any]) -> None:
        """Bring ``animations`` to their end state without drawing a frame (as ``Scene.play``
        does around its frames: begin, finish, clean up).
        """
        built = [a.build() if isinstance(a, _AnimationBuilder) else a for a in animations]
        self.scene.add_mobjects_from_animations(built)
        for animation in built:
            animation._setup_scene(self.scene)
            animation.begin()
            animation.finish()
            animation.clean_up_from_scene(self.scene)
        self.scene.update_mobjects(0)  # the updaters of what moved, before they are removed

    def hold(self, until: float = 1.0) -> None:
        """Keep the picture still up to ``until`` (a share of the beat; default: its end),
        changing only the caption when a cue starts.
        """
        target = self.beat_end - round((1.0 - until) * self.beat_frames)
        self.beat_used = max(self.beat_used, until)
        for start, frames in self.captions.still_runs(self.frame, target):
            self.captions.show_at(start)
            if self.captions.fading(start):
                # A caption fading in: its frames are drawn one by one (still_runs cuts at
                # each); a drawn wait of n frames takes n - 0.5 frames' time, as in animate.
                run_time = (frames - 0.5) / self.fps if frames > 1 else 1.0 / self.fps
                self.scene.wait(run_time, frozen_frame=False)
            else:
                # Frozen frames are counted with int(duration * fps): half a frame more is exact.
                self.scene.wait((frames + 0.5) / self.fps, frozen_frame=True)
            self.frame += frames

    def share(self, seconds: float) -> float:
        """The share of the current beat that ``seconds`` take (the whole beat at most)."""
        return min(1.0, seconds / self.beat.seconds)

    def beat_hold(self, beat: Beat) -> None:
        """The last beat: the picture stands while the result is said."""

    # --- shared pieces --------------------------------------------------------------------------

    def make_title(self) -> VMobject:
        """The slide title (the spec's ``title``, else its scene name) in the top left corner of
        the title-safe area, wrapped to its width.

        Titles are set at the title size in at most two lines; a longer one (the limit is 200
        characters) steps down the type scale, to three lines at the label size and then four at
        the smallest size, which holds 200 characters. Never smaller, never outside the area.
        """
        words = self.spec.title or self.spec.scene
        width = SAFE_RIGHT - SAFE_LEFT
        for size, most in TITLE_SIZES:
            lines = wrapped_lines(words, size, width)
            if len(lines) <= most:
                break
        title = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return title.move_to(
            np.array([SAFE_LEFT + title.width / 2, SAFE_TOP - title.height / 2, 0.0])
        )

    def front(self, mobjects: Iterable[Mobject]) -> None:
        """Bring moving mobjects to the front, under the caption: Manim redraws every mobject
        above the first moving one each frame, so only these (and the caption) are redrawn.
        """
        self.scene.bring_to_front(*mobjects)
        self.captions.to_front()


__all__ = ["SceneBuilder", "SpecStamp"]
