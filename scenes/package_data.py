"""The files of the top-level ``assets/`` folder, shipped as the package ``scenes.assets``.

Read with :mod:`importlib.resources` (see setup.py), never by a path into the repository: a wheel
install has no repository, and an editable install maps the same package onto ``assets/``.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable

PACKAGE = "scenes.assets"
SCHEMA_NAME = "spec-v1.schema.json"
"""File name of the JSON Schema, in ``assets/schema/`` and next to the specs of a course."""


def asset(*parts: str) -> Traversable:
    """The packaged file or folder ``assets/PART/...``."""
    node = files(PACKAGE)
    for part in parts:
        node = node / part
    return node


def packaged_schema_text() -> str:
    """The JSON Schema of every spec, as committed (``assets/schema/spec-v1.schema.json``)."""
    return asset("schema", SCHEMA_NAME).read_text(encoding="utf-8")
