"""Hand-built PDFs for the ingest tests: objects numbered from 1, a cross-reference table, a trailer."""

from __future__ import annotations


def pdf_from_objects(objs: list[bytes]) -> bytes:
    """A PDF whose catalog is object 1, holding ``objs`` in order."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
