"""The command line, in process, over the fixture magazine (fake embedder): what scripts rely on."""
from __future__ import annotations

import io
import json
import sys

import pytest

from assistant.cli import main as cli
from assistant import service

from .conftest import MINI_CORPUS, mini_coach


class Stdin:
    """Standard input as the CLI reads it (bytes through ``.buffer``)."""

    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_ask_json_stdin_answers_every_line_in_order_even_empty_ones(mini_settings, monkeypatch, capsys):
    """Line N of the output belongs to line N of the input: an empty line is answered as vague."""
    coach = mini_coach(mini_settings)
    monkeypatch.setattr(service, "open_answerer", lambda settings: coach)
    monkeypatch.setattr(sys, "stdin", Stdin("Hoe bouwen partners aan vertrouwen?\n\n   \nWat wordt het weer?\n"
                                            "Wat is binding?".encode()))
    assert cli.main(["ask", "--json", "-"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["question"].strip() for d in out] == ["Hoe bouwen partners aan vertrouwen?", "", "",
                                                    "Wat wordt het weer?", "Wat is binding?"]
    assert [d["kind"] for d in out] == ["answer", "vague", "vague", "out_of_scope", "answer"]


def test_a_malformed_building_block_is_one_clear_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    """A magazine text whose block section lacks its parts: 'Fout: …' naming the section, exit 2."""
    broken = tmp_path / "kapot.txt"
    broken.write_text(MINI_CORPUS.read_text(encoding="utf-8").replace("Verdiepende vragen", "Meer vragen"),
                      encoding="utf-8")
    monkeypatch.setenv("COACH_CORPUS", str(broken))
    assert cli.main(["mozaiek", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout: de sectie 'Bouwsteen ")
    assert "Verdiepende vragen" in lines[0] and "COACH_CORPUS" in lines[0]


@pytest.mark.parametrize("question", ["Hoe bouwen partners aan vertrouwen?", "How do the partners build vertrouwen in their netwerk?"])
def test_every_citation_resolves_to_a_listed_source(mini_settings, monkeypatch, capsys, question):
    """Each [n] of the JSON answer is a citation whose chunk is one of ``sources`` and whose quote is in it."""
    coach = mini_coach(mini_settings)
    monkeypatch.setattr(service, "open_answerer", lambda settings: coach)
    assert cli.main(["ask", question, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    sources = {s["chunk_id"]: s["text"] for s in d["sources"]}
    assert d["citations"]
    for c in d["citations"]:
        assert c["chunk_id"] in sources and c["quote"] in sources[c["chunk_id"]]
    assert d["case"] is None or d["case"]["chunk_id"] in sources
