"""Server mode (``COACH_CHROMA_HOST``/``COACH_CHROMA_PORT``) against a real Chroma server
(``chroma run`` from this venv): ingest, check and ask through the server give the same answers
as the embedded index, and a rebuild swaps in a new collection.

"The same" allows for Chroma's approximate (HNSW) search: with the default ``ef_search`` of 100
a build finds 157-160 of the true 160 nearest vectors the retriever asks for, and which ones it
misses differs from build to build (embedded and server alike), which can swap two close
sources. So: same two top blocks, every block score within 0.05, same case, same first source
and at least four of the same top five sources."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_app import free_port

pytestmark = [pytest.mark.slow, pytest.mark.server]
QUESTIONS = ["Hoe bouwen partners aan onderling vertrouwen?",
             "De wethouder vraagt wat ons netwerk oplevert. Hoe maken we dat zichtbaar?",
             "Wie neemt bij ons de besluiten? Onze overlegstructuur is een rommeltje."]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A Chroma server on a free loopback port, telemetry off; stopped afterwards."""
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(folder / "db"), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    deadline = time.time() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text(errors="replace")[-2000:])
            try:
                assert "heartbeat" in urllib.request.urlopen(url, timeout=2).read().decode()
                break
            except OSError:
                if time.time() > deadline:
                    raise TimeoutError("the Chroma server did not answer its heartbeat") from None
                time.sleep(0.5)
        yield {"COACH_CHROMA_HOST": "127.0.0.1", "COACH_CHROMA_PORT": str(port),
               "COACH_DATA_DIR": str(folder / "data"), "COACH_EMBED_MODEL": "e5-small"}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def ask_all(env: dict) -> list[dict]:
    """The JSON answers to ``QUESTIONS`` from one `python -m assistant ask --json -` run."""
    r = run_cli(["-m", "assistant", "ask", "--json", "-"], env, stdin="\n".join(QUESTIONS).encode())
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    return [json.loads(line) for line in r.stdout.decode().splitlines()]


def essentials(answer: dict) -> dict:
    """What must not depend on where the index lives."""
    return {"blocks": {b["key"]: b["score"] for b in answer["blocks"]},
            "case": answer["case"]["key"] if answer["case"] else None,
            "sources": [s["chunk_id"] for s in answer["sources"][:5]]}


def assert_same_answer(a: dict, b: dict) -> None:
    """Same blocks, case and top sources, up to approximate search (see the module docstring)."""
    ea, eb = essentials(a), essentials(b)
    why = (a["question"], ea, eb)
    assert list(ea["blocks"])[:2] == list(eb["blocks"])[:2], why
    assert ea["blocks"].keys() == eb["blocks"].keys(), why
    assert all(abs(ea["blocks"][k] - eb["blocks"][k]) <= 0.05 for k in ea["blocks"]), why
    assert ea["case"] == eb["case"], why
    assert ea["sources"][0] == eb["sources"][0], why
    assert len(set(ea["sources"]) & set(eb["sources"])) >= 4, why


def pointer(env: dict):
    from assistant.config import load_settings
    from assistant.search.index import IndexStore
    return IndexStore(load_settings(env)).read_manifest()


@pytest.fixture(scope="module")
def served(chroma_server):
    """The real index built into the server by `python ingest.py`."""
    result = run_cli(["ingest.py"], chroma_server, timeout=1800)
    return chroma_server, result


def test_ingest_and_check_through_the_server(served):
    """`python ingest.py` builds into the server and `--check` then passes."""
    env, result = served
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert "stukken" in result.stdout.decode()
    check = run_cli(["ingest.py", "--check"], env)
    assert check.returncode == 0, check.stderr.decode()
    assert "Index in orde" in check.stdout.decode()
    assert not (Path(env["COACH_DATA_DIR"]) / "manifest.json").exists()  # the manifest lives in the server
    manifest = pointer(env)
    assert manifest.collection.startswith("mozaiek-") and manifest.embedder.startswith("e5-small")


def test_server_answers_equal_embedded_answers(served, real_settings):
    """Blocks, case and top-5 sources are the same through the server as from the embedded index."""
    env, result = served
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    embedded = ask_all({"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small"})
    server = ask_all(env)
    assert len(server) == len(embedded) == len(QUESTIONS)
    for question, a, b in zip(QUESTIONS, server, embedded):
        assert a["in_scope"] and a["citations"] and a["question"] == question
        assert_same_answer(a, b)
    single = run_cli(["-m", "assistant", "ask", QUESTIONS[0], "--json"], env)
    assert single.returncode == 0, single.stderr.decode()[-2000:]
    assert_same_answer(json.loads(single.stdout), embedded[0])


def test_rebuild_swaps_in_a_new_collection_with_the_same_answers(served):
    """`ingest.py --rebuild` points the server at a new collection, drops the old one, same answers."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.search.index import POINTER
    env, result = served
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    before, answers_before = pointer(env), ask_all(env)
    rebuilt = run_cli(["ingest.py", "--rebuild"], env, timeout=1800)
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()[-2000:]
    after = pointer(env)
    assert after.collection != before.collection and after.build != before.build
    client = chromadb.HttpClient(host="127.0.0.1", port=int(env["COACH_CHROMA_PORT"]), 
                                 settings=ChromaSettings(anonymized_telemetry=False))
    names = {c.name for c in client.list_collections()}
    assert names == {POINTER, after.collection}
    assert client.get_collection(after.collection).count() == after.vector_count
    for a, b in zip(ask_all(env), answers_before, strict=True):
        assert_same_answer(a, b)
    assert run_cli(["ingest.py", "--check"], env).returncode == 0
