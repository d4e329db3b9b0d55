"""Signed PDFs: the stamped number and day, stamp blocks, digital signatures and cross-checks.

The PDFs are built here (minipdf) and signed with throw-away certificates through pyHanko, as
an e-office system does: each signature an incremental update, the number and the day drawn
by signature widgets over the blanks of the header. Nothing touches the network.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from cchc_extract import model as m
from cchc_extract import parse_notice, parse_text
from cchc_extract.document import RawSignature
from cchc_extract.readers.pdf_signatures import read_signatures
from cchc_extract.signatures import cross_checks, kind_of

from .helpers import REALWORLD, SHARED, realworld_file

pytest.importorskip("pyhanko")
pytest.importorskip("pikepdf")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


FIXTURES = Path(__file__).parent / "fixtures"
minipdf = _load("minipdf", FIXTURES / "readers" / "minipdf.py")
signing = _load("signing", FIXTURES / "signing.py")

H = 842
NUMBER_X = 95 + minipdf.text_width("Số: ", 13)
DAY_X = 300 + minipdf.text_width("Xã An Bình, ngày ", 13)


def _draft(extra_lines: int = 0) -> bytes:
    pdf = minipdf.Pdf()
    p = pdf.page()
    p.text(85, 60, "UBND XÃ AN BÌNH", 13)
    p.text(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12)
    p.text(325, 78, "Độc lập - Tự do - Hạnh phúc", 13)
    p.text(95, 104, "Số:        /TB-UBND", 13)
    p.text(300, 104, "Xã An Bình, ngày      tháng 7 năm 2026", 13)
    p.text(268, 150, "THÔNG BÁO", 14)
    p.text(140, 168, "Kết luận kiểm tra công tác cải cách hành chính", 13)
    p.text(100, 200, "I. ĐÁNH GIÁ CHUNG", 13)
    p.text(100, 220, "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,6%.", 13)
    p.text(100, 240, "II. TỒN TẠI, HẠN CHẾ", 13)
    p.text(100, 260, "- Một số hồ sơ còn chậm cập nhật.", 13)
    p.text(70, 320, "Nơi nhận:", 12)
    p.text(360, 320, "CHỦ TỊCH", 13)
    p.text(70, 336, "- Lưu: VT.", 11)
    p.text(350, 400, "Trần Văn Bình", 13)
    return pdf.build()


def _box(x: float, baseline: float, width: int = 30) -> tuple[int, int, int, int]:
    return (int(x), int(H - baseline - 4), int(x) + width, int(H - baseline - 4) + 18)


@dataclass
class Kit:
    ca: object
    org: object
    person: object
    other_ca: object
    draft: bytes
    signed: bytes
    """Person signature (invisible), then the body's with the number and the day widgets."""


@pytest.fixture(scope="module")
def kit() -> Kit:
    ca = signing.make_ca()
    org = signing.issue(ca, "Ủy ban nhân dân xã An Bình", "Tỉnh Lâm Đồng", "ubnd@anbinh.example")
    person = signing.issue(ca, "Trần Văn Bình", "Ủy ban nhân dân xã An Bình", "binhtv@anbinh.example")
    draft = _draft()
    data = signing.sign(draft, person, "SignPerson")
    data = signing.sign(data, org, "Signature1", box=_box(NUMBER_X, 104), text="05")
    data = signing.sign(data, org, "Signature2", box=_box(DAY_X, 104, 20), text="06")
    return Kit(ca, org, person, signing.make_ca("Another CA"), draft, data)


def _parse(tmp_path: Path, data: bytes, name: str = "t.pdf", **kw: object) -> m.Notice:
    path = tmp_path / name
    path.write_bytes(data)
    return parse_notice(path, **kw)  # type: ignore[arg-type]


def test_stamped_number_and_day_are_read_from_signature_widgets(kit: Kit, tmp_path: Path) -> None:
    rec = _parse(tmp_path, kit.signed)
    assert rec.number is not None and rec.number.raw == "05/TB-UBND" and rec.number.seq == 5
    assert rec.date is not None and rec.date.iso == "2026-07-06"
    assert not any(w.startswith("number_blank_sequence") for w in rec.warnings)
    by_field = {s.field: s for s in rec.signatures}
    span = by_field["Signature1"].span
    assert span is not None and rec.text[span[0] : span[1]] == "05"


