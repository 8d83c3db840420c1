"""Every spec in ``config/`` as a Scene class for the plain ``manim`` command.

    manim -ql manim_scenes.py HuberLoss
    manim -qh manim_scenes.py LossFunctions

Set ``LOSS_SCENES_CONFIG`` to use another folder of specs.
"""

import os
from pathlib import Path

from scenes.render.encoding import with_fast_writer
from scenes.render.scene_classes import classes_for_folder

_folder = Path(os.environ.get("LOSS_SCENES_CONFIG", Path(__file__).parent / "config"))
# The same file writer as ``loss-scenes render``: faster encoding, faststart MP4s.
globals().update(
    {name: with_fast_writer(cls) for name, cls in classes_for_folder(_folder, __name__).items()}
)
