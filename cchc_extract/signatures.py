"""Signing stamps and digital signatures -> record fields and cross-check warnings.

Two sources feed this module. The PDF reader hands over the file's digital signatures
(:class:`~cchc_extract.document.RawSignature`, read offline from the bytes) and the text their
widgets draw (:class:`~cchc_extract.document.Stamp`). Text-only inputs (OCR output, text copies)
can carry the same stamps as lines of the flow; :func:`split_stamps` recognizes them by the
vocabulary of ``patterns/signatures.yaml`` and moves them out of the flow.

Stamp blocks never enter the text that is segmented and searched: they are appended after it,
so no stamp date or time is taken as a header value, a KPI or a deadline, and each signature's
``span`` points at its visible stamp there. An inline stamp (the sequence number or day typed
into the header at signing time) is already part of its header line; its span points there.

Cross-checks are warnings, never edits: a personal signature by someone other than the printed
signer, a body's signature naming another body, a document date after the signing date or more
than 30 days before it. Broken signatures and content changed after signing are reported by the
reader (``signature_invalid``, ``signature_modified_after_signing``).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass
from typing import Literal

import regex

from . import model as m
from . import patterns
from .document import Block, Paragraph, RawDocument, RawSignature, Stamp
from .textutil import TIMEOUT

Kind = Literal["person", "organization", "publisher"]

MAX_STAMP_LINES = 12
MAX_STAMP_CHARS = 600
MAX_WRAPPED_WORDS = 6
LONG_BEFORE_DAYS = 30
"""A document dated more than this many days before its signing date gets a warning."""


@dataclass(frozen=True)
class _Res:
    opener: regex.Pattern[str]
    line: regex.Pattern[str]
    publisher: regex.Pattern[str]
    organization: regex.Pattern[str]
    abbreviations: tuple[tuple[regex.Pattern[str], str], ...]


@functools.cache
def _res() -> _Res:
    w = patterns.load_signatures()
    return _Res(
        opener=regex.compile(r"^\s*" + patterns.alternation(w.stamp_openers), patterns.FLAGS),
        line=regex.compile(r"^\s*" + patterns.alternation(w.stamp_lines), patterns.FLAGS),
        publisher=regex.compile(r"^\s*" + patterns.alternation(w.publishers), patterns.FLAGS),
        organization=regex.compile(r"^\s*" + patterns.alternation(w.organization_heads) + r"\b", patterns.FLAGS),
        abbreviations=tuple(
            (regex.compile(r"\b" + regex.escape(k) + r"\b", patterns.FLAGS), v) for k, v in w.abbreviations.items()
        ),
    )


# --- stamps in the reading flow -------------------------------------------------------------------------


def split_stamps(raw: RawDocument) -> None:
    """Move stamp paragraphs (``Ký bởi: ...`` blocks, the publishing centre's stamp) out of the
    reading flow of ``raw`` into ``raw.stamps``."""
    res = _res()
    blocks = raw.blocks
    keep: list[Block] = []
    i = 0
    found: list[Stamp] = []
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Paragraph) and len(b.text) <= MAX_STAMP_CHARS and _opens(b.text, blocks, i, res):
            lines = _stamp_lines(b.text.split("\n"), res, opening=True)
            if lines is not None:
                j = i + 1
                while j < len(blocks) and len(lines) < MAX_STAMP_LINES:
                    nb = blocks[j]
                    if not isinstance(nb, Paragraph) or len(nb.text) > MAX_STAMP_CHARS:
                        break
                    more = _stamp_lines(nb.text.split("\n"), res, opening=False)
                    if more is None:
                        break
                    lines.extend(more)
                    j += 1
                found.append(Stamp("\n".join(lines), page=b.page))
                i = j
                continue
        keep.append(b)
        i += 1
    if found:
        raw.blocks = keep
        raw.stamps.extend(found)


def _opens(text: str, blocks: list[Block], i: int, res: _Res) -> bool:
    if res.opener.match(text):
        return True
    # The publishing centre's stamp opens with the centre's name; its e-mail or time follows.
    if not res.publisher.match(text):
        return False
    rest = text.split("\n")[1:]
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if isinstance(nxt, Paragraph):
        rest.append(nxt.text.split("\n")[0])
    return any(res.line.match(x) for x in rest[:3])


def _stamp_lines(lines: list[str], res: _Res, *, opening: bool) -> list[str] | None:
    """The lines when all of them belong to a stamp (a field line, or a short wrapped name
    under one), else None."""
    out: list[str] = []
    for k, ln in enumerate(lines):
        s = " ".join(ln.split())
        if not s:
            continue
        if (opening and k == 0) or res.line.match(s):
            out.append(s)
        elif out and ":" not in s and len(s.split()) <= MAX_WRAPPED_WORDS:
            out.append(s)  # "DÂN TỈNH LÂM ĐỒNG" wrapped from "Ký bởi: ỦY BAN NHÂN", "VÀ TIN HỌC"
        else:
            return None
    return out or None


# --- record fields ---------------------------------------------------------------------------------------


def kind_of(sig: RawSignature) -> Kind:
    """``publisher`` (the publishing centre), ``organization`` (a body) or ``person``, from the
    certificate's names."""
    res = _res()
    cn = sig.signer or ""
    if res.publisher.match(cn):
        return "publisher"
    subject = sig.subject
    bodies = [subject.get("organization_name"), subject.get("organizational_unit_name")]
    if res.organization.match(cn) or any(b and _key(b) == _key(cn) for b in bodies):
        return "organization"
    return "person"


def attach(
    raw: RawDocument,
    text: str,
    page_starts: list[int],
    *,
    signer: m.Signer | None,
    issuer: m.Issuer | None,
    date: m.IssueDate | None,
) -> tuple[str, list[m.Signature], list[str]]:
    """The record text with the stamp blocks appended, the ``signatures`` field, and warnings."""
    spans: list[tuple[Stamp, tuple[int, int]]] = []
    out = text
    for st in raw.stamps:
        if st.inline:
            span = _inline_span(text, page_starts, st)
            if span is not None:
                spans.append((st, span))
            continue
        sep = "\n\n" if out else ""
        start = len(out) + len(sep)
        out = out + sep + st.text
        spans.append((st, (start, start + len(st.text))))
    by_field: dict[str, tuple[int, int]] = {}
    unlinked: list[tuple[Stamp, tuple[int, int]]] = []
    for st, span in spans:
        if st.field and not st.inline:
            by_field.setdefault(st.field, span)
        elif not st.field:
            unlinked.append((st, span))
    for st, span in spans:
        if st.field and st.inline:
            by_field.setdefault(st.field, span)
    records: list[m.Signature] = []
    for sig in raw.signatures:
        kind = kind_of(sig)
        span = by_field.get(sig.field)
        if span is None:
            span = _match_unlinked(sig, kind, unlinked, out)
        records.append(
            m.Signature(
                field=sig.field, signer=sig.signer, organization=sig.organization, email=sig.email,
                signed_at=sig.signed_at, kind=kind, intact=sig.intact,
                covers_whole_file=sig.covers_whole_file, modified_after=sig.modified_after,
                trusted=sig.trusted, span=span,
            )
        )
    return out, records, cross_checks(records, signer=signer, issuer=issuer, date=date)


def _inline_span(text: str, page_starts: list[int], st: Stamp) -> tuple[int, int] | None:
    start = 0
    end = len(text)
    if st.page is not None and page_starts and 1 <= st.page <= len(page_starts):
        start = page_starts[st.page - 1]
        end = page_starts[st.page] if st.page < len(page_starts) else len(text)
    token = " ".join(st.text.split())
    if not token:
        return None
    pat = regex.compile(r"(?<![\p{L}\p{N}])" + regex.escape(token) + r"(?![\p{L}\p{N}])")
    try:
        mt = pat.search(text, start, end, timeout=TIMEOUT)
    except TimeoutError:
        return None
    return (mt.start(), mt.end()) if mt else None


def _match_unlinked(
    sig: RawSignature, kind: str, unlinked: list[tuple[Stamp, tuple[int, int]]], text: str
) -> tuple[int, int] | None:
    """A stamp recognized from text alone belongs to the signature its words name."""
    res = _res()
    cn = _key(sig.signer or "")
    if not cn:
        return None
    for k, (st, span) in enumerate(unlinked):
        first = st.text.split("\n")[0]
        body = _key(" ".join(st.text.split()))
        if kind == "publisher" and res.publisher.match(first) and cn[:20] in body:
            unlinked.pop(k)
            return span
        if kind != "publisher" and res.opener.match(first) and cn in body:
            unlinked.pop(k)
            return span
    return None


# --- cross-checks ---------------------------------------------------------------------------------------


def cross_checks(
    sigs: list[m.Signature], *, signer: m.Signer | None, issuer: m.Issuer | None, date: m.IssueDate | None
) -> list[str]:
    """Warnings where the signatures disagree with the printed header or signature block."""
    out: list[str] = []
    persons = [s for s in sigs if s.kind == "person" and s.signer]
    if persons and signer is not None and signer.name:
        name = _key(signer.name)
        if not any(_key(s.signer or "") == name for s in persons):
            names = ", ".join(f"'{s.signer}'" for s in persons)
            out.append(
                f"signature_signer_mismatch: the signer printed is '{signer.name}', the personal "
                f"signature(s) are by {names}"
            )
    bodies = [s for s in sigs if s.kind == "organization" and s.signer]
    issuers = [x for x in ((issuer.name, issuer.parent) if issuer is not None else ()) if x]
    if bodies and issuers:
        keys = [_key(x) for x in issuers]
        if not any(_same_body(_key(s.signer or ""), keys) for s in bodies):
            cns = ", ".join(dict.fromkeys(f"'{s.signer}'" for s in bodies))
            out.append(
                f"signature_issuer_mismatch: the document is issued by '{' / '.join(issuers)}', the "
                f"body's signature names {cns}"
            )
    when = _signing_date(sigs)
    if when is not None and date is not None and date.iso:
        try:
            issued = dt.date.fromisoformat(date.iso)
        except ValueError:
            issued = None
        if issued is not None:
            if issued > when:
                out.append(
                    f"signature_date_after_signing: the document is dated {issued.isoformat()}, "
                    f"after it was signed on {when.isoformat()}"
                )
            elif (when - issued).days > LONG_BEFORE_DAYS:
                out.append(
                    f"signature_date_long_before_signing: the document is dated {issued.isoformat()}, "
                    f"{(when - issued).days} days before it was signed on {when.isoformat()}"
                )
    return out


def _signing_date(sigs: list[m.Signature]) -> dt.date | None:
    """The date of the issuing act: the first body's signature, else the first personal one."""
    for kind in ("organization", "person"):
        dates = []
        for s in sigs:
            if s.kind != kind or not s.signed_at:
                continue
            try:
                dates.append(dt.datetime.fromisoformat(s.signed_at).date())
            except ValueError:
                continue
        if dates:
            return min(dates)
    return None


def _same_body(cn: str, keys: list[str]) -> bool:
    return bool(cn) and any(k and (cn == k or cn in k or k in cn) for k in keys)


def _key(name: str) -> str:
    """A name for comparison: abbreviations written out, case, tone marks and punctuation folded."""
    s = unicodedata.normalize("NFC", name)
    for pat, full in _res().abbreviations:
        s = pat.sub(full, s)
    s = unicodedata.normalize("NFD", s.casefold().replace("đ", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(regex.sub(r"[^\w]+", " ", s).split())
