"""Every spec in a folder as a Scene class, for the plain ``manim`` command.

    manim -ql manim_scenes.py HuberLoss
    manim -qh manim_scenes.py LossFunctions      # a whole lecture as one scene

The specs are those of ``LOSS_SCENES_CONFIG`` if set, else of ``config/`` beside this file, else
of ``config/`` in the current folder. ``loss-scenes init`` puts a copy of this file in a new
course; with only the package installed, ``python -m scenes.manim_scenes`` prints this file's
path, so ``manim -ql "$(python -m scenes.manim_scenes)" HuberLoss`` works in any course folder.
"""

import os
from pathlib import Path

if __name__ == "__main__":
    print(Path(__file__).resolve())
else:
    from scenes.production.encoding import with_fast_writer
    from scenes.scene.scene_classes import classes_for_folder

    _beside = Path(__file__).parent / "config"
    _folder = Path(
        os.environ.get("LOSS_SCENES_CONFIG") or (_beside if _beside.is_dir() else "config")
    )
    # The same file writer as ``loss-scenes render``: faster encoding, faststart MP4s.
    globals().update(
        {name: with_fast_writer(c) for name, c in classes_for_folder(_folder, __name__).items()}
    )
