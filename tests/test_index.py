"""Building, swapping and checking the Chroma index (fixture magazine, fake embedder)."""
import json

import pytest

from assistant.chunking import CHUNKER_VERSION
from assistant.errors import IndexLocked, IndexMissing
from assistant.index import IndexStore, load_knowledge

from .conftest import MINI_CORPUS, FakeEmbedder


@pytest.fixture
def knowledge():
    return load_knowledge(MINI_CORPUS)


def test_build_writes_a_manifest_and_a_readable_collection(mini_settings, knowledge, fake_embedder):
    """A build stores every chunk with its metadata and records what it was built from."""
    store = IndexStore(mini_settings)
    with store.lock():
        manifest = store.build(knowledge, fake_embedder)
    assert manifest.chunk_count == len(knowledge.chunks()) > 0
    assert manifest.corpus_sha256 == knowledge.magazine.sha256
    assert manifest.chunker_version == CHUNKER_VERSION and manifest.embedder == "fake/hash-bow-64"
    opened = store.open()
    chunks = opened.chunks
    assert [c.id for c in chunks] == [c.id for c in knowledge.chunks()]
    deep = [c for c in chunks if c.part == "verdiepende_vraag"]
    assert len(deep) == 2 and all(c.blocks == ("binding",) for c in deep)
    stems = [c for c in chunks if c.part == "stem_af_met"]
    assert {c.blocks[1] for c in stems} == {"waarde", "deelname", "organisatie"}
    interview = [c for c in chunks if c.section == "Partners moeten met elkaar verbonden zijn"]
    assert interview and all(c.case == "drechtsteden" for c in interview)
    assert "Tinka van Rood" in interview[0].speakers


def test_chunk_ids_are_stable_so_ingesting_twice_changes_nothing(knowledge):
    """The same text gives the same chunk ids."""
    assert [c.id for c in knowledge.chunks()] == [c.id for c in load_knowledge(MINI_CORPUS).chunks()]


def test_chunks_never_cross_a_section(knowledge):
    """Every chunk's text lies inside its own section."""
    for chunk in knowledge.chunks(target_words=20):
        section = knowledge.magazine.section(chunk.section)
        for piece in chunk.text.split("\n"):
            assert piece.lstrip("• ") in section.text


def test_status_reports_missing_and_stale(mini_settings, knowledge, fake_embedder, tmp_path):
    """No index, another corpus or another embedder: each is a reason to rebuild."""
    store = IndexStore(mini_settings)
    assert store.status(knowledge, "e5-small") == ["er is nog geen index"]
    with store.lock():
        store.build(knowledge, fake_embedder)
    reasons = store.status(knowledge, "e5-small")
    assert any("ander embeddingmodel" in r for r in reasons)
    changed = tmp_path / "changed.txt"
    changed.write_text(MINI_CORPUS.read_text(encoding="utf-8").replace("oefenmagazine", "testmagazine"),
                       encoding="utf-8")
    assert any("tijdschrifttekst" in r for r in store.status(load_knowledge(changed), "e5-small"))


def test_crash_during_build_keeps_the_old_index(mini_settings, knowledge, fake_embedder):
    """A build that fails half-way leaves the previous index as it was."""
    store = IndexStore(mini_settings)
    with store.lock():
        first = store.build(knowledge, fake_embedder)
    manifest_text = (mini_settings.data_dir / "manifest.json").read_text()
    with pytest.raises(RuntimeError):
        with store.lock():
            store.build(knowledge, FakeEmbedder(fail_after=0), batch=4)
    assert (mini_settings.data_dir / "manifest.json").read_text() == manifest_text
    assert len(store.open().chunks) == first.chunk_count
    assert [p.name for p in (mini_settings.data_dir / "builds").iterdir()] == [first.build]


def test_rebuild_swaps_and_keeps_one_previous_build(mini_settings, knowledge, fake_embedder):
    """After three builds the current and the previous build remain, older ones are gone."""
    store = IndexStore(mini_settings)
    builds = []
    for _ in range(3):
        with store.lock():
            builds.append(store.build(knowledge, fake_embedder).build)
    assert json.loads((mini_settings.data_dir / "manifest.json").read_text())["build"] == builds[-1]
    assert sorted(p.name for p in (mini_settings.data_dir / "builds").iterdir()) == sorted(builds[1:])


def test_second_ingest_at_the_same_time_is_refused(mini_settings):
    """While one ingest holds the lock, another gets a clear message."""
    store = IndexStore(mini_settings)
    with store.lock():
        with pytest.raises(IndexLocked, match="al een index gebouwd"):
            with IndexStore(mini_settings).lock():
                pass


def test_opening_without_index_says_what_to_run(mini_settings):
    """No index yet: the message names the ingest command."""
    with pytest.raises(IndexMissing, match="python ingest.py"):
        IndexStore(mini_settings).open()
