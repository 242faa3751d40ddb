"""Own documents → passages: read a PDF, DOCX, Markdown or text file, check it, and cut it in passages.

The readers are LangChain document loaders (``BaseLoader`` from ``langchain-core``) over ``pypdf``
and ``python-docx``; the passages come from ``langchain-text-splitters``. Every page number and
heading stays with its passage. Each refusal is an ``InputError`` with a plain Dutch message that
says what to do; nothing here writes anything.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document

from ..knowledge.chunking import Chunk
from ..config import DOCS_MAX_PAGES, DOCS_MAX_PASSAGES
from ..errors import InputError
from ..strings import ui_text

MAX_BYTES = 50 * 1024 * 1024  # documented in the README: larger files are refused (the app's max_file_size too)
# Limits against document bombs (issue 20, item 18); the pages and passages per document are settings
# (config.py: DOCS_MAX_PAGES, DOCS_MAX_PASSAGES, with their reasons).
# A DOCX's markup (document.xml and the other XML parts python-docx parses into memory, at 10-16
# times their size): Word writes 3-15 kB of XML per page of text, so a 300-page report has 1-5 MB and
# even a 1,500-page one stays under 30 MB; 29 MB of markup peaked at 505 MB RSS here (measured). A
# "markup" part is any part named .xml/.rels or packed more than 2 times (pictures are packed already).
MAX_MARKUP = 30 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # all parts together: the 50 MB file's pictures plus all the markup allowed
MAX_RATIO = 200  # a part packed more than this many times is a zip bomb, whatever its size
PDF_PART_MB = 75  # pypdf refuses a PDF part that unpacks to more (its Configuration default)
MAX_TITLE = 120
PASSAGE_CHARS = 700  # about 110 words, like the magazine's chunks
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
MIN_TEXT_PER_PAGE = 20  # fewer letters than this per page on average: a scan without a text layer
BAD_NAME_RE = re.compile(r"[/\\<>\x00-\x1f\x7f`]|\]\(|^\.|^\s*$")


@dataclass(frozen=True)
class DocLimits:
    """Pages per PDF and passages per document (``COACH_DOCS_MAX_PAGES``, ``COACH_DOCS_MAX_PASSAGES``)."""

    pages: int = DOCS_MAX_PAGES
    passages: int = DOCS_MAX_PASSAGES

    @property
    def text_chars(self) -> int:
        """More text than this cannot fit in the passages (each at most PASSAGE_CHARS): stop reading."""
        return self.passages * PASSAGE_CHARS * 2


class LimitError(InputError):
    """A document over one of the limits: the message in Dutch (``str``), and in the user's language."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(ui_text(key, "nl", **values))

    def in_language(self, lang: str) -> str:
        return ui_text(self.key, lang, **self.values)


def too_many_passages(name: str, limits: DocLimits) -> LimitError:
    return LimitError("docs_limit_passages", name=_shown(name), limit=limits.passages, words=limits.passages * 110)


# --------------------------------------------------------------------------- passages

@dataclass(frozen=True)
class DocChunk(Chunk):
    """A passage of an own document: ``section`` is the document's title, ``page`` its page (PDF)."""

    origin = "document"  # not a field: the magazine's chunks say "magazine"
    doc_id: str = ""
    title: str = ""
    page: int | None = None
    heading: str = ""

    def metadata(self) -> dict:
        return {"origin": "document", "doc_id": self.doc_id, "title": self.title, "page": self.page or 0,
                "heading": self.heading, "part": self.part, "position": self.position}

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict) -> "DocChunk":
        return make_chunk(meta["doc_id"], meta["title"], text, int(meta.get("position", 0)),
                          int(meta.get("page") or 0) or None, meta.get("heading") or "", chunk_id)


def embed_text(title: str, heading: str, text: str) -> str:
    """What is embedded: the title and heading as context, then the passage (as the magazine's chunks)."""
    return " — ".join(x for x in (title, heading) if x) + "\n" + text


