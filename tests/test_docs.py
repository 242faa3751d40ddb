"""Own documents beside the magazine (issue 12): adding, answering, removing, and every bad input.

Unit tests: the fixture magazine, the fake embedder, an in-memory Chroma client for the index and
the documents; the documents themselves are made in code (``tests/doc_fixtures.py``)."""
from __future__ import annotations

import json
import threading

import pytest

from assistant.cli import main as cli
from assistant.search import embeddings
from assistant.config import load_settings
from assistant.docs.library import DocLibrary, DocStore
from assistant.errors import ConfigError, InputError

from .conftest import MINI_CORPUS, FakeEmbedder, assert_citations_valid, mini_coach
from .doc_fixtures import (encrypt_pdf, make_docx, make_docx_bomb, make_nested_pdf, make_pdf, make_pdf_bomb,
                           make_zip_bomb)

CONVENANT = [["Convenant Netwerk Zuidoost.",
              "Het convenant van Netwerk Zuidoost loopt tot en met december 2027.",
              "De stuurgroep van het convenant komt vier keer per jaar bijeen in Helmond."],
             ["De begroting van het convenant bedraagt 120.000 euro per jaar, betaald door de gemeente Helmond.",
              "Elke partner levert een coördinator die het convenant uitvoert."]]
DOC_QUESTION = "Hoe hoog is de begroting van het convenant in Helmond?"
MAGAZINE_QUESTION = "Hoe bouwen partners aan vertrouwen?"


@pytest.fixture
def settings(tmp_path):
    return load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS)})


@pytest.fixture
def setup(settings, tmp_path, memory_client):
    """(coach, store, embedder, convenant.pdf): the fixture coach with an empty document store."""
    embedder = FakeEmbedder()
    coach = mini_coach(settings, embedder)
    store = DocStore(settings, memory_client)
    coach.docs = DocLibrary(store, embedder, coach.retriever)
    pdf = tmp_path / "Convenant_Zuidoost.pdf"
    pdf.write_bytes(make_pdf(CONVENANT))
    return coach, store, embedder, pdf


def _doc_citations(answer):
    return [c for c in answer.citations if c.origin == "document"]


# --------------------------------------------------------------------------- adding

def test_a_pdf_is_added_with_its_pages_title_and_passages(setup):
    """Adding a PDF lists it with id, title from the file name, pages and passages; pages stay with passages."""
    coach, store, embedder, pdf = setup
    report = store.add([pdf], embedder)
    assert len(report.added) == 1 and not report.already
    [doc] = store.documents()
    assert (doc.title, doc.filename, doc.pages, doc.suffix) == ("Convenant Zuidoost", pdf.name, 2, ".pdf")
    assert doc.passages == 2 and len(doc.id) == 16
    opened = store.open()
    assert {(c.page, c.text.split(".")[0]) for c in opened.chunks} == {
        (1, "Convenant Netwerk Zuidoost"), (2, "De begroting van het convenant bedraagt 120")}
    assert store.file_path(doc).read_bytes() == pdf.read_bytes()


def test_the_same_file_twice_adds_nothing(setup, tmp_path):
    """Content-hash ids: a second add (even under another name) reports it is there and changes nothing."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    before = store.read_manifest()
    copy = tmp_path / "ander-naam.pdf"
    copy.write_bytes(pdf.read_bytes())
    report = store.add([copy], embedder)
    assert not report.added and [d.id for d in report.already] == [before.documents[0].id]
    assert store.read_manifest() == before


def test_docx_and_markdown_keep_their_headings(setup, tmp_path):
    """Headings of a Word file and a Markdown file become the passages' heading metadata."""
    coach, store, embedder, _ = setup
    docx = make_docx(tmp_path / "jaarplan.docx", [("Doelen 2025", ["We openen twee buurtkamers in de wijk."]),
                                                  ("Financiën", ["De gemeente betaalt de huur van de buurtkamers."])])
    md = tmp_path / "notulen.md"
    md.write_text("# Notulen stuurgroep\n\n## Besluiten\n\nDe stuurgroep besluit tot een evaluatie in mei.\n",
                  encoding="utf-8")
    store.add([docx, md], embedder)
    headings = {(c.title, c.heading) for c in store.open().chunks}
    assert headings == {("jaarplan", "Doelen 2025"), ("jaarplan", "Financiën"), ("notulen", "Besluiten")}


