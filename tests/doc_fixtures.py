"""Small own documents made in code for the tests (no binary files from elsewhere): a PDF with a
text layer, a "scanned" PDF without one, an encrypted PDF, a DOCX with headings, a zip bomb, and the
document bombs of issue 20 item 18 (a DOCX of highly compressible markup, a PDF compression bomb, a
deeply nested PDF), all small on disk and made at run time.

The PDF and Word writers live in ``evals/docfiles.py`` (the evaluation makes its documents too).
"""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from evals.docfiles import make_docx, make_pdf

__all__ = ["encrypt_pdf", "make_docx", "make_docx_bomb", "make_nested_pdf", "make_pdf", "make_pdf_bomb",
           "make_zip_bomb"]


def encrypt_pdf(data: bytes, password: str = "geheim") -> bytes:
    """The same PDF, opened only with ``password`` (RC4, which pypdf writes without extra libraries)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """A ".docx" whose document part unpacks to ``megabytes`` of zeros (written in a few MB of
    zlib output, streamed: the test never holds the unpacked data)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return path


def make_docx_bomb(path: Path, megabytes: int = 45) -> Path:
    """A real Word file whose document.xml is ``megabytes`` of valid, highly repetitive paragraphs,
    packed at zlib level 1 (ratio about 120, under the per-part ratio check; about 1 % of the size on
    disk). Written streamed: the test never holds the markup."""
    template = make_docx(path.with_name(path.stem + "-sjabloon.docx"), [("Kop", ["Een gewone alinea."])])
    paragraph = (b'<w:p><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:before="0" w:after="0"/></w:pPr>'
                 b'<w:r><w:t>x</w:t></w:r></w:p>')
    block = paragraph * (1024 * 1024 // len(paragraph))
    with zipfile.ZipFile(io.BytesIO(template.read_bytes())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, source.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                     b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(megabytes):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    template.unlink()
    return path


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1: the catalog), with a correct cross-reference table."""
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


TEXT = b"BT /F1 11 Tf 50 780 Td (De stuurgroep van het netwerk komt vier keer per jaar bijeen.) Tj ET"
_HEAD = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< %s/Length %d >>\nstream\n" % (extra, len(body)) + body + b"\nendstream"


def make_pdf_bomb(megabytes: int = 80) -> bytes:
    """A one-page PDF with a line of text whose content stream unpacks to ``megabytes`` (spaces after
    the text; about 80 kB on disk)."""
    packer = zlib.compressobj(9)
    packed = packer.compress(TEXT + b"\n")
    spaces = b" " * (1024 * 1024)
    for _ in range(megabytes):
        packed += packer.compress(spaces)
    packed += packer.flush()
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>")
    return raw_pdf([*_HEAD, page, _stream(packed, b"/Filter /FlateDecode "), _FONT])


def make_nested_pdf(depth: int = 1500) -> bytes:
    """A one-page PDF whose only text sits in a form nested ``depth`` forms deep (each form draws the
    next): a reader that follows it recursively gives up before it reaches the text."""
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
            b"/XObject << /X 6 0 R >> >> /Contents 4 0 R >>")
    objects = [*_HEAD, page, _stream(b"/X Do"), _FONT]
    for i in range(depth):
        number, last = 6 + i, i == depth - 1
        resources = (b"/Resources << /Font << /F1 5 0 R >> >> " if last
                     else b"/Resources << /XObject << /X %d 0 R >> >> " % (number + 1))
        objects.append(_stream(TEXT if last else b"/X Do",
                               b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources))
    return raw_pdf(objects)
