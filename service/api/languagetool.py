"""A LanguageTool-compatible checker: ``POST /v2/check`` and ``GET /v2/languages`` in LanguageTool's HTTP API
shape, so LanguageTool clients (editor plug-ins, browser add-ons, language-tool-python, pylanguagetool) can
use a council's caseqa server as their checker and show caseqa's findings where the worker writes.

The request is LanguageTool's: form fields ``text`` or ``data`` (its JSON annotation format, markup kept
out of the check but counted in offsets), ``language``, and the key as ``apiKey`` with ``username`` (as
LanguageTool's own API takes them), or ``Authorization: Bearer <key>``, or HTTP Basic ``username:key``
(what clients that cannot send extra fields get from a ``.netrc``). The answer's offsets and lengths are
in UTF-16 code units of the text the client sent, as LanguageTool counts them, so emoji and accented
names before a flagged word do not shift its highlight. Nothing is stored and no text is logged.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from analyser import __version__
from analyser.ingest import from_text
from analyser.report import Finding, Report
from analyser.store import UserRow
from service.api.parsing import media_type
from service.deps import AnalysesDep, KeyCache, StoreDep, bearer

router = APIRouter(tags=["languagetool"])

# English only: caseqa's checks, lexicons and readability formulas are for English records. en-US is
# accepted because many clients default to it; the checks are the same.
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
]
_ACCEPTED = {"auto", "en"} | {lang["longCode"].lower() for lang in LANGUAGES}
_LANGUAGE_NAMES = {lang["longCode"].lower(): lang["name"] for lang in LANGUAGES}
# How LanguageTool clients colour a match: caseqa's dimensions as LanguageTool issue types.
_ISSUE_TYPES = {
    "timebound_actions": "non-conformance",
    "plan_detail": "non-conformance",
    "child_directed_language": "style",
    "readability": "style",
}
_DIMENSION_NAMES = {
    "timebound_actions": "Timebound actions",
    "child_directed_language": "Child-directed language",
    "readability": "Readability",
    "plan_detail": "Plan detail",
}
_CONTEXT_CHARS = 40
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_UNAUTHORISED = ("send your caseqa API key: the 'apiKey' and 'username' fields (as LanguageTool's API takes "
                 "them), 'Authorization: Bearer <key>', or HTTP Basic username:key")


# ---- who is calling ---------------------------------------------------------------------------------


async def _fields(request: Request) -> dict[str, str]:
    """The request's LanguageTool parameters: the query string, then the form (urlencoded or multipart)."""
    values = dict(request.query_params)
    if request.method == "POST":
        kind = media_type(request)
        if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            raise HTTPException(415, "send the fields as a form (application/x-www-form-urlencoded), as LanguageTool clients do")
        form = await request.form(max_files=0, max_fields=50)
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                raise HTTPException(422, f"'{key}' must be a text field, not a file")
            values[key] = value
    return values


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        name, _, key = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise HTTPException(401, "the Basic authorization header is malformed", headers={"WWW-Authenticate": "Basic"}) from None
    return name, key