def test_unsigned_draft_keeps_its_blank_and_says_so(kit: Kit, tmp_path: Path) -> None:
    rec = _parse(tmp_path, kit.draft)
    assert rec.number is not None and rec.number.seq is None
    assert rec.signatures == []
    assert any(w.startswith("number_blank_sequence") and "unsigned draft" in w for w in rec.warnings)


def test_signed_file_without_a_stamped_number_is_told_apart(kit: Kit, tmp_path: Path) -> None:
    data = signing.sign(kit.draft, kit.org, "Signature1")  # an invisible signature: nothing stamped
    rec = _parse(tmp_path, data)
    assert rec.number is not None and rec.number.seq is None
    blank = [w for w in rec.warnings if w.startswith("number_blank_sequence")]
    assert blank and "signed" in blank[0] and "unsigned" not in blank[0]


def test_every_signature_field_is_reported_with_signer_time_and_integrity(kit: Kit, tmp_path: Path) -> None:
    rec = _parse(tmp_path, kit.signed)
    assert [s.field for s in rec.signatures] == ["SignPerson", "Signature1", "Signature2"]
    person, number, day = rec.signatures
    assert day.span is not None and rec.text[day.span[0] : day.span[1]] == "06"
    assert person.kind == "person" and person.signer == "Trần Văn Bình"
    assert person.organization == "Ủy ban nhân dân xã An Bình" and person.email == "binhtv@anbinh.example"
    assert number.kind == "organization" and number.signer == "Ủy ban nhân dân xã An Bình"
    for s in rec.signatures:
        assert s.intact is True and s.modified_after is False and s.trusted is None
        assert s.signed_at is not None and s.signed_at[-6] in "+-"  # ISO with its UTC offset
    assert [s.covers_whole_file for s in rec.signatures] == [False, False, True]
    # (signed today, the draft is dated 2026-07-06: only the date check may speak)
    assert not any(w.startswith("signature_") and "_date_" not in w for w in rec.warnings), rec.warnings


def test_text_edit_after_signing_is_flagged(kit: Kit, tmp_path: Path) -> None:
    edited = signing.edit_page_text(kit.signed, b"0 0 1 rg 100 100 200 20 re f")
    rec = _parse(tmp_path, edited)
    assert all(s.intact is True for s in rec.signatures)  # each signed revision is unmodified
    assert all(s.modified_after is True for s in rec.signatures)
    assert not any(s.covers_whole_file for s in rec.signatures)
    assert any(w.startswith("signature_modified_after_signing") for w in rec.warnings)


def test_a_later_signature_alone_is_no_modification(kit: Kit, tmp_path: Path) -> None:
    first = signing.sign(kit.draft, kit.person, "SignPerson")
    both = signing.sign(first, kit.org, "Signature1", box=_box(NUMBER_X, 104), text="05")
    sigs, warnings = read_signatures(both)
    assert [s.modified_after for s in sigs] == [False, False]
    assert [s.covers_whole_file for s in sigs] == [False, True]
    assert [s.intact for s in sigs] == [True, True]
    assert warnings == []


def test_corrupted_contents_is_not_intact(kit: Kit, tmp_path: Path) -> None:
    bad = signing.corrupt_contents(kit.signed, which=2)  # the last one: earlier ranges stay whole
    rec = _parse(tmp_path, bad)
    assert [s.intact for s in rec.signatures] == [True, True, False]
    assert any(w.startswith("signature_invalid") for w in rec.warnings)


def test_trust_roots_decide_trusted(kit: Kit, tmp_path: Path) -> None:
    roots = tmp_path / "roots.pem"
    roots.write_bytes(signing.pem(kit.ca))
    rec = _parse(tmp_path, kit.signed, trust_roots=roots)
    assert [s.trusted for s in rec.signatures] == [True, True, True]
    other = tmp_path / "other.pem"
    other.write_bytes(signing.pem(kit.other_ca))
    rec = _parse(tmp_path, kit.signed, trust_roots=str(other))
    assert [s.trusted for s in rec.signatures] == [False, False, False]


