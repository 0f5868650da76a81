"""Reasons that say what really went wrong (issue 13, item 14): memory, compression bombs and broken
installations are never reported as corrupt files."""

from __future__ import annotations

import io
import zlib

import docx
import pytest

from analyser.batch import BatchOptions, process_record
from analyser.ingest import IngestError, load_bytes
from analyser.inputs import RecordInput
from pdf_support import pdf_from_objects


def flate_bomb_pdf(inflated_mb: int = 100) -> bytes:
    """A one-page PDF whose content stream is ~100 KB deflated and ``inflated_mb`` MB inflated."""
    stream = zlib.compress(b"0" * (inflated_mb * 1024 * 1024), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
    ]
    return pdf_from_objects(objs)


def small_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("The social worker will visit Amira at home by 3 April 2025.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_flate_bomb_pdf_is_reported_as_suspicious_compression_not_corrupt():
    with pytest.raises(IngestError) as caught:
        load_bytes(flate_bomb_pdf(), "bomb.pdf")
    assert "compression" in caught.value.reason and "corrupt" not in caught.value.reason


def test_running_out_of_memory_on_a_word_file_is_not_called_corrupt(monkeypatch):
    data = small_docx()

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(docx, "Document", no_memory)
    with pytest.raises(IngestError) as caught:
        load_bytes(data, "plan.docx")
    assert "memory" in caught.value.reason and "corrupt" not in caught.value.reason


def test_a_broken_installation_is_an_internal_error_not_a_corrupt_file(monkeypatch, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(small_docx())

    def missing(*args, **kwargs):
        raise ImportError("No module named 'lxml'")

    monkeypatch.setattr(docx, "Document", missing)
    outcome = process_record(RecordInput(id="plan", source=str(path), path=path), BatchOptions())
    assert outcome.failure is not None
    assert outcome.failure.reason == "internal error: ImportError"
