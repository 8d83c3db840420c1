"""The ``expr`` formula language: one function table, the parser, and its back ends (numpy, JAX,
LaTeX, JavaScript). Importing the package imports neither JAX nor Manim.
"""
