"""The top-level assets/ folder, shipped inside the package as ``scenes.assets`` (see setup.py).

No code: templates, styles and the JSON Schema, read with :mod:`importlib.resources` so that a
wheel and an editable install read the same files.
"""
