"""Optional features and the extras that install them: the core install annotates text and
JSONL; HTML input, plots and reports, training and evaluation, and corpus runs on Dask with
Parquet output each need more."""

from __future__ import annotations

from importlib.util import find_spec

# extra -> the modules it provides (pyproject.toml's optional-dependencies install them)
EXTRAS: dict[str, tuple[str, ...]] = {
    "html": ("trafilatura", "lxml_html_clean"),
    "plots": ("matplotlib",),
    "train": ("peft", "datasets", "sklearn"),
    "dask": ("dask", "distributed", "pyarrow"),
}


class MissingExtra(ImportError):
    """An optional feature was asked for without the extra that installs it."""


def needs(extra: str, feature: str) -> None:
    """Raise MissingExtra, naming the extra to install, unless its modules are present."""
    missing = [module for module in EXTRAS[extra] if find_spec(module) is None]
    if missing:
        raise MissingExtra(f"{feature} needs the '{extra}' extra ({', '.join(missing)} not "
                           f"installed): pip install 'attribution[{extra}]'")
