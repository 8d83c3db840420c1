"""A caption that changes in the middle of an animation leaves the frame: Manim draws the
mobjects it listed when the animation began, so the outgoing caption used to stay drawn under
the new one (two captions over each other during the clipping and loss scenes' descents).
"""

import tempfile

import numpy as np
from manim import Dot, Scene, tempconfig

from scenes.scene.captions import Captions
from scenes.spec.timeline import Cue

FPS = 10


def _last_frame(cues: list[Cue], frames: int) -> np.ndarray:
    """The last frame of one animation of ``frames`` frames, with a moving dot (an updater, as
    the descents have) and the caption clock."""
    grabbed: list[np.ndarray] = []

    class Player(Scene):
        def construct(self) -> None:
            captions = Captions(self, cues, FPS)
            captions.show_at(0)
            dot = Dot()
            dot.add_updater(lambda m, dt: m.shift(0.01 * np.array([1.0, 0.0, 0.0])))
            self.add(dot)
            clock = captions.clock(0, frames)
            if clock is None:  # no cue starts inside: the same frames, drawn by a wait
                self.wait((frames - 0.5) / FPS)
            else:
                self.play(clock, run_time=(frames - 0.5) / FPS)
            grabbed.append(self.renderer.get_frame().copy())

    with (
        tempfile.TemporaryDirectory() as media,
        tempconfig(
            {
                "pixel_height": 180,
                "pixel_width": 320,
                "frame_rate": FPS,
                "media_dir": media,
                "disable_caching": True,
                "write_to_movie": False,
                "verbosity": "ERROR",
                "progress_bar": "none",
            }
        ),
    ):
        Player().render()
    return grabbed[-1][:, :, :3]


def test_a_caption_swapped_mid_animation_leaves_the_frame():
    swapped = _last_frame([Cue(0.0, 0.3, "first words here"), Cue(0.3, 1.0, "then others")], 8)
    alone = _last_frame([Cue(0.0, 1.0, "then others")], 8)
    bottom = slice(110, 180)
    # The dot moved the same way in both; only the caption region is compared.
    assert np.array_equal(swapped[bottom], alone[bottom])


def test_a_caption_after_none_fades_in_and_one_after_another_cuts():
    """A cue with no caption before it rises over FADE_IN_SECONDS (drawn frames, not a cut);
    a cue that replaces another is at full strength on its first frame."""
    from scenes.scene.captions import FADE_IN_SECONDS

    captions = Captions(Scene(), [Cue(0.0, 1.0, "first"), Cue(1.0, 2.0, "next")], FPS)
    fade = round(FADE_IN_SECONDS * FPS)
    opacities = [captions.fade_at(frame) for frame in range(fade + 2)]
    assert opacities[0] < opacities[1] < 1.0 and opacities[fade] == 1.0
    assert all(captions.fading(frame) for frame in range(fade))
    assert captions.fade_at(round(1.0 * FPS)) == 1.0  # "next" follows "first"
    # On the frames drawn: the caption's ink is dimmer on the fade's second frame than later.
    bottom = slice(110, 180)
    early = _last_frame([Cue(0.0, 1.0, "then others")], 2)[bottom].max()
    later = _last_frame([Cue(0.0, 1.0, "then others")], 8)[bottom].max()
    assert early < later - 40