# --------------------------------------------------------------------------- answers

def test_an_answer_from_an_own_document_cites_it_as_such(setup):
    """Own passages are cited '[n] Eigen document: <titel>, p. <n>', never with the magazine's attribution."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    answer = coach.ask(DOC_QUESTION)
    assert answer.kind == "answer"
    docs = _doc_citations(answer)
    assert docs and docs[0].n == 1
    lines = [line for line in answer.markdown.splitlines() if line.startswith("[")]
    assert lines[0].startswith("[1] Eigen document: Convenant Zuidoost, p. 2")
    assert answer.shown[0].role == "document" and answer.shown[0].text.startswith("De begroting van het convenant")
    assert "In je eigen document *Convenant Zuidoost*, p. 2 staat:" in answer.markdown
    for c in docs:
        line = next(x for x in lines if x.startswith(f"[{c.n}] "))
        assert line.startswith(f"[{c.n}] Eigen document: Convenant Zuidoost, p. ")
        assert "Platform31" not in line and "magazine" not in line.lower()
    assert_citations_valid(answer, [*coach.retriever.chunks, *coach.docs.search().chunks])


def test_json_sources_say_where_they_come_from(setup):
    """Every JSON source has origin 'document' or 'magazine'; a document's source names the document and page."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    d = coach.ask(DOC_QUESTION).to_dict()
    origins = [s["origin"] for s in d["sources"]]
    assert origins[0] == "document" and "magazine" in origins and set(origins) == {"document", "magazine"}
    first = d["sources"][0]
    assert (first["title"], first["page"], first["doc_id"]) == ("Convenant Zuidoost", 2, store.documents()[0].id)
    assert [c["origin"] for c in d["citations"]][0] == "document"
    assert {c["chunk_id"] for c in d["citations"]} <= {s["chunk_id"] for s in d["sources"]}


def test_block_questions_and_case_still_come_from_the_magazine(setup):
    """A question answered mainly from an own document still gets a magazine block, its questions and a case."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    answer = coach.ask(DOC_QUESTION)
    assert answer.block is not None and answer.block.key in coach.blocks
    assert answer.deepening and all(q in coach.blocks[answer.block.key].deepening_questions for _, q in answer.deepening)
    assert answer.case is not None and answer.case.key in coach.cases
    case_citation = next(c for c in answer.citations if c.n == answer.case.n)
    assert case_citation.origin == "magazine"


def test_a_question_only_a_document_answers_is_out_of_scope_without_documents(setup):
    """The same question without the documents (toggle off) gets no document passage."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    off = coach.ask(DOC_QUESTION, docs=False)
    assert not _doc_citations(off) and all(p.chunk.origin == "magazine" for p in off.sources)


def test_magazine_answers_do_not_change_with_an_unrelated_document(setup, tmp_path):
    """An unrelated document leaves a magazine question's sources and citations exactly as they were."""
    coach, store, embedder, _ = setup
    before = coach.ask(MAGAZINE_QUESTION).to_dict()
    other = tmp_path / "afval.txt"
    other.write_text("De gemeente haalt het grofvuil op de eerste dinsdag van de maand op. Kliko's gaan om zeven "
                     "uur aan de straat.", encoding="utf-8")
    store.add([other], embedder)
    after = coach.ask(MAGAZINE_QUESTION).to_dict()
    assert coach.docs.search() is not None
    assert after["sources"] == before["sources"] and after["answer"] == before["answer"]


