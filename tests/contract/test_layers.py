"""The package's imports go one way (design-v3.md): no cycles, nothing imported up the layers.

Imports inside functions count: a lazy import is still a dependency, and a cycle through one is
still a cycle (it only fails later, at the call). The graph is read from the source with ``ast``
by ``scripts/import_graph.py``, the same functions that draw ``docs/import-graph.svg``.
"""

import pytest
from helpers import ROOT
from import_graph import cycles, dot, graph, imports, modules, owner, upward

MODULES = modules()
EDGES = graph(MODULES)

# Third-party packages a layer must not import at all: the spec layer is what `check` loads, the
# maths is pure, speech and the formula language draw nothing, compute only computes.
FORBIDDEN_THIRD_PARTY = {
    "spec": {"jax", "manim", "scipy"},
    "formula": {"manim", "yaml"},
    "maths": {"manim", "yaml", "pydantic"},
    "speech": {"manim", "jax"},
    "compute": {"manim"},
}


def test_the_graph_is_read():
    """The checks below are worth something only if the graph holds the package's real edges."""
    assert len(MODULES) > 50
    assert "scenes.spec.yaml_loader" in set().union(
        *(EDGES[m] for m in EDGES if m.startswith("scenes.spec."))
    )
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert upward({"scenes.spec.x": {"scenes.maths.y"}}) == ["scenes.spec.x -> scenes.maths.y"]
    # Up through a module of no layer: spec -> scenes.kinds -> scenes.compute.
    assert upward({"scenes.spec.x": {"scenes.kinds"}, "scenes.kinds": {"scenes.compute.y"}}) == [
        "scenes.spec.x -> scenes.kinds (which imports compute)"
    ]


def test_a_name_from_a_package_init_is_an_edge_and_a_type_only_import_is_not(tmp_path):
    """``from scenes.spec import X`` inside scenes.spec.models, with X defined in the package's
    ``__init__`` (which imports models), is a cycle; ``if TYPE_CHECKING:`` imports never run."""
    package = tmp_path / "scenes" / "spec"
    package.mkdir(parents=True)
    (tmp_path / "scenes" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from scenes.spec.models import Model\nLIMIT = 1\n")
    (package / "models.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from scenes.compute.loss import Data\n"
        "class Model:\n    def limit(self):\n        from scenes.spec import LIMIT\n"
        "        return LIMIT\n"
    )
    (tmp_path / "scenes" / "compute").mkdir()
    (tmp_path / "scenes" / "compute" / "__init__.py").write_text("")
    (tmp_path / "scenes" / "compute" / "loss.py").write_text("Data = 1\n")
    edges = graph(modules(tmp_path))
    assert cycles(edges) == [["scenes.spec", "scenes.spec.models"]]
    assert upward(edges) == []


def test_no_import_cycles():
    assert cycles(EDGES) == []


def test_no_import_runs_up_the_layers():
    assert upward(EDGES) == []


def _own_private_module(module: str, target: str) -> bool:
    """``from scenes.maths import _x64`` inside scenes.maths: a package's private module is its
    own business."""
    package = target.rpartition(".")[0]
    return target in MODULES and (module == package or module.startswith(package + "."))


def test_no_private_name_is_imported_from_another_module():
    private = [
        f"{MODULES[module].relative_to(ROOT)}:{line}: {written}"
        for module in sorted(MODULES)
        for target, written, line in imports(module, MODULES[module])
        if written.startswith("_")
        and not written.startswith("__")
        and target.startswith("scenes.")
        and owner(target, MODULES) not in (None, module)
        and not _own_private_module(module, target)
    ]
    assert private == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_THIRD_PARTY))
def test_a_layer_imports_no_forbidden_library(layer):
    found = [
        f"{MODULES[module].relative_to(ROOT)}:{line}: {target}"
        for module in sorted(MODULES)
        if module.split(".")[1:2] == [layer]
        for target, _, line in imports(module, MODULES[module])
        if target.split(".")[0] in FORBIDDEN_THIRD_PARTY[layer]
    ]
    assert found == []


def test_the_drawing_in_docs_is_current():
    """docs/import-graph.dot (and the SVG drawn from it) shows the graph as it is; regenerate
    with `.venv/bin/python scripts/import_graph.py`."""
    assert (ROOT / "docs" / "import-graph.dot").read_text(encoding="utf-8") == dot(EDGES)
