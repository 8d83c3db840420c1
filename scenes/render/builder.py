"""What every scene builder shares: the slide's background, its title, captions, a spec stamp."""

import hashlib
import json
from typing import Any

from manim import UL, Mobject, Scene, Text

from scenes.render import style
from scenes.render.captions import Captions
from scenes.spec import resolved_scene_dict

# A longer title is made smaller rather than left to run into the formula or the plot at the right.
MAX_TITLE_WIDTH = 6.3


class SpecStamp(Mobject):
    """An invisible mobject carrying a digest of the whole resolved spec.

    Manim's own partial-movie cache (used by the plain ``manim`` command) hashes the mobjects on
    screen; with this stamp among them any change to the spec, however small its effect on the
    first frames, gives new hashes, so ``manim`` can never replay a stale animation.
    """

    def __init__(self, spec: Any) -> None:
        super().__init__()
        payload = json.dumps(resolved_scene_dict(spec), sort_keys=True)
        self.spec_digest = hashlib.sha256(payload.encode()).hexdigest()


class SceneBuilder:
    """Base of the builders that play one spec's scene onto a Manim ``Scene``."""

    def __init__(self, scene: Scene, data: Any) -> None:
        self.scene = scene
        self.data = data
        self.spec = data.spec
        self.timing = data.spec.timing
        self.captions = Captions(scene)
        self.scene.camera.background_color = style.BACKGROUND  # type: ignore[union-attr]
        self.scene.add(SpecStamp(self.spec))

    def make_title(self) -> Text:
        """The slide title (the spec's ``title``, else its scene name) in the top left corner."""
        title = Text(
            self.spec.title or self.spec.scene,
            font=style.FONT,
            font_size=style.TITLE_SIZE,
            color=style.TEXT,
        )
        if title.width > MAX_TITLE_WIDTH:
            title.scale_to_fit_width(MAX_TITLE_WIDTH)
        return title.to_corner(UL, buff=0.4)