def test_coach_docs_off_searches_documents_only_when_asked(setup):
    """COACH_DOCS=off: documents are not searched by default, but a question can ask for them."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    coach.docs.enabled = False
    assert not _doc_citations(coach.ask(DOC_QUESTION))
    assert _doc_citations(coach.ask(DOC_QUESTION, docs=True))


def test_coach_docs_setting_is_checked():
    """COACH_DOCS accepts on and off (default on); anything else is a clear settings error."""
    assert load_settings({}).docs is True
    assert load_settings({"COACH_DOCS": "off"}).docs is False
    with pytest.raises(ConfigError, match="COACH_DOCS"):
        load_settings({"COACH_DOCS": "misschien"})


def test_markup_in_a_document_is_shown_as_text(setup, tmp_path):
    """A document's HTML, Markdown link or bare address is escaped in the answer: it never becomes
    markup or a link (the chat links bare addresses by itself)."""
    coach, store, embedder, _ = setup
    evil = tmp_path / "evil.txt"
    evil.write_text("De begroting van het convenant in Helmond is <script>alert(1)</script> geheim "
                    "[klik](javascript:alert(1)) voor iedereen, zie https://evil.example/x of www.evil.example "
                    "of mail jan@evil.example.", encoding="utf-8")
    store.add([evil], embedder)
    text = coach.ask(DOC_QUESTION).markdown
    assert "Eigen document: evil" in text
    assert "<script>" not in text and "](javascript" not in text and "&lt;script&gt;" in text
    assert "https://evil" not in text and "www.evil" not in text and "jan@evil" not in text
    assert "https&#58;//evil.example/x" in text  # still reads as the address


# --------------------------------------------------------------------------- removing

def test_a_removed_document_can_no_longer_be_cited(setup, memory_client):
    """Removal is real: file copy, passages and vectors are gone, and no answer cites the document."""
    coach, store, embedder, pdf = setup
    [doc] = store.add([pdf], embedder).added
    assert _doc_citations(coach.ask(DOC_QUESTION))
    old = store.read_manifest()
    gone = store.remove(doc.id)
    assert gone.id == doc.id and store.documents() == []
    assert not store.file_path(doc).exists()
    names = {c.name for c in memory_client.list_collections()}
    assert old.collection not in names  # the vectors went with the old collection
    new = store.read_manifest()
    assert memory_client.get_collection(new.collection).count() == 0
    answer = coach.ask(DOC_QUESTION)
    assert not _doc_citations(answer) and all(p.chunk.origin == "magazine" for p in answer.sources)
    assert "Eigen document" not in answer.markdown


def test_removing_an_unknown_id_says_which_ids_there_are(setup):
    """A wrong id: a Dutch message naming the known documents; nothing changes."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    before = store.read_manifest()
    with pytest.raises(InputError, match="geen eigen document met id.*Convenant Zuidoost"):
        store.remove("bestaatniet")
    assert store.read_manifest() == before


# --------------------------------------------------------------------------- atomic

