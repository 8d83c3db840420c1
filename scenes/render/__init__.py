"""Scene layer: Manim objects from specs and precomputed maths. Importing it imports Manim."""
