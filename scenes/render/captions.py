"""The caption line at the bottom of every scene, written as subtitles too."""

from manim import Scene, Text, VMobject

from scenes.render import style
from scenes.render.shapes import point

FRAME_WIDTH = 14.2
CAPTION_Y = -3.62


class Captions:
    """Shows one caption at a time; each also becomes a subtitle cue for its duration."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.current: VMobject | None = None

    def show(self, text: str | None, duration: float, color: str = style.TEXT) -> None:
        """Replace the caption with ``text`` (or clear it when ``text`` is empty)."""
        if self.current is not None:
            self.scene.remove(self.current)
            self.current = None
        if not text:
            return
        caption = Text(text, font=style.FONT, font_size=style.CAPTION_SIZE, color=color)
        if caption.width > FRAME_WIDTH - 1.0:
            caption.scale_to_fit_width(FRAME_WIDTH - 1.0)
        caption.move_to(point(0, CAPTION_Y))
        self.scene.add(caption)
        self.current = caption
        self.scene.add_subcaption(text, duration=duration)
