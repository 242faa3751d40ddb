"""Damaged, missing and stale indexes are detected, rebuilt and never crash (fixture magazine).

These tests damage the files of an embedded index, so they build it on disk."""
import shutil

import pytest

from assistant.errors import IndexError_
from assistant.search.index import IndexStore
from assistant.cli.ingest import _damage
from assistant.knowledge.model import load_knowledge

from .conftest import MINI_CORPUS, FakeEmbedder


@pytest.fixture
def built(mini_settings):
    store = IndexStore(mini_settings)
    with store.lock():
        manifest = store.build(load_knowledge(MINI_CORPUS), FakeEmbedder())
    return store, manifest


def test_deleted_index_files_are_reported(built, mini_settings):
    """Deleting the build folder makes the index 'missing files', never a crash."""
    store, manifest = built
    shutil.rmtree(mini_settings.data_dir / "builds" / manifest.build)
    assert store.file_problems() == ["de indexbestanden ontbreken"]
    assert "de indexbestanden ontbreken" in store.status(load_knowledge(MINI_CORPUS), "e5-small")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_database_is_detected_at_open(built, mini_settings, damage):
    """A truncated or overwritten database is reported as damaged, with what to run."""
    store, manifest = built
    db = mini_settings.data_dir / "builds" / manifest.build / "chroma.sqlite3"
    data = db.read_bytes()
    if damage == "truncate":
        db.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        db.write_bytes(b"\0garbage" * 1000)
    else:
        db.write_bytes(b"")
    problems = store.file_problems() or _damage(IndexStore(mini_settings))
    assert problems, "damage went unnoticed"
    with pytest.raises(IndexError_, match="ingest.py"):
        _ = IndexStore(mini_settings).open().chunks


def test_corrupt_manifest_is_a_clear_error(built, mini_settings):
    """A manifest that is not JSON gives a clear message instead of a traceback."""
    (mini_settings.data_dir / "manifest.json").write_text("{half")
    with pytest.raises(IndexError_, match="beschadigd"):
        IndexStore(mini_settings).read_manifest()
