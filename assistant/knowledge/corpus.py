"""Reading and cleaning the magazine text; splitting it into sections.

The text is a PDF extraction (see ``corpus/README.md``). Facts this parser relies on:

* every text line is followed by an empty line, so empty lines carry no meaning;
* every page *ends* with a running footer ``Meer bereiken met organisatienetwerken / <title>``
  naming the section the page belongs to; what the layout prints after a footer (a lead
  paragraph, a photo credit, URLs, a page marker such as ``18Inhoud``) still belongs to that
  page's section, until the next page starts (a line that begins with a space, or a page marker);
* the first page of every building block starts with "Korte toelichting": text before it
  belongs to the previous section (a page whose footer is missing in the extraction);
* words are hyphenated across line ends ("maat-" / "schappelijke").

Everything here is pure: text in, dataclasses out.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError

PUBLICATION = "Meer bereiken met organisatienetwerken"
SOURCE_LINE = ("Bron: Platform31, ‘Meer bereiken met organisatienetwerken’ (2023). "
               "Overnemen mag, mits de bron wordt vermeld.")
FOOTER_RE = re.compile(r"^\s*Meer bereiken met organisatienetwerken\s*/\s*(?P<title>.+?)\s*$")
PAGE_MARKER_RE = re.compile(r"^\s*\d{1,3}Inhoud\s*$")
URL_RE = re.compile(r"^\s*(https?://|www\.)\S*\s*$")
# A list item: bullet, dash, "1." or "1 " followed by a capital (the numbered lessons/steps).
LIST_RE = re.compile(r"^(?:[•–-]\s+|\d{1,2}\.\s+|\d{1,2}\s+(?=[A-ZÀ-Ý‘'“]))")
HEADINGS = ("Korte toelichting", "Verdiepende vragen", "Stem af met...")
BLOCK_NAMES = ("Opgave", "Waarde", "Samen doen", "Verankering", "Deelname", "Binding", "Organisatie")
# Photo credits that the extraction glued to the end of a text line (standalone credits are
# found by shape, see ``_is_credit``).
GLUED_CREDITS = ("Raldo Neven",)
TERMINAL = ".?!:;”\"’)…"
FIGURE_LINE_MAX = 32


@dataclass(frozen=True)
class Section:
    """One footer-named part of the magazine."""

    title: str
    kind: str  # intro | framework | bouwsteen | interview | essay | colofon
    paragraphs: tuple[str, ...]
    subtitle: str = ""
    position: int = 0
    # Block labels printed on the pages of this section, with their tagline:
    # (("Binding", "Zorg voor duurzame verbinding tussen partners"), ...)
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Magazine:
    sections: tuple[Section, ...]
    sha256: str

    def section(self, title: str) -> Section:
        for s in self.sections:
            if s.title == title:
                return s
        raise KeyError(title)

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


@dataclass
class _Page:
    title: str | None
    lines: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading

def read_corpus(path: Path) -> str:
    """Read the magazine text; a clear ``CorpusError`` when it is missing, empty or not UTF-8."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"Het tijdschriftbestand ontbreekt: {path}. Zet de tekst terug in corpus/ "
                          "(git checkout corpus/) of wijs met COACH_CORPUS naar het bestand.")
    if path.is_dir():
        raise CorpusError(f"{path} is een map, geen tekstbestand.")
    raw = path.read_bytes()
    if not raw.strip():
        raise CorpusError(f"Het tijdschriftbestand is leeg: {path}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path} is geen UTF-8-tekst (fout bij byte {err.start}). "
                          "Sla het bestand op als UTF-8 en probeer opnieuw.") from None
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    if not FOOTER_RE.search(text.replace("\r", ""), 0) and not any(
            FOOTER_RE.match(line) for line in text.splitlines()):
        raise CorpusError(f"{path} lijkt niet op het tijdschrift: er staat geen enkele voettekst "
                          f"‘{PUBLICATION} / …’ in.")
    return text


def corpus_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- pages

def _lines(text: str) -> list[str]:
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            continue  # every line is followed by an empty one: no meaning
        out.append(line.rstrip("\n"))
    return out


