"""loss-scenes: YAML scene specs to Manim lecture videos about loss functions.

Layers: ``scenes.spec`` (YAML to validated models), ``scenes.maths`` (pure JAX), ``scenes.compute``
(spec + maths to arrays), ``scenes.render`` (Manim), ``scenes.cli`` (the command line).
"""

__version__ = "0.1.0"
