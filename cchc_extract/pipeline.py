"""The pipeline: reader output -> normalized text -> segments -> extractions -> :class:`Notice`.

Layers run in one direction: ``readers`` -> ``normalize`` -> ``segment`` -> ``extract`` ->
``model``. This module only wires them together and turns their findings into record fields.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import regex

from . import model as m
from . import patterns
from . import signatures as sg
from .document import RawDocument
from .extract import deadlines as dl
from .extract import kpis as kp
from .extract import metadata as md
from .extract import references as rf
from .extract import tables as tb
from .extract.findings import FoundFinding, findings_in
from .kpi_keys import assign_key
from .normalize import Line, NormText, normalize
from .places import resolve_place
from .segment.closing import find_closing
from .segment.front import find_front
from .segment.kinds import (
    acknowledges,
    assign_kinds,
    directs,
    has_directions_leadin,
    is_notice,
    item_unit,
    provisional,
)
from .segment.sections import RawSection, build_sections, find_appendix, label_path, walk
from .textutil import collapse, layout, strip_marker

if TYPE_CHECKING:
    from .readers.ocr import OcrMode

TrustRoots = str | Path | Sequence[Any] | None
"""A PEM/DER file of trusted root certificates, or loaded ``cryptography`` certificates."""

_PLACE_CONTEXT = 3_000
"""Characters of the text searched for place context (the header and opening name the place)."""


@functools.cache
def _type_names() -> dict[str, str]:
    return {t.code: t.name for t in patterns.load().doc_types.types if not t.cited_only}


@functools.cache
def _title_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    u = patterns.load().units
    return (regex.compile(r"\b" + u.subject_intro + r"\s+(?P<u>[^,;.]+)$", patterns.FLAGS),
            regex.compile(u.inspection_title, patterns.FLAGS))


def notice_from_raw(raw: RawDocument, source: m.Source) -> m.Notice:
    """Build the record of one document."""
    sg.split_stamps(raw)  # signing stamps in the flow (OCR, text copies) leave it
    norm = normalize(raw)
    lines = norm.lines
    text = norm.text
    warnings = list(raw.warnings)
    front = find_front(lines)
    closing = find_closing(lines, front.body_start)
    doc_code = front.doc_type[0] if front.doc_type else None

    # Header metadata.
    number = md.parse_number(lines[front.number_line].text) if front.number_line is not None else None
    place, date = (md.parse_place_date(lines[front.place_date_line].text)
                   if front.place_date_line is not None else (None, None))
    if number is not None and front.subject and front.type_line is None:
        number = md.untyped_number(number)  # a công văn's symbol has no type segment ("5348/CT-CS")
    if doc_code is None and number is not None and number.type_code:
        doc_code = number.type_code
    doc_type = None
    if front.doc_type:
        doc_type = m.DocType(code=front.doc_type[0], name=front.doc_type[1])
    elif number is not None and number.type_code:
        # No type-name line, but the number says it ("Số: 02/TB-TKT" -> Thông báo).
        name = _type_names().get(number.type_code)
        if name:
            doc_type = m.DocType(code=number.type_code, name=name)
    issuer = md.parse_issuer([lines[i].text for i in front.issuer_lines])
    title = collapse(" ".join([front.title_head] + [lines[i].text for i in front.title])) or None
    opening = [lines[i].text for i in front.preamble] + [lines[i].text for i in range(front.body_start, min(len(lines), front.body_start + 3))]
    period = md.find_period(([title] if title else []) + opening)
    default_year = period.year if period else (date.year if date else None)

    tree = build_sections(lines, front.body_start, closing.body_end, provisional(doc_code))
    roots, items = tree.roots, tree.items
    foot = [closing.body_end - 1, *closing.signature, *(i for _, i in closing.recipients)]
    appendix = find_appendix(lines, max(foot) + 1)
    if appendix is not None:
        annex = build_sections(lines, appendix, len(lines), provisional(doc_code))
        roots = roots + annex.roots
        items = {**items, **annex.items}
    kinds = assign_kinds(roots, lines, doc_code, items)
    sections = [_section_model(s, lines, kinds, norm) for s in roots]

    # References (the document's own number is not one).
    own = rf.normalize_number(number.raw) if number else None
    scan_from = max([front.number_line + 1 if front.number_line is not None else 0, 0])
    header_spans = [(lines[i].start, lines[i].end) for i in front.header]
    try:
        found_cits = rf.find_citations(text, lines[scan_from].start if scan_from < len(lines) else 0)
    except TimeoutError:
        found_cits = []
        warnings.append("extract_timeout: citation scan stopped (pathological text)")
    cits = [c for c in found_cits
            if c.number != own and not any(a <= c.start < b for a, b in header_spans)]
    references: list[m.Reference] = []
    seen: set[str] = set()
    for c in cits:
        if c.number in seen:
            continue
        seen.add(c.number)
        references.append(m.Reference(type_code=c.type_code, type_name=c.type_name, number=c.number, date=c.date,
                                      issuer=c.issuer, span=(c.start, c.end), page=_page(norm, c.start)))
    # Legal basis: the "Căn cứ"/"Thực hiện" clauses of the preamble, not a narrative opening
    # ("Ngày …, Phó Thủ tướng … theo phân công tại Quyết định số …", GUIDELINES v2, h025), nor a
    # footnote the reader placed there.
    pre_ranges = [(lines[i].start, lines[i].end) for i in front.preamble
                  if not lines[i].note and layout("preamble").match(lines[i].text)]
    legal_basis = [r for r in references if any(a <= r.span[0] < b for a, b in pre_ranges)]
    cit_spans = sorted((c.start, c.end) for c in cits)
    skip_spans = sorted(cit_spans + kp.excluded_spans(text))

    # Findings.
    findings: list[m.Finding] = []
    fk = patterns.load().headings.finding_kinds
    notice = is_notice(doc_code)

    def add_findings(found: list[FoundFinding], kind: str, unit: str | None, path: list[str]) -> None:
        finding_kind: m.FindingKind = fk[kind]  # type: ignore[assignment]
        for f in found:
            own = item_unit(f.text) if f.line in items else None
            findings.append(m.Finding(kind=finding_kind, unit=own or unit, text=f.text, section=path,
                                      span=(f.start, f.end), page=_page(norm, f.start)))

    def directions(content: list[int]) -> list[FoundFinding]:
        return [f for f in findings_in(content, lines, items, text) if f.line in items and not acknowledges(f.text)]

    if notice:
        # Run-on numbered directions with no heading above them (GUIDELINES v2).
        add_findings(directions(tree.root_content), "requirements", None, [])
    for sec in walk(roots):
        kind, unit = kinds[sec.line]
        if kind in fk:
            lead = (sec.line, sec.run_in) if sec.run_in is not None else None
            add_findings(findings_in(sec.content, lines, items, text, lead=lead), kind, unit, label_path(sec))
        elif notice and kind == "conclusion" and any(i in items for i in sec.content):
            # A heading that only announces the conclusions ("Ý KIẾN KẾT LUẬN") over run-on
            # numbered directions: they are directions with no heading of their own.
            add_findings(directions(sec.content), "requirements", unit, label_path(sec))
        elif notice and directs(sec):
            # Items after a lead-in announcing directions ("... yêu cầu:", "Xã A cần:").
            add_findings(findings_in(sec.content, lines, items, text, after_leadin=has_directions_leadin),
                         "requirements", unit, label_path(sec))

    # Body lines: preamble + sections, without header, foot and tables.
    body_lines = [i for i in front.preamble] + [i for i in range(front.body_start, closing.body_end)
                                                if lines[i].table is None]
    # Footnotes count wherever the reader placed them (after the body of their page).
    in_body = set(body_lines)
    body_lines += [i for i, ln in enumerate(lines) if ln.note and i not in in_body]
    body_lines.sort()
    line_unit = _line_units(roots, kinds)
    target_kinds = set(patterns.load().headings.target_kinds)
    goal_lines = {i for sec in walk(roots) if kinds[sec.line][0] in target_kinds for i in sec.content}
    subject = _subject(title)
    kpis: list[m.Kpi] = []
    deadlines: list[m.Deadline] = []
    timeouts = 0
    for i in body_lines:
        ln = lines[i]
        try:
            line_kpis = kp.find_kpis(text, ln.start, ln.end, skip_spans, prescanned=True)
            line_deadlines = dl.find_deadlines(text, ln.start, ln.end, default_year, date.year if date else None)
        except TimeoutError:
            timeouts += 1
            continue
        for k in line_kpis:
            scope = k.scope or line_unit.get(i) or subject
            kpis.append(m.Kpi(label=k.label, key=assign_key(k.label, k.unit), value=k.value, unit=k.unit,
                              numerator=k.numerator,
                              denominator=k.denominator, qualifier=k.qualifier,
                              is_target=k.is_target or i in goal_lines,
                              unit_scope=scope, span=(k.start, k.end), page=_page(norm, k.start)))
        for d in line_deadlines:
            para = strip_marker(ln.text)
            para = layout("end_mark").sub(".", para).rstrip()
            # The sentence's actor, else the heading's unit (GUIDELINES v2 "Deadlines").
            deadlines.append(m.Deadline(date=d.date, raw=d.raw, text=para, responsible=d.responsible or line_unit.get(i),
                                        span=(d.start, d.end), page=_page(norm, d.start)))
    tables: list[m.Table] = []
    line_starts = [ln.start for ln in lines]
    for t in norm.tables:
        tables.append(m.Table(rows=[[m.TableCell(text=c.text, span=(c.start, c.end) if c.end > c.start else None)
                                     for c in row if not c.merged] for row in t.rows],
                              span=(t.start, t.end), page=t.page))
        first = bisect.bisect_left(line_starts, t.start)
        caption = [ln.text for ln in lines[max(0, first - 2):first] if ln.table is None]
        for tk in tb.table_kpis(t, tb.caption_unit(caption)):
            kpis.append(m.Kpi(label=tk.label, key=assign_key(tk.label, tk.unit), value=tk.value, unit=tk.unit,
                              numerator=tk.numerator,
                              denominator=tk.denominator, unit_scope=subject, span=(tk.start, tk.end),
                              page=t.page))
        for cell, row_unit, row_label in tb.note_cells(t):
            try:
                note_kpis = kp.find_kpis(text, cell.start, cell.end, skip_spans, prescanned=True,
                                         fallback_unit=row_unit)
            except TimeoutError:
                timeouts += 1
                continue
            for k in note_kpis:
                label = k.label or row_label
                kpis.append(m.Kpi(label=label, key=assign_key(label, k.unit), value=k.value, unit=k.unit,
                                  numerator=k.numerator, denominator=k.denominator, qualifier=k.qualifier,
                                  is_target=k.is_target, unit_scope=subject, span=(k.start, k.end),
                                  page=t.page))
    if timeouts:
        warnings.append(f"extract_timeout: {timeouts} paragraph(s) skipped by the KPI/deadline scan")
    kpis.sort(key=lambda k: k.span[0])

    inspection = None
    if doc_code == "TB" and title and _title_res()[1].search(title):
        spans = [(lines[i].start, lines[i].end) for i in front.preamble]
        spans += [(lines[i].start, lines[i].end) for i in range(front.body_start, min(closing.body_end, front.body_start + 2))]
        sec_units = [kinds[s.line][1] for s in walk(roots)
                     if s.level == 2 and kinds[s.line][0] in ("results", "general") and kinds[s.line][1]]
        inspection = md.find_inspection(text, spans, cit_spans, [u for u in sec_units if u])

    signer = md.parse_signer([lines[i].text for i in closing.signature])
    recipients = [r for r, _ in closing.recipients]

    if raw.ocr_pages:
        number, date, ocr_warnings = _uncertain_digits(raw, number, date)
        warnings += ocr_warnings
    inked = any(p.number == 1 and p.colour for p in raw.ocr_pages)
    handwriting = any(w.startswith(("ocr_low_confidence: number.seq", "ocr_handwriting: number.seq")) for w in warnings)
    if number is not None and number.seq is None and not any(w.startswith("ocr_uncertain_number") for w in warnings):
        if handwriting:
            pass  # the handwritten field was read or refused by the digit reader; its warning says so
        elif inked:
            warnings.append(f"ocr_unread_ink: the number '{number.raw}' has no printed sequence and page 1 carries "
                            "coloured ink (a handwritten number?) that OCR does not read")
        else:
            why = "the file is signed, but no number was stamped" if raw.signatures else "unsigned draft?"
            warnings.append(f"number_blank_sequence: the number '{number.raw}' has no sequence ({why})")
    if date is not None and date.iso is None:
        warnings.append(f"date_partial: the issue date '{date.raw}' is incomplete")
    if front.type_line is None:
        warnings.append("no_type_line: no document type name (THÔNG BÁO, BÁO CÁO ...) found")
    if not front.header:
        warnings.append("no_header_block: no header block (issuing body, Số, national motto, place-date)")
    if not sections:
        warnings.append("no_sections: no numbered or upper-case headings found")

    place_unit = resolve_place(
        place, issuer=" ".join(x for x in (issuer.parent, issuer.name) if x) if issuer else None,
        text=text[:_PLACE_CONTEXT], year=date.year if date else None)

    text, signatures, sig_warnings = sg.attach(raw, text, norm.page_starts, signer=signer, issuer=issuer, date=date)
    warnings.extend(sig_warnings)

    return m.Notice(
        source=source, text=text, doc_type=doc_type, number=number, issuer=issuer, place=place,
        place_unit=place_unit, date=date,
        title=title, period=period, inspection=inspection, legal_basis=legal_basis, references=references,
        sections=sections, findings=findings, kpis=kpis, deadlines=deadlines, tables=tables, signer=signer,
        recipients=recipients, signatures=signatures, warnings=warnings, page_starts=norm.page_starts,
    )


_DIGITS = regex.compile(r"\d+")
_WHOLE = regex.compile(r"^\W*(\d+)(?:/(?=\p{L})|(\W*)$)")
"""An OCR word that is a number alone ("01", "2025,") or a document number's start ("02/TB-TKT"):
the date's and the number's own words. The digits of another word of the page (a cited date
"01/01/2024", a cited number "02/QĐ-BCĐ" against a date's month) are not the field's."""


def _uncertain_digits(
    raw: RawDocument, number: m.DocNumber | None, date: m.IssueDate | None
) -> tuple[m.DocNumber | None, m.IssueDate | None, list[str]]:
    """OCR digits read with low confidence: never a value, always a warning.

    The number's sequence and the date's day, month and year are left blank when the word OCR
    read them from was uncertain (the text keeps what was read, as evidence); other uncertain
    numbers are listed in one warning. A field's word is a word holding that number alone (or a
    number's ``NN/`` start): the same digits inside another word elsewhere on the page are not it.
    """
    from .readers.ocr import DIGIT_BLANK_CONFIDENCE

    uncertain: dict[str, float] = {}
    whole: dict[str, float] = {}
    for page in raw.ocr_pages:
        for word, conf in page.uncertain:
            for digits in _DIGITS.findall(word):
                uncertain[digits] = min(conf, uncertain.get(digits, 1.0))
            m = _WHOLE.match(word)
            if m:  # "01", "2025," (a date's own words) or "/"-keyed "02/TB-TKT" (a number's start)
                key = m[1] if m[2] is not None else "/" + m[1]
                whole[key] = min(conf, whole.get(key, 1.0))
    if not uncertain:
        return number, date, []
    warnings: list[str] = []
    if number is not None and number.seq is not None:
        seq_digits = _DIGITS.match(number.raw.lstrip())
        seq_key = next((k for k in (seq_digits[0], "/" + seq_digits[0]) if k in whole), None) if seq_digits else None
        if seq_digits and seq_key is not None:
            conf = whole.pop(seq_key)
            uncertain.pop(seq_digits[0], None)
            unsure = conf < DIGIT_BLANK_CONFIDENCE
            warnings.append(f"ocr_uncertain_number: the sequence of '{number.raw}' was read with confidence "
                            f"{conf:.2f}; " + ("it is left blank" if unsure else "check it"))
            if unsure:  # the text keeps what OCR read; the number does not claim it
                number = number.model_copy(update={"seq": None, "raw": number.raw.lstrip()[seq_digits.end():]})
    if date is not None:
        parts = {"day": date.day, "month": date.month, "year": date.year}
        blank = []
        for name, value in parts.items():
            if value is None:
                continue
            hit = next((d for d in _DIGITS.findall(date.raw) if int(d) == value and d in whole), None)
            if hit is None:
                continue
            conf = whole.pop(hit)
            uncertain.pop(hit, None)
            if conf < DIGIT_BLANK_CONFIDENCE:
                blank.append(f"{name} {hit} ({conf:.2f})")
                parts[name] = None
            else:
                warnings.append(f"ocr_uncertain_date: in '{date.raw}' OCR read {name} {hit} with confidence "
                                f"{conf:.2f}; check it")
        if blank:
            warnings.append(f"ocr_uncertain_date: in '{date.raw}' OCR read {', '.join(blank)} with low confidence; "
                            "left blank")
            date = date.model_copy(update={**parts, "iso": None})
    if uncertain:
        shown = ", ".join(f"'{d}' ({c:.2f})" for d, c in sorted(uncertain.items(), key=lambda kv: kv[1])[:8])
        warnings.append(f"ocr_uncertain_digits: {len(uncertain)} numbers read with low confidence: {shown}")
    return number, date, warnings


def _page(norm: NormText, offset: int) -> int | None:
    return m.page_at(norm.page_starts, offset)


def _line_units(roots: list[RawSection], kinds: dict[int, tuple[str, str | None]]) -> dict[int, str]:
    out: dict[int, str] = {}
    for sec in walk(roots):
        unit = kinds[sec.line][1]
        if unit:
            for i in sec.content:
                out[i] = unit
    return out


def _subject(title: str | None) -> str | None:
    """The body a document is about, from "... tại <body>" in its title."""
    if not title:
        return None
    mt = _title_res()[0].search(title)
    return collapse(mt.group("u")) if mt else None


def _section_model(sec: RawSection, lines: list[Line], kinds: dict[int, tuple[str, str | None]],
                   norm: NormText) -> m.Section:
    kind, unit = kinds[sec.line]
    ln = lines[sec.line]
    end = lines[sec.extra_lines[-1]].end if sec.extra_lines else ln.end
    paragraphs = [lines[i].text for i in sec.content if lines[i].table is None]
    if sec.run_in is not None:
        paragraphs.insert(0, ln.text[sec.run_in:])  # a run-in heading's text is its first paragraph
    return m.Section(
        label=sec.label, title=sec.title, level=sec.level, kind=kind,  # type: ignore[arg-type]
        unit=unit, paragraphs=paragraphs,
        children=[_section_model(c, lines, kinds, norm) for c in sec.children],
        span=(ln.start, end), page=_page(norm, ln.start),
    )


def warm() -> None:
    """Load and compile everything a parse needs (pattern data, regexes, the place index).

    Batch workers call it once, before the first file, so that no file pays the start-up cost;
    a fork after it shares the warm caches with every worker.
    """
    notice_from_text("THÔNG BÁO\nSố: 01/TB-UBND\nXã A, ngày 01 tháng 01 năm 2026\nI. TỒN TẠI\n- Còn 01 hồ sơ.")
    from .readers import docx, pdf  # noqa: F401  (import cost paid once)


def notice_from_text(text: str, *, path: str = "<text>") -> m.Notice:
    from .readers import nfc
    from .readers.txt import text_document

    data = text.encode("utf-8", errors="surrogatepass")
    raw = nfc(text_document(text))
    source = m.Source(path=path, format="txt", sha256=hashlib.sha256(data).hexdigest(), pages=None)
    return notice_from_raw(raw, source)


def notice_from_path(
    path: Path, *, password: str | None = None, ocr: OcrMode = "auto", trust_roots: TrustRoots = None
) -> m.Notice:
    from .readers import read_document

    result = read_document(path, password=password, ocr=ocr, trust_roots=trust_roots)
    raw = result.document
    return notice_from_raw(raw, _source(path, raw, result.sha256))


def _source(path: Path, raw: RawDocument, sha256: str) -> m.Source:
    ocr_pages = [p.number for p in raw.ocr_pages]
    text_source: Literal["text", "ocr", "mixed"] = "text"
    confidence = None
    if ocr_pages:
        text_source = "ocr" if raw.pages is not None and len(ocr_pages) >= raw.pages else "mixed"
        weighted = [(p.confidence, p.words) for p in raw.ocr_pages if p.confidence is not None and p.words]
        total = sum(n for _, n in weighted)
        confidence = round(sum(c * n for c, n in weighted) / total, 3) if total else None
    return m.Source(path=str(path), format=raw.format, sha256=sha256, pages=raw.pages,
                    text_source=text_source, ocr_pages=ocr_pages, ocr_confidence=confidence)