def test_a_failure_halfway_leaves_everything_as_it_was(setup, tmp_path, memory_client):
    """The embedder crashes while adding: manifest, collections and files stay as they were."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    before = store.read_manifest()
    collections = {c.name for c in memory_client.list_collections()}
    files = sorted(p.name for p in (store.root / "files").iterdir())
    big = tmp_path / "groot.txt"
    big.write_text("\n\n".join(f"Alinea {i} over de samenwerking tussen partner {i} en de gemeente in de wijk. " * 6
                               for i in range(120)), encoding="utf-8")
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.add([big], FakeEmbedder(fail_after=2))
    assert store.read_manifest() == before
    assert {c.name for c in memory_client.list_collections()} == collections
    assert sorted(p.name for p in (store.root / "files").iterdir()) == files
    assert len(coach.docs.search().chunks) == before.chunk_count


def test_two_uploads_of_the_same_file_at_once_add_it_once(setup):
    """Two simultaneous adds of one file: one adds it, the other finds it there; one document."""
    coach, store, embedder, pdf = setup
    reports, errors = [], []

    def add():
        try:
            reports.append(store.add([pdf], embedder))
        except Exception as err:  # recorded: the assertion below names it
            errors.append(err)
    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(len(r.added) for r in reports) == [0, 1] and sorted(len(r.already) for r in reports) == [0, 1]
    assert len(store.documents()) == 1 and store.read_manifest().chunk_count == 2


# --------------------------------------------------------------------------- bad input

def _latin1(path):
    path.write_bytes("Café-overleg: de coördinator regelt de agenda.".encode("latin-1"))


def _sixty_mb(path):
    with open(path, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: instant, and never read


BAD = {
    "encrypted.pdf": (lambda p: p.write_bytes(encrypt_pdf(make_pdf(CONVENANT))), "wachtwoord"),
    "scan.pdf": (lambda p: p.write_bytes(make_pdf([[], [], []])), "OCR"),
    "leeg.txt": (lambda p: p.write_bytes(b""), "leeg"),
    "groot.pdf": (_sixty_mb, "60 MB; de grens is 50 MB"),
    "bom.docx": (make_zip_bomb, "zipbom"),
    "nep.docx": (lambda p: p.write_bytes(b"dit is geen zip"), "geen Word-bestand"),
    "kapot.pdf": (lambda p: p.write_bytes(b"%PDF-1.4 kapot"), "geen leesbare PDF"),
    "latin1.txt": (_latin1, "UTF-8"),
    "plaatje.png": (lambda p: p.write_bytes(b"\x89PNG"), "dit soort bestand lees ik niet"),
    # document bombs (issue 20, item 18)
    "opmaakbom.docx": (make_docx_bomb, "pakt uit tot 46 MB aan tekstopmaak; de grens is 30 MB"),
    "compressiebom.pdf": (lambda p: p.write_bytes(make_pdf_bomb()), "uitpakt tot meer dan 75 MB .*compressiebom"),
    "genest.pdf": (lambda p: p.write_bytes(make_nested_pdf()), "zo diep genest"),
    "dik.pdf": (lambda p: p.write_bytes(make_pdf([[]] * 2001)), "heeft 2001 pagina's; de grens is 2000"),
    "veel.txt": (lambda p: p.write_text("De stuurgroep komt bijeen. " * 300_000, encoding="utf-8"),
                 "meer tekst dan 5000 passages"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_get_a_dutch_message_and_change_nothing(setup, tmp_path, name):
    """Each bad file: a clear Dutch message, nothing indexed, the existing document still there."""
    coach, store, embedder, pdf = setup
    store.add([pdf], embedder)
    before = store.read_manifest()
    make, message = BAD[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError, match=message) as err:
        store.add([path], embedder)
    assert name in str(err.value)
    assert store.read_manifest() == before
    assert sorted(p.name for p in (store.root / "files").iterdir()) == [f"{before.documents[0].id}.pdf"]


@pytest.mark.parametrize("name", ["..\\..\\etc\\passwd.txt", "a/b.txt", "<img src=x onerror=alert(1)>.txt",
                                  "[klik](javascript:x).md", ".verborgen.txt"])
def test_file_names_with_separators_or_markup_are_refused(setup, tmp_path, name):
    """A file name (as uploaded) with path separators or markup: refused with a message, nothing stored."""
    coach, store, embedder, _ = setup
    path = tmp_path / "gewoon.txt"
    path.write_text("De stuurgroep besluit tot een evaluatie in mei.", encoding="utf-8")
    with pytest.raises(InputError, match="bestandsnaam"):
        store.add([(path, name)], embedder)
    assert store.read_manifest() is None and not (store.root / "files").exists()


def test_one_bad_file_among_good_ones_adds_none_of_them(setup, tmp_path):
    """All or nothing: with one bad file in the list, the good ones are not added either."""
    coach, store, embedder, pdf = setup
    empty = tmp_path / "leeg.md"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="leeg.md"):
        store.add([pdf, empty], embedder)
    assert store.documents() == []


# --------------------------------------------------------------------------- limits (issue 20, item 18)

REPORT_LINE = "Het netwerk spreekt af dat elke partner een coördinator levert die het convenant uitvoert en bewaakt."


def test_a_300_page_report_still_goes_in(setup, tmp_path):
    """The default limits are generous: a dense 300-page policy report (1,500 passages) is added whole."""
    coach, store, embedder, _ = setup
    report = tmp_path / "beleidsrapport.pdf"
    report.write_bytes(make_pdf([[f"Pagina {n}. {REPORT_LINE}"] * 30 for n in range(1, 301)]))
    [doc] = store.add([report], embedder).added
    assert (doc.pages, doc.passages) == (300, 1500)
    assert store.read_manifest().chunk_count == 1500


def _limited(tmp_path, **env):
    return load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS), **env})


def test_pages_and_passages_per_document_are_settings(tmp_path, memory_client):
    """COACH_DOCS_MAX_PAGES and COACH_DOCS_MAX_PASSAGES: one over is refused with the numbers, at the limit it
    goes in; a bad value is a setting error."""
    embedder = FakeEmbedder()
    store = DocStore(_limited(tmp_path, COACH_DOCS_MAX_PAGES="2", COACH_DOCS_MAX_PASSAGES="2"), memory_client)
    three = tmp_path / "drie.pdf"
    three.write_bytes(make_pdf([*CONVENANT, ["Een derde pagina met genoeg tekst om te lezen."]]))
    with pytest.raises(InputError, match="‘drie.pdf’ heeft 3 pagina's; de grens is 2"):
        store.add([three], embedder)
    notes = tmp_path / "notulen.md"
    notes.write_text("\n\n".join(f"## Punt {n}\n\nDe stuurgroep besluit over punt {n}." for n in range(3)),
                     encoding="utf-8")
    with pytest.raises(InputError, match="‘notulen.md’ bevat meer tekst dan 2 passages"):
        store.add([notes], embedder)
    assert store.read_manifest() is None and not (store.root / "files").exists()
    two = tmp_path / "twee.pdf"
    two.write_bytes(make_pdf(CONVENANT))
    assert [d.passages for d in store.add([two], embedder).added] == [2]
    for var in ("COACH_DOCS_MAX_PAGES", "COACH_DOCS_MAX_PASSAGES"):
        with pytest.raises(ConfigError, match=var):
            _limited(tmp_path, **{var: "veel"})


def test_a_nested_pdf_is_not_called_a_scan(setup, tmp_path):
    """A PDF whose text is nested too deep to follow gets an honest message, not 'scan zonder tekstlaag';
    a real scan still gets the OCR advice."""
    coach, store, embedder, _ = setup
    nested = tmp_path / "genest.pdf"
    nested.write_bytes(make_nested_pdf())
    with pytest.raises(InputError) as err:
        store.add([nested], embedder)
    assert "zo diep genest" in str(err.value) and "scan" not in str(err.value) and "OCR" not in str(err.value)
    shallow = tmp_path / "ondiep.pdf"
    shallow.write_bytes(make_nested_pdf(depth=20))  # the same text a few forms deep: read as usual
    assert [d.passages for d in store.add([shallow], embedder).added] == [1]


# --------------------------------------------------------------------------- the command line

@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """The CLI with its own data folder (embedded Chroma on disk) and the fake embedder."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_CORPUS", str(MINI_CORPUS))
    monkeypatch.setattr(embeddings, "make_embedder", lambda spec: FakeEmbedder())
    return tmp_path


