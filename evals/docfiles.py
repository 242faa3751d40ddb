"""Small PDF and Word files written in code, for the own-document evaluation and tests (no binary
files from elsewhere).

The PDF writer is the smallest that pypdf reads: one Helvetica font (WinAnsi, so é and ë work),
one content stream per page with a line of text per ``Tj``.
"""
from __future__ import annotations

import io
from pathlib import Path


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per item, each a list of lines (an empty list: a page without text,
    with only a drawn rectangle, as a scan without a text layer has no text either)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [3 + 2 * i for i in range(n_pages)]
    font_id = 3 + 2 * n_pages
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) +
                   b"] /Count %d >>" % n_pages)
    for i, lines in enumerate(pages):
        if lines:
            body = b"BT /F1 11 Tf 14 TL 50 780 Td " + b" ".join(_pdf_string(line) + b" Tj T*" for line in lines) + b" ET"
        else:
            body = b"0.5 g 50 50 500 700 re f"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                       b"/Contents %d 0 R >>" % (font_id, page_ids[i] + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_docx(path: Path, parts: list[tuple[str, list[str]]]) -> Path:
    """A Word file with a heading and its paragraphs per part."""
    import docx
    document = docx.Document()
    for heading, paragraphs in parts:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    document.save(str(path))
    return path