def _is_page_start(line: str) -> bool:
    return line.startswith(" ") and line.strip() != ""


def _split_pages(lines: list[str]) -> list[_Page]:
    """Group lines into footer-named pages, with the footer's trailer kept on its page."""
    pages: list[_Page] = []
    current = _Page(title=None)
    after_footer = False
    for line in lines:
        m = FOOTER_RE.match(line)
        if m:
            current.title = m.group("title")
            current.lines.append(line)  # kept so the cleaner knows what follows a footer
            pages.append(current)
            current = _Page(title=None)
            after_footer = True
            continue
        if after_footer:
            if PAGE_MARKER_RE.match(line):
                after_footer = False
                continue
            if _is_page_start(line):
                after_footer = False
            else:
                pages[-1].lines.append(line)  # trailer: lead text, credit, URL of that page
                continue
        current.lines.append(line)
    if any(line.strip() for line in current.lines):
        pages.append(current)  # the colophon: no footer
    return pages


def _kind(title: str | None, position: int) -> str:
    if title is None:
        return "colofon"
    if title.startswith("Bouwsteen "):
        return "bouwsteen"
    if title == "Het Netwerkmozaïek":
        return "framework"
    if position == 0:
        return "intro"
    return "interview"


# --------------------------------------------------------------------------- cleaning

def _is_credit(line: str, prev: str | None, nxt: str | None) -> bool:
    """A photographer's credit: a short run of capitalised words alone between pages."""
    s = line.strip()
    if not s or len(s) > 40 or any(ch in s for ch in TERMINAL + ",|/:0123456789"):
        return False
    words = s.split()
    if not 2 <= len(words) <= 5 or not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    if not all(w[0].isupper() or w in ("van", "den", "der", "de") for w in words):
        return False
    at_footer = prev is not None and FOOTER_RE.match(prev) is not None
    before_page = nxt is not None and (_is_page_start(nxt) or PAGE_MARKER_RE.match(nxt) is not None)
    return at_footer or before_page


def _strip_glued_credit(line: str, nxt: str | None) -> str:
    if nxt is not None and _is_page_start(nxt):
        for credit in GLUED_CREDITS:
            if line.rstrip().endswith(" " + credit):
                return line.rstrip()[: -len(credit)].rstrip() + " "
    return line


def _figure_run_start(lines: list[str], i: int) -> bool:
    """A block label with its 'Zorg voor …' tagline, as printed on every block page."""
    s = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if s in BLOCK_NAMES and nxt.startswith("Zorg voor"):
        return True
    return s.startswith("Zorg voor") and len(s) <= FIGURE_LINE_MAX


def _drop_furniture(raw: list[str], title: str | None, subtitle_out: list[str],
                    labels_out: list[tuple[str, str]] | None = None) -> list[str]:
    """Remove footers, markers, URLs, credits, block labels/taglines and the printed title."""
    kept: list[str] = []
    i = 0
    n = len(raw)
    while i < n:
        line = raw[i]
        s = line.strip()
        prev = raw[i - 1] if i else None
        nxt = raw[i + 1] if i + 1 < n else None
        if FOOTER_RE.match(line) or PAGE_MARKER_RE.match(line) or URL_RE.match(line):
            i += 1
            continue
        if _figure_run_start(raw, i):
            start = i
            i += 1
            while i < n:
                t = raw[i].strip()
                if (len(t) > FIGURE_LINE_MAX or t in HEADINGS or FOOTER_RE.match(raw[i])
                        or LIST_RE.match(t) or t.startswith("Bouwsteen ")):
                    break
                i += 1
            run = raw[start:i]
            if labels_out is not None and run[0].strip() in BLOCK_NAMES:
                labels_out.append((run[0].strip(), join_lines(run[1:])))
            continue
        if _is_credit(line, prev, nxt):
            i += 1
            continue
        if title and s == title.strip():
            # The title printed on the page. When one to three short lines follow it and then
            # the footer or the full-width lead, those lines are its subtitle
            # ("De opbrengst van vier jaar samenwerking  |  Els van Kooten").
            i += 1
            j = i
            while j < n and j - i < 3 and not FOOTER_RE.match(raw[j]):
                t = raw[j].strip()
                if not t or len(t) > 90 or t[-1] in TERMINAL or _figure_run_start(raw, j):
                    break
                j += 1
            if j > i and j < n and (FOOTER_RE.match(raw[j]) or len(raw[j].strip()) > 90):
                subtitle_out.extend(re.sub(r"\s+", " ", raw[k].strip()) for k in range(i, j))
                i = j
            continue
        kept.append(_strip_glued_credit(line, nxt))
        i += 1
    return kept