async def lt_user(request: Request, store: StoreDep) -> UserRow:
    """The caller, by caseqa key in LanguageTool's fields, a bearer header or HTTP Basic. 401 otherwise."""
    fields = await _fields(request)
    request.state.lt_fields = fields
    given_name: str | None = None
    key: str | None = None
    credentials = await bearer(request)
    if credentials is not None:
        key = credentials.credentials
    elif (basic := _basic(request)) is not None:
        given_name, key = basic
    elif fields.get("apiKey"):
        key, given_name = fields["apiKey"], fields.get("username") or None
        if given_name is None:
            raise HTTPException(401, "send 'username' with 'apiKey' (as LanguageTool's API takes them)")
    if not key:
        raise HTTPException(401, _UNAUTHORISED, headers={"WWW-Authenticate": "Bearer"})
    cache: KeyCache = request.app.state.keys
    user = await anyio.to_thread.run_sync(cache.user, store, key)
    # The user name must be the key's own: LanguageTool pairs them, and a mismatch is a wrong set-up.
    if user is None or (given_name is not None and given_name != user.name):
        raise HTTPException(401, "the API key is not valid for this username (or its user was removed)",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


LtUser = Annotated[UserRow, Depends(lt_user)]


# ---- the text, and where its characters were in what the client sent -------------------------------


class ClientText:
    """The text caseqa checks and, for each of its characters, the span it came from in the client's text.

    Plain text: ``\\r\\n`` becomes ``\\n`` (as ingest does) but still covers both characters. Annotated
    data: text items are checked, markup is left out (or read as its ``interpretAs``), and every offset
    counts the markup, as LanguageTool's do.
    """

    def __init__(self) -> None:
        self.original: list[str] = []
        self.checked: list[str] = []
        self.spans: list[tuple[int, int]] = []  # per checked char: [start, end) in the original (code points)
        self._at = 0

    def add_text(self, text: str) -> None:
        i = 0
        while i < len(text):
            ch = text[i]
            width = 2 if ch == "\r" and text[i + 1 : i + 2] == "\n" else 1
            if ch == "\ufeff" and self._at + i == 0:
                pass  # a leading byte-order mark: not text
            else:
                self.checked.append("\n" if ch == "\r" else ch)
                self.spans.append((self._at + i, self._at + i + width))
            i += width
        self.original.append(text)
        self._at += len(text)

    def add_markup(self, markup: str, interpret_as: str = "") -> None:
        for ch in interpret_as:
            self.checked.append(ch)
            self.spans.append((self._at, self._at + len(markup)))
        self.original.append(markup)
        self._at += len(markup)

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> ClientText:
        out = cls()
        if fields.get("text") is not None and fields.get("data") is not None:
            raise HTTPException(400, "send 'text' or 'data', not both")
        if fields.get("text") is not None:
            out.add_text(fields["text"])
            return out
        if fields.get("data") is None:
            raise HTTPException(400, "missing 'text' or 'data' parameter")
        try:
            data = json.loads(fields["data"])
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"'data' is not valid JSON ({exc.msg} at character {exc.pos})") from None
        items = data.get("annotation") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise HTTPException(400, "'data' must be {\"annotation\": [{\"text\": ...}, {\"markup\": ...}, ...]}")
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise HTTPException(400, f"'data' annotation item {n} is not an object")
            if isinstance(item.get("text"), str):
                out.add_text(item["text"])
            elif isinstance(item.get("markup"), str):
                interpret = item.get("interpretAs", "")
                if not isinstance(interpret, str):
                    raise HTTPException(400, f"'data' annotation item {n}: 'interpretAs' must be a string")
                out.add_markup(item["markup"], interpret)
            else:
                raise HTTPException(400, f"'data' annotation item {n} has neither 'text' nor 'markup'")
        return out

    def finish(self) -> tuple[str, str, list[int]]:
        """(checked text, original text, UTF-16 offset of each original code point and of its end)."""
        original = "".join(self.original)
        utf16 = [0] * (len(original) + 1)
        for i, ch in enumerate(original):
            utf16[i + 1] = utf16[i] + (2 if ord(ch) > 0xFFFF else 1)
        return "".join(self.checked), original, utf16


# ---- the answer ---------------------------------------------------------------------------------------


def _replacements(finding: Finding) -> list[dict[str, str]]:
    from analyser.word_comments import preferred_words

    words = preferred_words(finding)
    if not words or not finding.suggestion:
        return []
    # "Children often prefer: family time, seeing mum." -> each wording, in the finding's capitalisation.
    listed = finding.suggestion.split(":", 1)[-1].strip().rstrip(".")
    values = [w.strip() for w in re.split(r"\s*/\s*|,\s*|\s+or\s+", listed) if w.strip()] or [words]
    if finding.excerpt[:1].isupper():
        values = [v[:1].upper() + v[1:] for v in values]
    return [{"value": v} for v in values]


