"""The version of loss-scenes: in the render keys, and compared with each Dask worker's.

A module of its own, importing nothing, so that production can read it without importing the
public API (``scenes/__init__.py``), which imports production.
"""

__version__ = "0.1.0"