def make_chunk(doc_id: str, title: str, text: str, position: int, page: int | None, heading: str,
               chunk_id: str | None = None) -> DocChunk:
    cid = chunk_id or "doc-" + hashlib.sha1(f"{doc_id}\x1f{position}\x1f{text}".encode()).hexdigest()[:20]
    return DocChunk(id=cid, text=text, section=title, kind="document", part="text", blocks=(), case=None,
                    speakers=(), position=position, embed_text=embed_text(title, heading, text),
                    doc_id=doc_id, title=title, page=page, heading=heading)


# --------------------------------------------------------------------------- names and titles

def check_name(name: str) -> str:
    """A file name as given (upload or command line) that can be shown and stored; else InputError."""
    if BAD_NAME_RE.search(name) or len(name) > 255:
        raise InputError(f"De bestandsnaam ‘{_shown(name)}’ kan ik niet gebruiken: er staan tekens in als / \\ < > "
                         "of opmaak. Geef het bestand een gewone naam en probeer het opnieuw.")
    return name


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title or BAD_NAME_RE.search(title) or len(title) > MAX_TITLE:
        raise InputError(f"De titel ‘{_shown(title)}’ kan ik niet gebruiken: geef een titel van 1 tot {MAX_TITLE} "
                         "tekens, zonder / \\ < > of opmaak.")
    return title


def title_from_name(name: str) -> str:
    """‘convenant_netwerk-2024.pdf’ → ‘convenant netwerk-2024’."""
    stem = Path(name).stem.replace("_", " ").strip()
    return " ".join(stem.split())[:MAX_TITLE] or "document"


def _shown(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:80]


# --------------------------------------------------------------------------- loaders

def normalise(text: str) -> str:
    """One paragraph per line: lines within a paragraph joined, blank lines kept as paragraph breaks."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # a word broken at the end of a line
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n".join(p for p in paragraphs if p)


class PdfLoader(BaseLoader):
    """One ``Document`` per page with text (``page`` from 1); refuses encrypted and scanned PDFs, and
    PDFs over the limits: too many pages, too much text, a compression bomb, too deeply nested."""

    def __init__(self, path: Path, name: str, limits: DocLimits | None = None):
        self.path, self.name = path, name
        self.limits = limits or DocLimits()
        self.pages = 0

    def lazy_load(self) -> Iterator[Document]:
        from pypdf import PdfReader
        from pypdf.errors import LimitReachedError, PdfReadError
        name = _shown(self.name)
        with _pypdf_notes() as notes:
            try:
                reader = PdfReader(str(self.path))
                if reader.is_encrypted and not _open_without_password(reader):
                    raise InputError(f"‘{name}’ is beveiligd met een wachtwoord. Sla een versie zonder "
                                     "beveiliging op (bijvoorbeeld via ‘Afdrukken als PDF’) en voeg die toe.")
                count = len(reader.pages)
                if count > self.limits.pages:  # before any page is read
                    raise LimitError("docs_limit_pages", name=name, pages=count, limit=self.limits.pages)
                pages, chars = [], 0
                for page in reader.pages:
                    pages.append(normalise(page.extract_text() or ""))
                    chars += len(pages[-1])
                    if chars > self.limits.text_chars:
                        raise too_many_passages(self.name, self.limits)
            except InputError:
                raise
            except LimitReachedError as err:  # pypdf's own guards: a part that unpacks too far, or nesting
                if "decompress" in str(err).lower():
                    raise LimitError("docs_pdf_bomb", name=name, limit=PDF_PART_MB) from None
                raise LimitError("docs_pdf_nested", name=name) from None
            except (RecursionError, MemoryError):
                raise LimitError("docs_pdf_nested", name=name) from None
            except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
                raise InputError(f"‘{name}’ is geen leesbare PDF ({type(err).__name__}). Controleer of het "
                                 "bestand heel is, of sla het opnieuw op als PDF.") from err
        self.pages = len(pages)
        letters = sum(len(re.findall(r"[^\W\d_]", p)) for p in pages)
        if pages and letters < MIN_TEXT_PER_PAGE * len(pages):
            if any(_GAVE_UP.search(note) for note in notes):  # pypdf skipped parts it could not follow
                raise LimitError("docs_pdf_nested", name=name)
            raise InputError(f"In ‘{name}’ staat (bijna) geen tekst die ik kan lezen: het lijkt een "
                             "scan zonder tekstlaag. Dan is eerst tekstherkenning (OCR) nodig, en dat doet de "
                             "coach niet. Maak er met je scan- of PDF-programma een doorzoekbare PDF van.")
        for number, text in enumerate(pages, 1):
            if text:
                yield Document(page_content=text, metadata={"page": number, "heading": ""})


# pypdf's warnings when it skips what it cannot follow (too deep, a cycle, over a limit, a decoding error)
_GAVE_UP = re.compile(r"recursion|depth|exceed|limit|cycl|impossible to decode", re.IGNORECASE)
_PYPDF_LOG = threading.Lock()


class _Notes(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 100:
            self.messages.append(record.getMessage()[:300])


@contextlib.contextmanager
def _pypdf_notes() -> Iterator[list[str]]:
    """pypdf's warnings while one PDF is read, kept for the decision above instead of flooding the log
    (a broken or hostile PDF makes it warn hundreds of times)."""
    logger = logging.getLogger("pypdf")
    handler = _Notes()
    with _PYPDF_LOG:
        propagate = logger.propagate
        logger.addHandler(handler)
        logger.propagate = False
        try:
            yield handler.messages
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate


def _open_without_password(reader) -> bool:
    """Some PDFs are encrypted only against editing: they open with an empty password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises its own errors, and DependencyError for AES without a crypto library
        return False


