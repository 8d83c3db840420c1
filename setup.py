"""What pyproject.toml cannot say: the top-level ``assets/`` folder ships inside the package.

The layout keeps ``assets/`` at the top of the repository (spec-v1 section 1); the wheel carries it
as the package ``scenes.assets``, read with :mod:`importlib.resources`, so that a wheel install and
an editable one read the same files. Every other setting is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Sub-folders of assets/ (site/, schema/, starter/, ...) are data-only packages of scenes.assets.
ASSETS = [
    "scenes.assets",
    *(f"scenes.assets.{name}" for name in find_namespace_packages("assets", exclude=["*pycache*"])),
]

setup(
    packages=[
        *find_namespace_packages(include=["scenes", "scenes.*"], exclude=["*pycache*"]),
        *ASSETS,
    ],
    package_dir={"scenes.assets": "assets"},
    package_data={"scenes": ["py.typed"], **{package: ["*"] for package in ASSETS}},
)
