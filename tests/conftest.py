"""Shared fixtures: sample texts and small DOCX/PDF builders. Keep generic; tests own their cases."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from .helpers import CORPUS, SEEDS

SAMPLE_TEXT = """\
ỦY BAN NHÂN DÂN XÃ NGUYỄN LƯƠNG BẰNG
TỔ KIỂM TRA CÔNG TÁC CCHC
Số: 02/TB-TKT
Xã Nguyễn Lương Bằng, ngày 06 tháng 7 năm 2026
THÔNG BÁO
Kết luận kiểm tra công tác CCHC tại các cơ quan, đơn vị năm 2026
Thực hiện Kế hoạch số 55/KH-UBND ngày 05/02/2026 của UBND xã Nguyễn Lương Bằng.
I. KẾT QUẢ KIỂM TRA
1. Ưu điểm
- Tỷ lệ hồ sơ giải quyết trước hạn đạt 99,6% (3.067/3.080 hồ sơ).
2. Hạn chế
- Một số hồ sơ còn chậm cập nhật trên Hệ thống thông tin giải quyết TTHC.
II. YÊU CẦU
- Các đơn vị báo cáo kết quả khắc phục trước ngày 30/8/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. TỔ KIỂM TRA
TỔ TRƯỞNG
Nguyễn Văn A
"""


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    """Notice texts: the shared seeds when present, else one inline sample."""
    seeds = sorted(SEEDS.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in seeds] or [SAMPLE_TEXT]


@pytest.fixture(scope="session")
def readers_ready() -> set[str]:
    """Formats whose reader module exists (readers land at different times)."""
    return {fmt for fmt in ("txt", "docx", "pdf") if importlib.util.find_spec(f"cchc_extract.readers.{fmt}")}


DocxFactory = Callable[[Path, Sequence[str]], Path]


@pytest.fixture
def make_docx() -> DocxFactory:
    """``make_docx(path, paragraphs) -> path``: a real DOCX written by python-docx."""

    def build(path: Path, paragraphs: Sequence[str]) -> Path:
        import docx

        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(str(path))
        return path

    return build


def pdf_from_objects(objects: Sequence[bytes]) -> bytes:
    """Assemble a PDF from object bodies (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def text_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer holding ``lines`` (Latin-1 only)."""

    def escape(s: str) -> bytes:
        return s.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    shows = b" T* ".join(b"(%s) Tj" % escape(line) for line in lines)
    content = b"BT /F1 11 Tf 14 TL 56 780 Td " + shows + b" ET"
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


def image_pdf() -> bytes:
    """A one-page PDF whose only content is an 8x8 grey image (a 'scan' without text)."""
    pixels = bytes((x * 32 + y * 4) % 256 for y in range(8) for x in range(8))
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(b"q 400 0 0 400 98 221 cm /Im1 Do Q"),
            _stream(pixels, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 "),
        ]
    )


def _first_in_corpus(suffix: str) -> bytes | None:
    found = sorted(CORPUS.glob(f"*{suffix}"), key=lambda p: (p.stem.count("."), p.name))
    return found[0].read_bytes() if found else None


@pytest.fixture(scope="session")
def good_pdf() -> bytes:
    """A valid PDF with text: a ``corpus/*.pdf`` when present, else a handwritten one."""
    return _first_in_corpus(".pdf") or text_pdf(["THONG BAO", "Ket luan kiem tra cong tac CCHC nam 2026", "So: 02/TB-TKT"])


@pytest.fixture(scope="session")
def good_docx(sample_texts: list[str]) -> bytes:
    """A valid DOCX: a ``corpus/*.docx`` when present, else one written by python-docx."""
    found = _first_in_corpus(".docx")
    if found:
        return found
    import docx

    document = docx.Document()
    for line in sample_texts[0].splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
