"""The one exception ingest raises for bad input."""

from __future__ import annotations


class IngestError(Exception):
    """Bad input that cannot be turned into a :class:`~analyser.document.Document`.

    ``source`` is the file name or record id, ``reason`` a short human explanation such as
    ``"file is empty"``. ``str(e) == f"{source}: {reason}"``. Neither ever contains record text.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):  # keep picklable (batch workers send errors across processes)
        return (type(self), (self.source, self.reason))
