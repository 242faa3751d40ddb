"""`python ingest.py` as a user runs it: build, check, and each kind of bad input."""
import json

import pytest

from .conftest import MINI_CORPUS, run_cli


@pytest.fixture
def env(tmp_path):
    return {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS),
            "COACH_EMBED_MODEL": "e5-small"}


def _manifest(env):
    from pathlib import Path
    return (Path(env["COACH_DATA_DIR"]) / "manifest.json").read_text()


def test_build_check_and_idempotent_second_run(env):
    """--check fails without index, ingest builds it with a summary, a second run does nothing."""
    assert run_cli(["ingest.py", "--check"], env).returncode == 1
    first = run_cli(["ingest.py"], env)
    assert first.returncode == 0, first.stderr.decode()
    out = first.stdout.decode()
    assert "secties" in out and "bouwstenen" in out and "stukken" in out
    assert "Insluiten" in first.stderr.decode()  # progress is shown while embedding
    before = _manifest(env)
    second = run_cli(["ingest.py"], env)
    assert second.returncode == 0 and "al actueel" in second.stdout.decode()
    assert _manifest(env) == before
    assert run_cli(["ingest.py", "--check"], env).returncode == 0
    rebuilt = run_cli(["ingest.py", "--rebuild"], env)
    assert rebuilt.returncode == 0
    assert json.loads(_manifest(env))["build"] != json.loads(before)["build"]


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
    assert run_cli(["ingest.py"], env).returncode == 0
    before = _manifest(env)
    result = run_cli(["ingest.py", "--rebuild"], _bad(env, tmp_path, kind))
    err = result.stderr.decode().strip()
    assert result.returncode == 2, err
    assert err.startswith("Fout: ") and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("Fout")]) == 1
    if kind != "unwritable data dir":
        assert _manifest(env) == before