def _short(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    stop = right.end() if right and text[right.start()] != "\n" else (right.start() if right else len(text))
    return text[left:stop].strip()


def matches_for(report: Report, checked: str, original: str, utf16: list[int],
                spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The report's findings as LanguageTool matches, located in the client's own text."""
    from analyser.word_comments import comment_text, rule_id

    first_line_end = next((i for i, ch in enumerate(checked) if ch == "\n"), len(checked))
    matches = []
    for f in report.findings:
        start, end, message = f.start, f.end, comment_text(f)
        if start >= end:  # about the whole record: shown on its first line, so every client shows it
            start, end = 0, max(first_line_end, 1)
            while start < end and checked[start].isspace():
                start += 1
            message = "The whole record: " + message
        if not spans or start >= len(spans):
            continue
        o_start, o_end = spans[start][0], spans[min(end, len(spans)) - 1][1]
        c_start, c_end = max(0, o_start - _CONTEXT_CHARS), min(len(original), o_end + _CONTEXT_CHARS)
        context = original[c_start:c_end].replace("\n", " ").replace("\r", " ")
        lead = "..." if c_start > 0 else ""
        tail = "..." if c_end < len(original) else ""
        ctx_offset = len(lead) + (utf16[o_start] - utf16[c_start])
        rid = rule_id(f)
        matches.append({
            "message": message,
            "shortMessage": _short(f.code),
            "replacements": _replacements(f),
            "offset": utf16[o_start],
            "length": utf16[o_end] - utf16[o_start],
            "context": {"text": lead + context + tail, "offset": ctx_offset, "length": utf16[o_end] - utf16[o_start]},
            "sentence": _sentence(checked, start, end),
            "type": {"typeName": "Hint" if f.severity == "info" else "Other"},
            "rule": {
                "id": "CASEQA_" + re.sub(r"\W", "_", rid).upper(),
                "description": _short(rid),
                "issueType": _ISSUE_TYPES.get(f.dimension, "uncategorized"),
                "category": {"id": f.dimension.upper(), "name": _DIMENSION_NAMES.get(f.dimension, _short(f.dimension))},
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    return matches


def _software() -> dict[str, Any]:
    return {"name": "caseqa", "version": __version__, "buildDate": None, "apiVersion": 1, "premium": False,
            "status": ""}


@router.get("/v2/languages", summary="Languages (LanguageTool API)",
            description="LanguageTool's `GET /v2/languages`: the languages this checker takes (English). Needs a key.")
async def languages(user: LtUser) -> JSONResponse:
    return JSONResponse(LANGUAGES)


@router.post(
    "/v2/check",
    summary="Check text (LanguageTool API)",
    description=(
        "LanguageTool's `POST /v2/check`: form fields `text` or `data` (annotated JSON), `language` (en, en-GB, "
        "en-US or auto), and the caseqa key as `apiKey` + `username`, a bearer header or HTTP Basic. Answers "
        "LanguageTool's JSON with caseqa's findings as `matches`; offsets in UTF-16 code units of the sent text. "
        "Nothing is stored."
    ),
)
async def check(request: Request, user: LtUser, analyses: AnalysesDep) -> JSONResponse:
    fields: dict[str, str] = request.state.lt_fields
    language = (fields.get("language") or "").strip()
    if not language:
        raise HTTPException(400, "missing 'language' parameter (use en-GB, en-US, en or auto)")
    if language.lower() not in _ACCEPTED:
        raise HTTPException(400, f"language '{language[:20]}' is not supported: caseqa checks English (en-GB, en-US, en, auto)")
    client = ClientText.from_fields(fields)
    checked, original, utf16 = client.finish()
    code = "en-GB" if language.lower() in ("auto", "en") else language
    answer: dict[str, Any] = {
        "software": _software(),
        "warnings": {"incompleteResults": False},
        "language": {"name": _LANGUAGE_NAMES.get(code.lower(), "English"), "code": code,
                     "detectedLanguage": {"name": "English (GB)", "code": "en-GB", "confidence": 1.0}},
        "matches": [],
    }
    if not checked.strip():
        return JSONResponse(answer)

    analysed = await analyses.analyse(partial(from_text, checked, source=None), {"id": "languagetool"})
    answer["matches"] = await anyio.to_thread.run_sync(
        matches_for, analysed.report, checked, original, utf16, client.spans
    )
    return JSONResponse(answer)
