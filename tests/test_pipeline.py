"""Whole-document behaviour on a district notice written in another office's style.

``tests/data/district_notice.txt`` is a hand-written sample (not a seed): a district UBND
header with both columns, a two-line title, arabic headings without Roman parts, ``+`` bullets
only, a letter-item requirements list, a ``KT.`` signature.
"""

from __future__ import annotations

from pathlib import Path

from cchc_extract import parse_notice

from .helpers import assert_spans_valid

SAMPLE = Path(__file__).parent / "data" / "district_notice.txt"


def test_district_notice_metadata() -> None:
    rec = parse_notice(SAMPLE)
    assert rec.doc_type is not None and rec.doc_type.code == "TB"
    assert rec.number is not None and (rec.number.seq, rec.number.type_code) == (215, "TB")
    assert rec.issuer is not None and rec.issuer.name == "ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC"
    assert rec.place == "Tân Lạc" and rec.date is not None and rec.date.iso == "2024-10-28"
    assert rec.title == ("Kết luận kiểm tra công tác cải cách hành chính năm 2024 "
                         "tại Ủy ban nhân dân xã Phong Phú")
    assert rec.period is not None and rec.period.year == 2024
    assert rec.inspection is not None and rec.inspection.dates == ["2024-10-18"]
    assert rec.inspection.units == ["UBND xã Phong Phú"]
    assert [r.number for r in rec.legal_basis] == ["45/KH-UBND"]
    assert rec.signer is not None and (rec.signer.authority, rec.signer.name) == ("KT. CHỦ TỊCH", "Bùi Văn Hưng")
    assert rec.recipients[-1] == "Lưu: VT, NV"


def test_district_notice_findings_kpis_deadlines() -> None:
    rec = parse_notice(SAMPLE)
    assert [(s.label, s.kind) for s in rec.sections] == [
        ("1", "strengths"), ("2", "limitations"), ("3", "recommendations"), ("4", "requirements")]
    kinds = [f.kind for f in rec.findings]
    assert kinds.count("limitation") == 3, "each '+' bullet without a '-' parent is its own finding"
    assert kinds.count("requirement") == 2 and kinds.count("recommendation") == 1
    kpis = [(k.value, k.unit, k.numerator, k.denominator, k.is_target) for k in rec.kpis]
    assert (98.7, "%", 1215, 1231, False) in kpis
    assert (50.0, "%", None, None, True) in kpis  # "thấp hơn chỉ tiêu của huyện (50%)"
    assert [d.date for d in rec.deadlines] == ["2024-11-15", "2024-11-30"]
    assert_spans_valid(rec.model_dump(mode="json"))


REPORT = Path(__file__).parent / "data" / "ward_report.txt"


def test_ward_report_half_year_tasks_and_targets() -> None:
    """A hand-written half-year report (not a seed): period half, tasks, causes, targets."""
    rec = parse_notice(REPORT)
    assert rec.doc_type is not None and rec.doc_type.code == "BC"
    assert rec.period is not None and (rec.period.year, rec.period.half) == (2025, 1)
    assert rec.inspection is None
    assert [(s.label, s.kind) for s in rec.sections] == [
        ("I", "results"), ("II", "limitations"), ("III", "tasks"), ("IV", "recommendations")]
    kinds = [f.kind for f in rec.findings]
    assert kinds == ["limitation", "limitation", "cause", "task", "task", "recommendation"]
    kpis = {(k.value, k.unit): k for k in rec.kpis}
    assert kpis[(99.87, "%")].numerator == 2398
    assert kpis[(80.0, "%")].is_target and kpis[(80.0, "%")].qualifier == "trên"
    assert kpis[(5.0, "phản ánh")].denominator == 5
    assert not kpis[(62.5, "%")].is_target
    assert [r.number for r in rec.legal_basis] == ["1520/SNV-CCHC"]
    assert [d.date for d in rec.deadlines] == ["2025-09-30"]
    assert rec.signer is not None and rec.signer.authority == "TM. ỦY BAN NHÂN DÂN"
    assert_spans_valid(rec.model_dump(mode="json"))
