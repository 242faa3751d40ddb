"""The "Eigen documenten" tab and the coach's "ook eigen documenten" toggle, handlers called directly.

A FAKE holder around the real fixture coach (fake embedder, in-memory Chroma for the magazine and
the documents); the documents are made in code."""
from __future__ import annotations

import gradio as gr
import pytest

from assistant.config import load_settings
from assistant.conversation import Conversation
from assistant.docs import DocLibrary, DocStore
from assistant.index import memory_client
from assistant.llm import LLMCoach
from assistant.ui import coach as coach_tab
from assistant.ui import docs as docs_tab

from .conftest import MINI_CORPUS, FakeEmbedder, mini_coach
from .doc_fixtures import make_pdf
from .test_docs import CONVENANT, DOC_QUESTION
from .ui_fakes import FakeHolder, RecordingAnswerer


class DocsHolder:
    """FAKE ``CoachHolder``: the fixture coach with a document store of its own, ready at once."""

    def __init__(self, tmp_path):
        from assistant.knowledge import load_knowledge
        self.settings = load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS)})
        self.knowledge = load_knowledge(MINI_CORPUS)
        self.embedder = FakeEmbedder()
        self._coach = mini_coach(self.settings, self.embedder)
        self.store = DocStore(self.settings, memory_client())
        self._coach.docs = DocLibrary(self.store, self.embedder, self._coach.retriever)
        self.answerer = RecordingAnswerer(LLMCoach(self._coach, None))

    @property
    def coach(self):
        return self._coach

    def status(self):
        return "ready", ""

    def documents(self):
        return self.store, self.embedder


@pytest.fixture
def holder(tmp_path):
    return DocsHolder(tmp_path)


@pytest.fixture
def upload(tmp_path):
    """An uploaded file as Gradio hands it over: a path whose name is the user's file name."""
    folder = tmp_path / "gradio-upload"
    folder.mkdir()
    path = folder / "Convenant Zuidoost.pdf"
    path.write_bytes(make_pdf(CONVENANT))
    return str(path)


def last(steps):
    return list(steps)[-1]


def test_uploading_lists_the_document_with_title_size_date_and_passages(holder, upload):
    """An upload appears in the table (title, file, size, date, passages) and in the remove choices."""
    rows, options, message = docs_tab.add_files(holder, [upload], "", "nl")
    [doc] = holder.store.documents()
    assert rows["headers"] == ["Titel", "Bestand", "Grootte", "Toegevoegd", "Passages"]
    assert rows["data"] == [["Convenant Zuidoost", "Convenant Zuidoost.pdf", "1 kB", doc.added_at[:10], 2]]
    assert options == [("Convenant Zuidoost (Convenant Zuidoost.pdf)", doc.id)]
    assert message.startswith("Toegevoegd: Convenant Zuidoost (2 passages, ")
    _, _, again = docs_tab.add_files(holder, [upload], "", "en")
    assert again == "Already there: Convenant Zuidoost; nothing added."


def test_a_bad_upload_is_a_dutch_error_and_changes_nothing(holder, tmp_path):
    """A scanned PDF: a gr.Error titled 'Dit document kan ik niet toevoegen' naming OCR; nothing listed."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]]))
    with pytest.raises(gr.Error) as err:
        docs_tab.add_files(holder, [str(scan)], "", "nl")
    assert err.value.title == "Dit document kan ik niet toevoegen" and "OCR" in err.value.message
    with pytest.raises(gr.Error, match="Kies eerst een of meer bestanden"):
        docs_tab.add_files(holder, [], "", "nl")
    assert holder.store.documents() == []


def test_removing_in_the_app_removes_it_from_answers(holder, upload):
    """After 'Verwijder' the table is empty and the coach no longer cites the document."""
    docs_tab.add_files(holder, [upload], "Convenant", "nl")
    [doc] = holder.store.documents()
    chat, *_ = last(coach_tab.respond(holder, DOC_QUESTION, [], Conversation(), None, "nl", docs=True))
    assert "In je eigen document *Convenant*, p. 2 staat:" in chat[-2]["content"]
    assert "Eigen document: Convenant, p. 2" in chat[-1]["content"]  # the sources box
    rows, options, message = docs_tab.remove_document(holder, doc.id, "nl")
    assert rows["data"] == [] and options == [] and message.startswith("Verwijderd: Convenant.")
    chat, *_ = last(coach_tab.respond(holder, DOC_QUESTION, [], Conversation(), None, "nl", docs=True))
    assert all("eigen document" not in m["content"].lower() for m in chat)
    with pytest.raises(gr.Error, match="Kies eerst een document"):
        docs_tab.remove_document(holder, None, "nl")


def test_the_toggle_decides_per_question(holder, upload):
    """'Ook eigen documenten' off: the question is answered from the magazine only; on: the document is cited."""
    docs_tab.add_files(holder, [upload], "", "nl")
    off, *_ = last(coach_tab.respond(holder, DOC_QUESTION, [], Conversation(), None, "nl", docs=False))
    on, *_ = last(coach_tab.respond(holder, DOC_QUESTION, [], Conversation(), None, "nl", docs=True))
    assert holder.answerer.docs[-2:] == [False, True]
    assert all("eigen document" not in m["content"].lower() for m in off)
    assert "In je eigen document *Convenant Zuidoost*, p. 2 staat:" in on[-2]["content"]
    assert "**[1]** Eigen document: Convenant Zuidoost, p. 2" in on[-1]["content"]


def test_the_tab_waits_for_the_coach(tmp_path, upload):
    """While the index is being built the tab says so instead of failing; the list is empty."""
    waiting = FakeHolder(state="building", message="De zoekindex wordt gebouwd")
    waiting.documents = lambda: None
    with pytest.raises(gr.Error, match="De zoekindex wordt gebouwd"):
        docs_tab.add_files(waiting, [upload], "", "nl")
    assert docs_tab.listing(waiting, "nl")[0]["data"] == []


def test_the_app_has_the_tab_and_the_toggle():
    """The whole app builds with the 'Eigen documenten' tab, its upload and the coach's toggle."""
    from assistant.ui.blocks import build_app
    demo = build_app(FakeHolder())
    ids = {c.get("props", {}).get("elem_id") for c in demo.config["components"]}
    assert {"docs-upload", "docs-table", "docs-remove", "use-docs"} <= ids
    labels = {c.get("props", {}).get("label") for c in demo.config["components"]}
    assert {"Documenten", "Ook eigen documenten doorzoeken"} <= labels