def test_stamp_block_widget_is_kept_out_of_header_and_body(kit: Kit, tmp_path: Path) -> None:
    # (pyHanko's built-in stamp font is WinAnsi: the stamp is written without tone marks)
    stamp = "Signed by: UBND xa An Binh\nTime: 09/07/2026 10:15:00"
    data = signing.sign(kit.signed, kit.org, "Signature3", box=(380, 760, 580, 800), text=stamp, font_size=7)
    rec = _parse(tmp_path, data)
    assert rec.date is not None and rec.date.iso == "2026-07-06"
    assert all("Signed by" not in ln for ln in [rec.title or "", *(rec.signer.lines if rec.signer else [])])
    assert all("2026-07-09" not in d.date for d in rec.deadlines)
    sig = next(s for s in rec.signatures if s.field == "Signature3")
    assert sig.span is not None and rec.text[sig.span[0] : sig.span[1]].startswith("Signed by: UBND")
    assert all(sig.span[0] >= s.span[1] for s in rec.sections)  # appended after the reading flow


def test_stamp_lines_in_a_text_copy_leave_the_flow() -> None:
    text = (
        "Ký bởi: Ủy ban nhân dân xã An Bình\nCơ quan: Tỉnh Lâm Đồng\nThời gian ký: 09/07/2026 10:15:00\n"
        "UBND XÃ AN BÌNH\nSố: 05/TB-UBND\nXã An Bình, ngày 06 tháng 7 năm 2026\nTHÔNG BÁO\n"
        "Kết luận kiểm tra công tác cải cách hành chính\nI. TỒN TẠI\n- Còn 01 hồ sơ trễ hạn.\n"
    )
    rec = parse_text(text)
    assert rec.number is not None and rec.number.seq == 5
    assert rec.date is not None and rec.date.iso == "2026-07-06"
    assert rec.issuer is not None and "Ký bởi" not in rec.issuer.name
    assert rec.text.rstrip().endswith("Thời gian ký: 09/07/2026 10:15:00")


def test_stamp_vocabulary_needs_its_opener() -> None:
    rec = parse_text("THÔNG BÁO\nCơ quan: Sở Nội vụ\nI. TỒN TẠI\n- Còn 01 hồ sơ.")
    assert "Cơ quan: Sở Nội vụ" in rec.text.split("I. TỒN TẠI")[0]


def _raw(cn: str, o: str | None = None) -> RawSignature:
    subject = {"common_name": cn}
    if o:
        subject["organization_name"] = o
    return RawSignature(field="f", signer=cn, subject=subject)


@pytest.mark.parametrize(
    ("cn", "org", "kind"),
    [
        ("Nguyễn Văn An", "Ủy ban nhân dân tỉnh", "person"),
        ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "organization"),
        ("SỞ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "organization"),
        ("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "ỦY BAN NHÂN DÂN TỈNH", "publisher"),
        ("Tổ công tác", "Tổ công tác", "organization"),
    ],
)
def test_kind_from_the_certificate(cn: str, org: str, kind: str) -> None:
    assert kind_of(_raw(cn, org)) == kind


def _sig(kind: str, cn: str, when: str) -> m.Signature:
    return m.Signature(field=cn, signer=cn, kind=kind, signed_at=when)  # type: ignore[arg-type]


def test_cross_checks_warn_without_editing() -> None:
    sigs = [_sig("person", "Lê Văn Cường", "2026-07-06T09:00:00+07:00"),
            _sig("organization", "Sở Tài chính", "2026-07-06T10:00:00+07:00")]
    signer = m.Signer(name="Trần Văn Bình")
    issuer = m.Issuer(name="UBND XÃ AN BÌNH")
    late = m.IssueDate(raw="ngày 08 tháng 7 năm 2026", day=8, month=7, year=2026, iso="2026-07-08")
    codes = [w.split(":")[0] for w in cross_checks(sigs, signer=signer, issuer=issuer, date=late)]
    assert codes == ["signature_signer_mismatch", "signature_issuer_mismatch", "signature_date_after_signing"]
    early = m.IssueDate(raw="ngày 01 tháng 5 năm 2026", day=1, month=5, year=2026, iso="2026-05-01")
    assert cross_checks(sigs, signer=None, issuer=None, date=early)[0].startswith("signature_date_long_before")
    good = [_sig("person", "Trần Văn Bình", "2026-07-06T09:00:00+07:00"),
            _sig("organization", "Ủy ban nhân dân xã An Bình", "2026-07-06T10:00:00+07:00")]
    same_day = m.IssueDate(raw="ngày 06 tháng 7 năm 2026", day=6, month=7, year=2026, iso="2026-07-06")
    assert cross_checks(good, signer=signer, issuer=issuer, date=same_day) == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.replace(b"/ByteRange [", b"/ByteRange [999999999 ", 1),
        lambda d: d[: len(d) * 2 // 3],
        lambda d: d.replace(b"/Contents <", b"/Contents <zz", 1),
        lambda d: d.replace(b"/FT /Sig", b"/FT /Sig /Kids [1 0 R 1 0 R]", 1),
        lambda d: d.replace(b"/ByteRange", b"/ByteRange [0 0 0 0] /Junk", 1),
    ],
)
def test_malformed_signature_data_warns_never_raises(kit: Kit, mangle: object) -> None:
    data = mangle(kit.signed)  # type: ignore[operator]
    sigs, warnings = read_signatures(data)
    assert isinstance(sigs, list) and isinstance(warnings, list)