def _lead_first(lines: list[str]) -> list[str]:
    """Move the full-width lead (intro) paragraph to the front of a section.

    Interviews print their lead across the whole page width wherever the title block sits,
    often in the middle of a sentence of the body text; the body columns are far narrower.
    A lead is a run of lines much wider than the typical line, plus its short last line.
    """
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    if not widths:
        return lines
    typical = widths[len(widths) // 2]
    if typical > 60:
        return lines  # a full-width page layout: no separate lead
    limit = max(80, 1.6 * typical)
    lead_idx: list[int] = []
    i = 0
    while i < len(lines):
        if len(lines[i].strip()) > limit:
            j = i
            while j < len(lines) and len(lines[j].strip()) > limit:
                j += 1
            last = lines[j].strip() if j < len(lines) else ""
            if last and last[-1] in TERMINAL and not _is_page_start(lines[j]):
                j += 1  # the short last line of the lead paragraph
            lead_idx.extend(range(i, j))
            i = j
        else:
            i += 1
    if not lead_idx:
        return lines
    chosen = set(lead_idx)
    lead = [lines[k] for k in lead_idx]
    rest = [ln for k, ln in enumerate(lines) if k not in chosen]
    return lead + [" "] + rest


def _drop_figures(lines: list[str]) -> list[str]:
    """Drop runs of four or more very short lines (labels of a figure); keep the caption apart."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and 0 < len(lines[j].strip()) <= 25 and lines[j].strip()[-1:] not in TERMINAL:
            j += 1
        if j - i >= 4:
            if j < len(lines):
                out.extend([" ", lines[j], " "])  # the caption under the figure
                j += 1
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _dehyphenate(a: str, b: str) -> tuple[str, bool]:
    """Join line ``a`` to ``b`` when ``a`` ends in a word hyphenated across the line break.

    Returns the text to append for ``a`` and whether the join swallowed the line break.
    """
    stripped = a.rstrip()
    if not stripped.endswith("-") or len(stripped) < 2:
        return stripped, False
    before = stripped[-2]
    after = b.lstrip()[:1]
    if not before.isalpha() or not after or not after.islower():
        return stripped, False  # "Heerlen-" + "Noord", "welzijns- en": real hyphens
    if before.isupper():
        return stripped, True  # "NPLV-" + "verhaal": keep the hyphen, no space
    word_after = b.lstrip().split(" ", 1)[0]
    if word_after in ("en", "of", "tot"):
        return stripped, False  # "zorg- en welzijn": an elided compound, keep the hyphen
    return stripped[:-1], True


def _heading_like(line: str, following: str, width: int, after: bool = False) -> bool:
    """A short line without end punctuation, followed by a line that starts a sentence.

    ``after``: judged once the next line is known, so the line may be the second line of a
    two-line heading ("1 Start vanaf het allereerste begin met" / "alle partijen …").
    """
    return (bool(line) and len(line) < 0.8 * width and line[-1] not in TERMINAL + ",-–"
            and (after or line[:1].isupper()) and following[:1].isupper())


def join_lines(lines: list[str]) -> str:
    """Join layout lines into one string, undoing hyphenation across line breaks."""
    out = ""
    glue = False
    for k, line in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        text, glued = _dehyphenate(line, nxt)
        text = text.strip()
        out = out + text if (glue or not out) else out + " " + text
        glue = glued
    return re.sub(r"\s+", " ", out).strip()


def normalized_source(text: str) -> str:
    """The whole magazine as one dehyphenated, whitespace-collapsed string (for checks)."""
    return join_lines([ln for ln in _lines(text) if not FOOTER_RE.match(ln)])


def _paragraphs(lines: list[str]) -> list[str]:
    """Rebuild paragraphs and list items from layout lines."""
    paras: list[str] = []
    buf = ""
    glue_next = False

    def flush():
        nonlocal buf
        text = re.sub(r"[ \t\u00a0]+", " ", buf).strip()
        if text:
            paras.append(text)
        buf = ""

    stripped = [ln.strip() for ln in lines]
    for i, line in enumerate(lines):
        s = stripped[i]
        if not s:
            flush()
            glue_next = False
            continue
        prev = stripped[i - 1] if i else ""
        nxt = stripped[i + 1] if i + 1 < len(stripped) else ""
        lo = i
        while lo > max(0, i - 3) and stripped[lo - 1]:
            lo -= 1
        hi = i
        while hi < min(len(stripped), i + 3) and stripped[hi]:
            hi += 1
        window = [len(x) for x in stripped[lo:hi] if x]  # never across a blank separator
        width = max(window) if window else len(s)
        new_para = False
        if s in HEADINGS or LIST_RE.match(s) or prev in HEADINGS:
            new_para = True
        elif prev and not glue_next:
            short_prev = len(prev) < 0.8 * width
            ends_sentence = prev[-1] in TERMINAL
            if short_prev and ends_sentence:
                new_para = True
            elif _heading_like(prev, s, width, after=True) and not LIST_RE.match(prev):
                new_para = True  # the previous line was a heading
        if not new_para and i + 1 < len(stripped) and prev and prev[-1] in TERMINAL \
                and _heading_like(s, nxt, width) and not LIST_RE.match(s):
            new_para = True  # this line is a heading
        if new_para:
            flush()
        if s in HEADINGS:
            paras.append(s)
            glue_next = False
            continue
        text, glued = _dehyphenate(line, nxt)
        text = text.strip()
        buf = buf + text if (glue_next or not buf) else buf + " " + text
        glue_next = glued
    flush()
    return paras


# --------------------------------------------------------------------------- sections

def parse_magazine(text: str) -> Magazine:
    """Split the magazine into its footer-named sections, each with cleaned paragraphs."""
    pages = _split_pages(_lines(text))
    # Merge consecutive pages of the same section.
    groups: list[_Page] = []
    for page in pages:
        if groups and groups[-1].title == page.title:
            groups[-1].lines.extend(page.lines)
        else:
            groups.append(_Page(page.title, list(page.lines)))
    # A building block starts at its "Korte toelichting": lines before it come from a page of
    # the previous section whose footer is missing in the extraction.
    for k in range(1, len(groups)):
        g = groups[k]
        if g.title and g.title.startswith("Bouwsteen "):
            idx = next((j for j, ln in enumerate(g.lines) if ln.strip() == "Korte toelichting"), None)
            if idx:
                groups[k - 1].lines.extend(g.lines[:idx])
                del g.lines[:idx]
    sections: list[Section] = []
    seen: dict[str | None, int] = {}
    for g in groups:
        if g.title in seen:  # a section interrupted by another: keep one section per title
            j = seen[g.title]
            old = sections[j]
            sub: list[str] = []
            labels: list[tuple[str, str]] = []
            extra = _paragraphs(_drop_figures(_lead_first(_drop_furniture(g.lines, g.title, sub, labels))))
            sections[j] = Section(old.title, old.kind, old.paragraphs + tuple(extra),
                                  old.subtitle or " · ".join(sub), old.position,
                                  old.labels + tuple(labels))
            continue
        sub = []
        labels = []
        paras = _paragraphs(_drop_figures(_lead_first(_drop_furniture(g.lines, g.title, sub, labels))))
        title = g.title or "Colofon"
        position = len(sections)
        kind = _kind(g.title, position)
        if kind == "interview" and not ("|" in " ".join(sub) or re.search(r"[A-Z]\w+ (?:en|,) ", " ".join(sub))):
            kind = "essay"  # no speakers under the title: an essay, not an interview
        sections.append(Section(title, kind, tuple(paras), " · ".join(sub), position, tuple(labels)))
        seen[g.title] = len(sections) - 1
    return Magazine(tuple(sections), corpus_hash(text))


def load_magazine(path: Path) -> Magazine:
    return parse_magazine(read_corpus(path))
