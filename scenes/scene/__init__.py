"""Scene layer: Manim drawing only. Builders play a computed timeline; shapes, style, typesetting
and the layout check live here. Importing a module of it imports Manim.
"""
