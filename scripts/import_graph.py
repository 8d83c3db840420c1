"""The package's import graph, read from its source, and its drawing in docs/.

    .venv/bin/python scripts/import_graph.py        # writes docs/import-graph.dot and .svg

Imports inside functions count: a lazy import is still a dependency. The layers are those of
design-v3 (lowest first); ``tests/contract/test_layers.py`` checks the same graph, read by the same
functions, so the drawing and the test cannot disagree. The SVG needs Graphviz's ``dot``
(``apt-get install graphviz``); without it only the ``.dot`` file is written.
"""

import ast
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: a layer may import the layers before it, never one after it. Top-level modules
# (scenes/files.py, kinds.py, ...) belong to no layer, and may not close a cycle either.
LAYERS = ["spec", "formula", "maths", "speech", "compute", "scene", "production", "site", "cli"]


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the ``scenes`` package by dotted name (a package by its own name)."""
    found = {}
    for path in (root / "scenes").rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:``: names for the type checker, never imported
    when the code runs, so no dependency between layers.
    """
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    return skipped


def imports(module: str, path: Path) -> list[tuple[str, str, int]]:
    """(imported module, or module.name, the name as written, line) of every import that runs,
    inside functions too (``from a import b`` gives ``a.b``: the module ``a.b`` or the name ``b``
    of ``a``, which :func:`owner` tells apart).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found += [(f"{source}.{alias.name}", alias.name, node.lineno) for alias in node.names]
    return found


def owner(name: str, known: dict[str, Path]) -> str | None:
    """The package module that ``name`` (a module, or a name inside one) resolves to."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph(known: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package modules it imports. A package's ``__init__`` counts where a name
    defined in it is imported (``from scenes.spec import SpecError`` inside scenes.spec is an edge
    to scenes.spec, which may close a cycle); importing a submodule does not count its parent.
    """
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in known.items():
        edges[module]
        for target, _, _ in imports(module, path):
            own = owner(target, known)
            if own and own != module:
                edges[module].add(own)
    return edges


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's, without recursion)."""
    nodes = sorted(set(edges) | {target for targets in edges.values() for target in targets})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(edges.get(root, ()))))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def reach(module: str, edges: dict[str, set[str]]) -> int | None:
    """The highest layer a module of no layer (scenes/kinds.py, files.py, ...) brings in: its own
    imports, through other such modules, up to the first layered module on each path.
    """
    seen, stack, highest = {module}, [module], None
    while stack:
        for target in edges.get(stack.pop(), ()):
            if layer(target) is not None:
                highest = max(highest if highest is not None else -1, layer(target))  # type: ignore[arg-type]
            elif target not in seen:
                seen.add(target)
                stack.append(target)
    return highest


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Every import from a layer into a higher one, as ``module -> target``; an import of a
    module of no layer counts at the highest layer that module brings in.
    """
    found = []
    for module, targets in sorted(edges.items()):
        low = layer(module)
        if low is None:
            continue
        for target in sorted(targets):
            high = layer(target)
            if high is None:
                high = reach(target, edges)
                if high is not None and high > low:
                    found.append(f"{module} -> {target} (which imports {LAYERS[high]})")
            elif high > low:
                found.append(f"{module} -> {target}")
    return found


def _group(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "(top level)"


def dot(edges: dict[str, set[str]]) -> str:
    """Graphviz source: one box per layer (highest at the top), the number of module imports on
    each arrow between layers, and the neutral top-level modules on the side. An arrow that runs
    up the layers would be drawn red.
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for module, targets in edges.items():
        for target in targets:
            a, b = _group(module), _group(target)
            if a != b:
                counts[(a, b)] += 1
    members: dict[str, list[str]] = defaultdict(list)
    for module in edges:
        group = _group(module)
        is_package = module.count(".") == 1 and group != "(top level)"
        members[group].append("__init__" if is_package else module.rpartition(".")[2])
    lines = [
        "digraph imports {",
        '  graph [rankdir=TB, nodesep=0.35, ranksep=0.5, fontname="DejaVu Sans"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="DejaVu Sans",'
        " fontsize=11];",
        '  edge [color="#4a6fa5", fontname="DejaVu Sans", fontsize=9];',
    ]
    for group in [*reversed(LAYERS), "(top level)"]:
        names = sorted(members.get(group, []))
        if not names:
            continue
        body = ", ".join(names)
        wrapped, line = [], ""
        for name in body.split(", "):
            if len(line) + len(name) > 48:
                wrapped.append(line.rstrip(", "))
                line = ""
            line += name + ", "
        wrapped.append(line.rstrip(", "))
        label = f"{group} ({len(names)})\\n" + "\\n".join(wrapped)
        fill = ', fillcolor="#ffffff", color="#aaaaaa"' if group == "(top level)" else ""
        lines.append(f'  "{group}" [label="{label}"{fill}];')
    # The layers stacked as design-v3 draws them; speech, maths and formula side by side.
    for rank in (["speech", "maths", "formula"],):
        lines.append("  { rank=same; " + " ".join(f'"{name}";' for name in rank) + " }")
    order = ["cli", "site", "production", "scene", "compute", "maths", "spec"]
    for high, low in zip(order, order[1:], strict=False):
        lines.append(f'  "{high}" -> "{low}" [style=invis, weight=10];')
    for (a, b), count in sorted(counts.items()):
        up = a in LAYERS and b in LAYERS and LAYERS.index(b) > LAYERS.index(a)
        if up:
            style = ', color="#d62728", penwidth=2'
        elif "(top level)" in (a, b):
            # The neutral modules sit beside the stack: their arrows do not rank the layers.
            style = ', color="#aaaaaa", fontcolor="#888888", constraint=false'
        else:
            style = ""
        lines.append(f'  "{a}" -> "{b}" [label="{count}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    edges = graph(modules())
    found_cycles, found_upward = cycles(edges), upward(edges)
    for cycle in found_cycles:
        print("cycle: " + ", ".join(cycle))
    for line in found_upward:
        print("upward: " + line)
    print(f"{len(edges)} modules, {len(found_cycles)} cycles, {len(found_upward)} upward imports")
    docs = ROOT / "docs"
    (docs / "import-graph.dot").write_text(dot(edges), encoding="utf-8")
    if shutil.which("dot") is None:
        print("no Graphviz 'dot' on PATH: wrote docs/import-graph.dot only", file=sys.stderr)
        return 0
    svg = subprocess.run(
        ["dot", "-Tsvg", str(docs / "import-graph.dot")], check=True, capture_output=True
    ).stdout
    (docs / "import-graph.svg").write_bytes(svg)
    print("wrote docs/import-graph.dot and docs/import-graph.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
