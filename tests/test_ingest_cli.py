"""`python ingest.py` as a user runs it: build, check, and each kind of bad input.

Fast tests run the same command through ``tests/fixtures/ingest_fake_model.py``, where
``COACH_EMBED_MODEL=fake`` is the fake embedder (no model is loaded); one slow test runs the
real ``ingest.py`` with e5-small."""
import json
from pathlib import Path

import pytest

from assistant.search.index import INDEX_FORMAT_VERSION

from .conftest import MINI_CORPUS, run_cli

INGEST = "tests/fixtures/ingest_fake_model.py"


@pytest.fixture
def env(tmp_path):
    return {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS),
            "COACH_EMBED_MODEL": "fake"}


def _manifest(env):
    return (Path(env["COACH_DATA_DIR"]) / "manifest.json").read_text()


@pytest.mark.parametrize("entry, model", [
    pytest.param(INGEST, "fake", id="fake"),
    pytest.param("ingest.py", "e5-small", marks=pytest.mark.slow, id="e5-small")])
def test_build_check_and_idempotent_second_run(env, entry, model):
    """--check fails without index, ingest builds it with a summary, a second run does nothing."""
    env = {**env, "COACH_EMBED_MODEL": model}
    assert run_cli([entry, "--check"], env).returncode == 1
    first = run_cli([entry], env)
    assert first.returncode == 0, first.stderr.decode()
    out = first.stdout.decode()
    assert "8 secties, 3 bouwstenen, 2 praktijkverhalen" in out and "stukken" in out
    assert "Insluiten" in first.stderr.decode()  # progress is shown while embedding
    assert "getraind op de situatielaag" in out  # the app will not have to train at its start
    assert len(list((Path(env["COACH_DATA_DIR"]) / "models").glob("learned-*.json"))) == 1
    before = _manifest(env)
    second = run_cli([entry], env)
    assert second.returncode == 0 and "al actueel" in second.stdout.decode()
    assert _manifest(env) == before
    check = run_cli([entry, "--check"], env)
    assert check.returncode == 0 and "Index in orde" in check.stdout.decode()
    rebuilt = run_cli([entry, "--rebuild"], env)
    assert rebuilt.returncode == 0
    assert json.loads(_manifest(env))["build"] != json.loads(before)["build"]


def test_check_names_the_reason_an_index_is_stale(env):
    """--check on an index of another embedder or another index format: exit 1 and the reason."""
    assert run_cli([INGEST], env).returncode == 0
    other = run_cli([INGEST, "--check"], {**env, "COACH_EMBED_MODEL": "e5-small"})
    assert other.returncode == 1
    assert "een ander embeddingmodel (fake/hash-bow-64 → e5-small/" in other.stderr.decode()
    path = Path(env["COACH_DATA_DIR"]) / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "format_version": "0"}))
    old_format = run_cli([INGEST, "--check"], env)
    assert old_format.returncode == 1
    assert f"de opslag van de index is veranderd (formaat 0 → {INDEX_FORMAT_VERSION})" in old_format.stderr.decode()
    rebuilt = run_cli([INGEST], env)
    assert rebuilt.returncode == 0 and f"formaat 0 → {INDEX_FORMAT_VERSION}" in rebuilt.stderr.decode()
    assert json.loads(path.read_text())["format_version"] == INDEX_FORMAT_VERSION
    assert run_cli([INGEST, "--check"], env).returncode == 0


def _bad(env, tmp_path, kind):
    bad = dict(env)
    if kind == "missing corpus":
        bad["COACH_CORPUS"] = str(tmp_path / "weg.txt")
    elif kind == "empty corpus":
        (tmp_path / "leeg.txt").write_text("")
        bad["COACH_CORPUS"] = str(tmp_path / "leeg.txt")
    elif kind == "latin-1 corpus":
        (tmp_path / "latin.txt").write_bytes(MINI_CORPUS.read_text().encode("latin-1", "replace"))
        bad["COACH_CORPUS"] = str(tmp_path / "latin.txt")
    elif kind == "unknown embedder":
        bad["COACH_EMBED_MODEL"] = "gpt-99-embed"
    elif kind == "unloadable model":
        (tmp_path / "model").mkdir(exist_ok=True)
        (tmp_path / "model" / "config.json").write_text("{kapot")
        bad["COACH_EMBED_MODEL"] = f"sentence-transformers:{tmp_path / 'model'}"
    elif kind == "unwritable data dir":
        (tmp_path / "bestand").write_text("x")
        bad["COACH_DATA_DIR"] = str(tmp_path / "bestand" / "data")
    return bad


@pytest.mark.parametrize("kind", ["missing corpus", "empty corpus", "latin-1 corpus", "unknown embedder",
                                  "unloadable model", "unwritable data dir"])
def test_bad_setup_gives_one_clear_line_and_keeps_the_index(env, tmp_path, kind):
    """Each bad input: exit 2, one line saying what to do, the existing index untouched."""
    assert run_cli([INGEST], env).returncode == 0
    before = _manifest(env)
    result = run_cli([INGEST, "--rebuild"], _bad(env, tmp_path, kind))
    err = result.stderr.decode().strip()
    assert result.returncode == 2, err
    assert err.startswith("Fout: ") and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("Fout")]) == 1
    if kind != "unwritable data dir":
        assert _manifest(env) == before
