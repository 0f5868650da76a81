"""Writing a supervision record as Word (docxtpl), Markdown or HTML (Jinja2), from shipped or council templates.

Templates see the fields of :class:`~analyser.supervision.model.SupervisionRecord` (see
docs/SUPERVISION.md). A template naming a field that does not exist is refused before anything is
written, with the unknown names listed; a misspelt attribute (``{{ a.whne }}``) fails at render time
with the same kind of error rather than leaving a blank in the record.
"""

from __future__ import annotations

import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, meta
from jinja2 import TemplateError as JinjaError

from analyser.supervision.model import TEMPLATE_FIELDS, SupervisionRecord
from analyser.dates import long_date

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_TEMPLATES = {"docx": TEMPLATES / "supervision.docx", "md": TEMPLATES / "supervision.md.j2",
                     "html": TEMPLATES / "supervision.html.j2"}
FORMATS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


class TemplateError(ValueError):
    """A template that cannot be used: unknown fields, bad syntax, or the wrong kind of file."""


def format_for(path: Path) -> str:
    """The output format an --out file name asks for: docx, md or html."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise TemplateError(f"{path}: write the supervision record to a .docx, .md or .html file")
    return fmt


def _env(folder: Path, *, html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=html,  # Word templates are escaped by docxtpl itself (render(autoescape=True))
        undefined=StrictUndefined,  # a misspelt field is an error, never a silent blank in a record
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = long_date
    env.filters["label"] = lambda v: str(v).replace("_", " ")
    return env


def _refuse_unknown(names: set[str], env: Environment, template: Path) -> None:
    unknown = sorted(names - TEMPLATE_FIELDS - set(env.globals))
    if unknown:
        raise TemplateError(
            f"template {template} uses unknown fields: {', '.join(unknown)}. "
            f"Available: {', '.join(sorted(TEMPLATE_FIELDS))} (see docs/SUPERVISION.md)"
        )


def check_template(template: Path, fmt: str) -> None:
    """Refuse a template of the wrong kind, with bad syntax, or using unknown fields."""
    template = Path(template)
    if not template.is_file():
        raise TemplateError(f"template {template}: no such file")
    if fmt == "docx":
        if template.suffix.lower() != ".docx":
            raise TemplateError(f"template {template}: a Word output needs a .docx template")
        _docx(template)  # parses and checks; nothing is written
        return
    env = _env(template.parent, html=fmt == "html")
    try:
        names = meta.find_undeclared_variables(env.parse(template.read_text(encoding="utf-8")))
    except JinjaError as exc:
        raise TemplateError(f"template {template}: {exc}") from None
    except UnicodeDecodeError:
        raise TemplateError(f"template {template}: not a UTF-8 text template") from None
    _refuse_unknown(set(names), env, template)


def _docx(template: Path):  # type: ignore[no-untyped-def]
    """Open a Word template with docxtpl and check its tags; returns (DocxTemplate, Environment)."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    env = _env(template.parent, html=False)
    try:
        tpl = DocxTemplate(str(template))
        names = tpl.get_undeclared_template_variables(jinja_env=env)
    except PackageNotFoundError:
        raise TemplateError(f"template {template}: not a Word (.docx) document") from None
    except JinjaError as exc:
        raise TemplateError(f"template {template}: {type(exc).__name__}: {exc}") from None
    _refuse_unknown(set(names), env, template)
    return tpl, env


def context(record: SupervisionRecord) -> dict:
    """What templates see: the record as JSON-like data (dates ISO, plus the written-out ``*_text`` fields)."""
    return record.model_dump(mode="json")


def render_bytes(record: SupervisionRecord, fmt: str, template: Path | None = None) -> bytes:
    """The supervision record as a .docx, Markdown or HTML document (the shipped template by default)."""
    if fmt not in DEFAULT_TEMPLATES:
        raise TemplateError(f"unknown format '{fmt}' (use docx, md or html)")
    path = Path(template) if template else DEFAULT_TEMPLATES[fmt]
    if template:
        check_template(path, fmt)
    data = context(record)
    try:
        if fmt == "docx":
            tpl, env = _docx(path)
            tpl.render(data, jinja_env=env, autoescape=True)
            buf = io.BytesIO()
            tpl.save(buf)
            return buf.getvalue()
        env = _env(path.parent, html=fmt == "html")
        return env.get_template(path.name).render(**data).encode("utf-8")
    except JinjaError as exc:
        raise TemplateError(f"template {path}: {exc}") from None


def render(record: SupervisionRecord, out_path: Path | str, template: Path | str | None = None) -> Path:
    """Write the record to ``out_path``; its suffix (.docx, .md, .html) picks the format."""
    out = Path(out_path)
    data = render_bytes(record, format_for(out), Path(template) if template else None)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
