"""Small own documents made in code for the tests (no binary files from elsewhere): a PDF with a
text layer, a "scanned" PDF without one, an encrypted PDF, a DOCX with headings, a zip bomb.

The PDF and Word writers live in ``evals/docfiles.py`` (the evaluation makes its documents too).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from evals.docfiles import make_docx, make_pdf

__all__ = ["encrypt_pdf", "make_docx", "make_pdf", "make_zip_bomb"]


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