def test_cli_add_list_remove(cli_env, capsys):
    """docs add prints a one-line summary, list --json shows the document, remove deletes it from disk."""
    pdf = cli_env / "convenant.pdf"
    pdf.write_bytes(make_pdf(CONVENANT))
    assert cli.main(["docs", "add", str(pdf), "--title", "Convenant 2025"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Toegevoegd: Convenant 2025 (id ") and "2 pagina's, 2 passages" in out
    assert "Insluiten" in err  # the progress bar
    assert cli.main(["docs", "add", str(pdf)]) == 0
    assert capsys.readouterr().out.startswith("Staat er al in: Convenant 2025")
    assert cli.main(["docs", "list", "--json"]) == 0
    [doc] = json.loads(capsys.readouterr().out)["documents"]
    assert (doc["title"], doc["filename"], doc["passages"], doc["pages"]) == ("Convenant 2025", "convenant.pdf", 2, 2)
    assert doc["added_at"] and doc["size"] == pdf.stat().st_size
    docs_dir = cli_env / "data" / "docs"
    [build] = list((docs_dir / "builds").iterdir())
    assert cli.main(["docs", "remove", doc["id"]]) == 0
    assert capsys.readouterr().out.startswith("Verwijderd: Convenant 2025")
    assert not build.exists() and list((docs_dir / "files").iterdir()) == []
    assert cli.main(["docs", "list"]) == 0
    assert "Nog geen eigen documenten" in capsys.readouterr().out


def test_cli_bad_input_is_one_line_and_exit_2(cli_env, capsys):
    """A scanned PDF from the command line: 'Fout: …' on stderr, exit 2, nothing stored."""
    scan = cli_env / "scan.pdf"
    scan.write_bytes(make_pdf([[]]))
    assert cli.main(["docs", "add", str(scan)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("Fout: In ‘scan.pdf’") and "OCR" in err
    assert cli.main(["docs", "add", str(scan), str(scan), "--title", "x"]) == 2
    assert "één bestand" in capsys.readouterr().err
    assert not (cli_env / "data" / "docs" / "manifest.json").exists()
    assert cli.main(["docs", "remove", "abc"]) == 2


@pytest.mark.parametrize("name, make, message", [
    ("compressiebom.pdf", lambda p: p.write_bytes(make_pdf_bomb()), "compressiebom"),
    ("opmaakbom.docx", make_docx_bomb, "zipbom"),
    ("genest.pdf", lambda p: p.write_bytes(make_nested_pdf()), "zo diep genest"),
])
def test_cli_document_bombs_are_one_line_and_exit_2(cli_env, capsys, name, make, message):
    """A document bomb from the command line: 'Fout: …' in Dutch on stderr, exit 2 (as the README says for bad
    input), no traceback, nothing stored."""
    path = cli_env / name
    make(path)
    assert cli.main(["docs", "add", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"Fout: ‘{name}’") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "LimitReachedError" not in err
    assert not (cli_env / "data" / "docs" / "manifest.json").exists()
    assert not (cli_env / "data" / "docs" / "files").exists() or not any((cli_env / "data" / "docs" / "files").iterdir())


def test_service_attaches_the_documents_of_the_data_folder(cli_env, capsys):
    """The CLI's coach (open_service) searches the documents added with docs add."""
    from assistant.search.index import IndexStore
    from assistant.knowledge.model import load_knowledge
    from assistant.service import open_service
    settings = load_settings()
    store = IndexStore(settings)
    with store.lock():
        store.build(load_knowledge(MINI_CORPUS), FakeEmbedder())
    pdf = cli_env / "convenant.pdf"
    pdf.write_bytes(make_pdf(CONVENANT))
    assert cli.main(["docs", "add", str(pdf)]) == 0
    service = open_service(settings, embedder=FakeEmbedder())
    assert service.coach.docs is not None and service.coach.docs.enabled
    assert _doc_citations(service.llm.ask(DOC_QUESTION))
    assert not _doc_citations(service.llm.ask(DOC_QUESTION, docs=False))


def test_a_passage_must_share_enough_of_the_question_to_join(setup, tmp_path):
    """The gate: a document passage sharing one of three content words never joins a magazine answer."""
    coach, store, embedder, _ = setup
    club = tmp_path / "club.txt"
    club.write_text("Onze partners zijn de sponsors van de voetbalclub.", encoding="utf-8")
    store.add([club], embedder)
    search = coach.docs.search()
    from assistant.coach.scoring import query_tokens
    assert not search.fits(query_tokens(MAGAZINE_QUESTION), 0)
    assert search.fits(query_tokens("Welke partners sponsoren de voetbalclub?"), 0)


def test_the_eval_covenant_answers_its_own_questions(setup, tmp_path):
    """evals/docs_eval.py's covenant and questions work end to end on the fixture coach (fake embedder)."""
    from evals.docs_eval import _write, document_scores
    coach, store, embedder, _ = setup
    covenant, unrelated = _write(tmp_path)
    store.add([covenant, *unrelated], embedder)
    scores = document_scores(coach)
    assert scores["n"] == 11 and scores["in scope"] == 1.0 and scores["block"] == 1.0
    assert scores["hit@3"] >= 0.8 and scores["origin ok"] >= 0.8, scores["misses"]