class DocxLoader(BaseLoader):
    """One ``Document`` per heading's section (``heading`` metadata); refuses non-DOCX and zip bombs."""

    HEADING_STYLES = ("heading", "kop", "title", "titel")

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name

    def lazy_load(self) -> Iterator[Document]:
        self._check_zip()
        import docx
        try:
            document = docx.Document(str(self.path))
        except Exception as err:  # python-docx and lxml raise many kinds on a broken file
            raise InputError(f"‘{_shown(self.name)}’ is geen leesbaar Word-bestand (.docx) ({type(err).__name__}). "
                             "Open het in Word of LibreOffice en sla het opnieuw op als .docx.") from err
        heading, lines = "", []
        for para in document.paragraphs:
            text = " ".join(para.text.split())
            style = (para.style.name if para.style is not None else "").lower()
            if text and style.startswith(self.HEADING_STYLES):
                if lines:
                    yield Document(page_content="\n".join(lines), metadata={"page": None, "heading": heading})
                heading, lines = text, []
            elif text:
                lines.append(text)
        for table in document.tables:
            for row in table.rows:
                cells = list(dict.fromkeys(" ".join(c.text.split()) for c in row.cells))
                if any(cells):
                    lines.append(" · ".join(c for c in cells if c))
        if lines:
            yield Document(page_content="\n".join(lines), metadata={"page": None, "heading": heading})

    def _check_zip(self) -> None:
        not_docx = (f"‘{_shown(self.name)}’ is geen Word-bestand (.docx). Open het in Word of LibreOffice en sla "
                    "het op als .docx, of als PDF of tekst.")
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise InputError(not_docx) from err
        names = {i.filename for i in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise InputError(not_docx)
        unpacked = sum(i.file_size for i in infos)
        markup = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels"))
                     or i.file_size > 2 * max(i.compress_size, 1))
        ratio = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
        if markup > MAX_MARKUP:
            raise LimitError("docs_limit_unpacked", name=_shown(self.name), unpacked=-(-markup // 2**20),
                             limit=MAX_MARKUP // 2**20)
        if len(infos) > 5000 or unpacked > MAX_UNZIPPED or ratio > MAX_RATIO:
            raise InputError(f"‘{_shown(self.name)}’ pakt uit tot een onredelijk grote hoeveelheid gegevens (een "
                             "zogenoemde zipbom) en is daarom niet geopend. Gebruik een gewoon Word-bestand.")


class TextLoader(BaseLoader):
    """A UTF-8 text or Markdown file; Markdown is split at its headings (``heading`` metadata)."""

    def __init__(self, path: Path, name: str, markdown: bool, limits: DocLimits | None = None):
        self.path, self.name, self.markdown = path, name, markdown
        self.limits = limits or DocLimits()

    def lazy_load(self) -> Iterator[Document]:
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(f"‘{_shown(self.name)}’ is niet als UTF-8 opgeslagen (waarschijnlijk Latin-1 of "
                             "Windows-1252), dus letters als é en ë zouden verkeerd overkomen. Sla het bestand op "
                             "als ‘UTF-8’ (Kladblok: Opslaan als → Codering) en voeg het opnieuw toe.") from err
        if "\x00" in text:
            raise InputError(f"‘{_shown(self.name)}’ lijkt geen tekstbestand. Voeg een .txt, .md, .docx of .pdf toe.")
        if len(text) > self.limits.text_chars:  # more than the passages can hold: refused before cutting
            raise too_many_passages(self.name, self.limits)
        if not self.markdown:
            yield Document(page_content=normalise(text), metadata={"page": None, "heading": ""})
            return
        from langchain_text_splitters import MarkdownHeaderTextSplitter
        splitter = MarkdownHeaderTextSplitter([("#", "h1"), ("##", "h2"), ("###", "h3")])
        for part in splitter.split_text(text):
            heading = next((part.metadata[k] for k in ("h3", "h2", "h1") if part.metadata.get(k)), "")
            body = normalise(part.page_content)
            if body:
                yield Document(page_content=body, metadata={"page": None, "heading": heading})


def loader_for(path: Path, name: str, limits: DocLimits | None = None) -> BaseLoader:
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise InputError(f"‘{_shown(name)}’: dit soort bestand lees ik niet. Voeg een PDF (met tekst), "
                         "Word-bestand (.docx), Markdown (.md) of tekstbestand (.txt) toe.")
    if kind == "pdf":
        return PdfLoader(path, name, limits)
    if kind == "docx":
        return DocxLoader(path, name)
    return TextLoader(path, name, markdown=kind == "markdown", limits=limits)


# --------------------------------------------------------------------------- a read document

@dataclass
class ReadDocument:
    """A checked document, cut in passages, not stored yet."""

    doc_id: str
    name: str
    title: str
    suffix: str
    size: int
    sha256: str
    pages: int | None
    chunks: list[DocChunk] = field(default_factory=list)


def splitter():
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    return RecursiveCharacterTextSplitter(chunk_size=PASSAGE_CHARS, chunk_overlap=0, keep_separator="end",
                                          separators=["\n", ". ", "? ", "! ", "; ", ", ", " ", ""])


def read_document(path: Path | str, name: str | None = None, title: str | None = None,
                  limits: DocLimits | None = None) -> ReadDocument:
    """Check and read one file (``name``: its name as the user knows it), cut in passages; a file over
    ``limits`` (pages, passages) or the fixed limits above raises ``LimitError`` before it is all read."""
    path = Path(path)
    limits = limits or DocLimits()
    name = check_name(name or path.name)
    title = check_title(title) if title is not None else title_from_name(name)
    loader = loader_for(path, name, limits)  # the kind of file first: its message says what is accepted
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(f"‘{_shown(name)}’ kan ik niet openen ({err.strerror}). Controleer de naam en de map.") from err
    if not path.is_file():
        raise InputError(f"‘{_shown(name)}’ is geen bestand.")
    if size > MAX_BYTES:
        raise InputError(f"‘{_shown(name)}’ is {size / 1024 / 1024:.0f} MB; de grens is {MAX_BYTES // 1024 // 1024} MB. "
                         "Splits het document of voeg alleen de delen toe die de coach moet kennen.")
    if size == 0:
        raise InputError(f"‘{_shown(name)}’ is leeg. Er is niets toegevoegd.")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    doc_id = sha[:16]
    cut = splitter()
    chunks: list[DocChunk] = []
    for part in loader.lazy_load():
        for piece in cut.split_text(part.page_content):
            piece = piece.strip()
            if len(re.findall(r"[^\W\d_]", piece)) >= 3:
                if len(chunks) >= limits.passages:
                    raise too_many_passages(name, limits)
                chunks.append(make_chunk(doc_id, title, piece, len(chunks), part.metadata.get("page"),
                                         part.metadata.get("heading") or ""))
    if not chunks:
        raise InputError(f"In ‘{_shown(name)}’ staat geen tekst die ik kan gebruiken. Er is niets toegevoegd.")
    pages = getattr(loader, "pages", None) or None
    return ReadDocument(doc_id, name, title, Path(name).suffix.lower(), size, sha, pages, chunks)
