"""The parsed formula's tree, as the parser builds it and every back end reads it.

Apart from the parser so that a back end needs only this, not the parser that imports it lazily.
"""

from typing import Any

__all__ = ["Node"]

# A node is a tuple: ("num", float) | ("r",) | ("name", str) | ("neg", node)
# | ("bin", op, node, node) | ("cmp", ops, nodes) | ("call", fname, nodes)
Node = tuple[Any, ...]