def test_unsigned_files_are_not_opened_for_signatures() -> None:
    assert read_signatures(b"%PDF-1.7\n%%EOF") == ([], [])


# --- real files (skipped without ../shared) ------------------------------------------------------------


def test_realworld_h001_signatures_and_stamped_header() -> None:
    rec = parse_notice(realworld_file("h001.pdf"))
    assert rec.number is not None and rec.number.raw == "329/BC-UBND" and rec.number.seq == 329
    assert rec.date is not None and rec.date.day == 19
    assert rec.signer is not None and rec.signer.name == "Nguyễn Ngọc Phúc"
    assert len(rec.signatures) == 8 and all(s.intact for s in rec.signatures)
    assert all(s.signer and s.organization and s.signed_at for s in rec.signatures)
    assert "Nguyễn Ngọc Phúc" in {s.signer for s in rec.signatures if s.kind == "person"}
    assert not any(w.startswith(("signature_", "number_blank")) for w in rec.warnings), rec.warnings


def test_realworld_h004_and_h009_signatures() -> None:
    rec = parse_notice(realworld_file("h004.pdf"))
    assert rec.number is not None and rec.number.seq == 36 and rec.date is not None and rec.date.day == 2
    assert len(rec.signatures) == 4 and all(s.intact and s.modified_after is False for s in rec.signatures)
    data = realworld_file("h009.pdf").read_bytes()  # a scan: its signature is read from the bytes
    sigs, warnings = read_signatures(data)
    assert len(sigs) == 1 and sigs[0].intact and sigs[0].signed_at == "2025-11-13T15:53:50+07:00"
    assert warnings == []


def test_scans_carry_a_body_and_a_publisher_signature() -> None:
    scans = sorted((SHARED / "scans").glob("s*.pdf"))
    if not scans or not REALWORLD.exists():
        pytest.skip("../shared/scans not present")
    for path in scans:
        sigs, warnings = read_signatures(path.read_bytes())
        assert [kind_of(s) for s in sigs] == ["organization", "publisher"], path.name
        assert all(s.intact and s.signed_at for s in sigs) and warnings == [], path.name
        assert sigs[1].email and "@" in sigs[1].email


def test_cli_trust_roots_option(kit: Kit, tmp_path: Path) -> None:
    import json

    from cchc_extract.cli import main

    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(kit.signed)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(signing.pem(kit.ca))
    out = tmp_path / "out"
    assert main(["parse", str(pdf), "-o", str(out), "-q", "-j", "1", "--trust-roots", str(roots)]) == 0
    record = json.loads((out / "signed.json").read_text(encoding="utf-8"))
    assert [s["trusted"] for s in record["signatures"]] == [True, True, True]
    assert main(["parse", str(pdf), "-o", str(out), "-q", "--trust-roots", str(tmp_path / "none.pem")]) == 2
