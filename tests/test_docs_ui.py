"""The "Eigen documenten" tab and the coach's "ook eigen documenten" toggle, handlers called directly.

A FAKE holder around the real fixture coach (fake embedder, in-memory Chroma for the magazine and
the documents); the documents are made in code."""
from __future__ import annotations

import gradio as gr
import pytest

from assistant.config import load_settings
from assistant.coach.conversation import Conversation
from assistant.docs.library import DocLibrary, DocStore
from assistant.search.index import memory_client
from assistant.llm.answerer import LLMCoach
from assistant.ui.tabs import coach as coach_tab
from assistant.ui.tabs import docs as docs_tab

from .conftest import MINI_CORPUS, FakeEmbedder, mini_coach
from .doc_fixtures import make_pdf
from .test_docs import CONVENANT, DOC_QUESTION
from .ui_fakes import FakeHolder, RecordingAnswerer


class DocsHolder:
    """FAKE ``CoachHolder``: the fixture coach with a document store of its own, ready at once."""

    def __init__(self, tmp_path):
        from assistant.knowledge.model import load_knowledge
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
    from assistant.ui.app import build_app
    demo = build_app(FakeHolder())
    ids = {c.get("props", {}).get("elem_id") for c in demo.config["components"]}
    assert {"docs-upload", "docs-table", "docs-remove", "use-docs"} <= ids
    labels = {c.get("props", {}).get("label") for c in demo.config["components"]}
    assert {"Documenten", "Ook eigen documenten doorzoeken"} <= labels


# --------------------------------------------------------------------------- uploads through the real app
# (issue 20, items 17 and 18): the FastAPI app of ``build_server`` with Gradio mounted, driven over HTTP the
# way the page drives it: POST /gradio_api/upload, then the "Voeg toe" event through the queue.

class App:
    """The real server app around ``holder`` with Gradio's temp folder in ``temp``, called over HTTP."""

    def __init__(self, client, demo, temp):
        self.client, self.temp = client, temp
        self.fns = {f.fn.__name__: f for f in demo.fns.values() if f.fn is not None}

    def upload(self, name: str, data: bytes):
        return self.client.post("/gradio_api/upload", files={"files": (name, data, "application/octet-stream")})

    def served(self, path: str) -> bool:
        return self.client.get(f"/gradio_api/file={path}").status_code == 200

    def run(self, fn_name: str, data: list) -> dict:
        """Run an event as the page does; the process_completed message."""
        import json
        fn = self.fns[fn_name]
        body = {"data": data, "fn_index": fn._id, "trigger_id": fn.targets[0][0], "session_hash": "docs-test",
                "event_data": None}
        joined = self.client.post("/gradio_api/queue/join", json=body)
        assert joined.status_code == 200, joined.text
        with self.client.stream("GET", "/gradio_api/queue/data", params={"session_hash": "docs-test"}) as events:
            for line in events.iter_lines():
                if line.startswith("data:"):
                    msg = json.loads(line[5:])
                    if msg.get("msg") == "process_completed":
                        return msg
        raise AssertionError("no process_completed")

    def left(self) -> list:
        """Every file in Gradio's temp folder (empty placeholders Gradio makes itself aside)."""
        return sorted(p for p in self.temp.rglob("*") if p.is_file() and p.stat().st_size)


@pytest.fixture
def app(holder, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from assistant.ui.server import build_server
    temp = tmp_path / "gradio-temp"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(temp))
    server, demo = build_server(holder)
    with TestClient(server) as client:
        yield App(client, demo, temp)


def _file(path: str, name: str) -> dict:
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def test_an_upload_leaves_nothing_in_gradios_temp_folder(app, holder):
    """Added, refused or removed: the uploaded file is gone from Gradio's temp folder (with its folder) and
    /gradio_api/file= no longer serves it; the store keeps its own copy until the document is removed."""
    pdf = make_pdf(CONVENANT)
    [path] = app.upload("Convenant Zuidoost.pdf", pdf).json()
    assert app.served(path) and app.left()  # the probe's finding: the upload is there and downloadable
    done = app.run("on_add", [[_file(path, "Convenant Zuidoost.pdf")], "", "nl"])
    assert done["success"], done
    [doc] = holder.store.documents()
    assert app.left() == [] and not app.served(path)
    assert holder.store.file_path(doc).read_bytes() == pdf

    [bad] = app.upload("scan.pdf", make_pdf([[]])).json()  # refused: a scan without text
    refused = app.run("on_add", [[_file(bad, "scan.pdf")], "", "nl"])
    assert not refused["success"] and "OCR" in refused["output"]["error"]
    assert app.left() == [] and not app.served(bad)

    done = app.run("on_remove", [doc.id, "nl"])
    assert done["success"] and "zijn weg" in done["output"]["data"][2]
    assert app.left() == [] and holder.store.documents() == []
    assert not holder.store.file_path(doc).exists()


def test_a_bomb_upload_is_refused_in_english_and_deleted(app, holder):
    """A PDF compression bomb uploaded in English mode: the English limit message, nothing added, no copy left."""
    from .doc_fixtures import make_pdf_bomb
    [path] = app.upload("bomb.pdf", make_pdf_bomb()).json()
    refused = app.run("on_add", [[_file(path, "bomb.pdf")], "", "en"])
    assert not refused["success"]
    assert "compression bomb" in refused["output"]["error"] and "LimitReached" not in refused["output"]["error"]
    assert holder.store.documents() == [] and app.left() == [] and not app.served(path)


def test_the_server_refuses_an_upload_over_50_mb(app):
    """max_file_size: a 60 MB upload gets 413 from the server before any handler sees it; nothing stays."""
    refused = app.upload("groot.pdf", b"\0" * (60 * 1024 * 1024))
    assert refused.status_code == 413 and "maximum allowed size" in refused.text
    assert app.left() == []
    assert app.upload("klein.txt", b"De stuurgroep komt bijeen.").status_code == 200


def test_discarding_never_touches_files_outside_gradios_folder(tmp_path, monkeypatch):
    """Only Gradio's own temp copies are deleted: a path elsewhere (a file the CLI or a test passes) stays."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-temp"))
    elsewhere = tmp_path / "mijn-map" / "convenant.pdf"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"%PDF")
    inside = tmp_path / "gradio-temp" / "abc" / "convenant.pdf"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"%PDF")
    docs_tab.discard_uploads([str(elsewhere), str(inside), str(tmp_path / "gradio-temp" / ".." / "mijn-map")])
    assert elsewhere.exists() and not inside.exists() and not inside.parent.exists()
    assert (tmp_path / "gradio-temp").is_dir()
