"""show: terminal summary, HTML evidence page (checked in headless Chromium when installed)."""

from __future__ import annotations

import argparse
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cchc_extract import parse_notice
from cchc_extract.cli import main
from cchc_extract.model import Deadline, Finding, Kpi, Notice, Reference, Signature, Source, Table, TableCell
from cchc_extract.show import _tables, items, register, render_html, summary

ROOT = Path(__file__).resolve().parents[1]
CORPUS_TXT = sorted((ROOT / "corpus").glob("*.txt"))
ARTIFACTS = ROOT / "test-artifacts"


_VOID = frozenset({"meta", "input", "br"})


class _Checker(HTMLParser):
    """Checks tag balance inside <main> and rebuilds the text of the document pane."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.in_pre = False
        self.in_table = 0
        self.text: list[str] = []
        self.cells: list[str] = []
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "pre":
            self.in_pre = True
        if tag == "table" and self.in_pre:
            self.in_table += 1
        if tag == "td" and self.in_pre:
            self.cells.append("")
        if tag == "mark" and self.in_pre:
            self.marks += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
        if tag == "pre":
            self.in_pre = False
        if tag == "table" and self.in_pre:
            self.in_table -= 1

    def handle_data(self, data: str) -> None:
        if self.in_pre and self.in_table:
            self.cells[-1] += data
        elif self.in_pre:
            self.text.append(data)


def _check(page: str, record: Notice) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    assert c.stack == []
    # Outside the body tables, every character once, in order, escaped correctly; inside, each cell.
    drawn = [(a, b) for a, b, _ in _tables(record)]
    outside = "".join(record.text[a:b] for a, b in zip([0] + [e for _, e in drawn], [s for s, _ in drawn] + [len(record.text)], strict=True))
    assert "".join(c.text) == outside
    expected_cells = [record.text[cell.span[0]:cell.span[1]] if cell.span else cell.text
                      for _, _, i in _tables(record) for row in record.tables[i].rows for cell in row]
    assert c.cells == expected_cells
    assert c.marks == len(items(record))  # every item has exactly one mark
    return c


@pytest.fixture(scope="module")
def records() -> list[Notice]:
    return [parse_notice(p) for p in CORPUS_TXT]


def test_summary_mentions_the_essentials(records: list[Notice]) -> None:
    rec = records[1]
    text = summary(rec)
    assert rec.source.path in text and "KPIs" in text and "Limitations by unit" in text
    assert f"{len(rec.kpis)} KPIs" in text


def test_html_is_self_contained_and_balanced(records: list[Notice]) -> None:
    for rec in records:
        page = render_html(rec)
        _check(page, rec)
        assert not re.search(r"""(?:src|href)=["'](?!#)""", page)  # no external asset, only anchors
        chrome = re.sub(r"<pre.*?</pre>", "", page, flags=re.S)  # the document's own text may hold URLs
        assert "http://" not in chrome and "https://" not in chrome and "@import" not in chrome


def test_crossing_and_nested_spans_split_cleanly() -> None:
    text = "A <b>&</b> 12,5% tới 30/6/2026 end"
    rec = Notice(
        source=Source(path="x.txt", format="txt", sha256="0" * 64),
        text=text,
        findings=[Finding(kind="limitation", text=text[0:20], span=(0, 20))],
        kpis=[Kpi(value=12.5, unit="%", span=(11, 16)), Kpi(value=0, span=(15, 25))],  # crosses both
        references=[Reference(number="30/6", span=(21, 25))],
        deadlines=[Deadline(date="2026-06-30", raw="30/6/2026", text=text, span=(21, 30))],
    )
    page = render_html(rec)
    c = _check(page, rec)
    assert c.marks == 5
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page
    assert 'class="hl f-kpis cont"' in page or 'class="hl f-findings cont"' in page


def test_empty_and_out_of_range_spans() -> None:
    rec = Notice(
        source=Source(path="x.txt", format="txt", sha256="0" * 64),
        text="abc",
        kpis=[Kpi(value=1, span=(1, 1)), Kpi(value=2, span=(2, 99))],
    )
    c = _check(render_html(rec), rec)
    assert c.marks == 1  # the empty span still gets its mark; the out-of-range one is left out


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args: Any = parser.parse_args(["show", str(CORPUS_TXT[0])])
    assert args.func(args) == 0 and "counts" in capsys.readouterr().out
    out = tmp_path / "page.html"
    args = parser.parse_args(["show", str(CORPUS_TXT[0]), "--html", str(out)])
    assert args.func(args) == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    args = parser.parse_args(["show", str(tmp_path / "missing.txt")])
    assert args.func(args) == 1


# -- long reports: tables, pages, signatures, warnings -----------------------------------------


def _report() -> Notice:
    """A two-page record with a body table holding KPIs, a crossing finding, and signatures."""
    head = "BÁO CÁO\nKết quả công tác CCHC năm 2026\nI. KẾT QUẢ\nTỷ lệ hồ sơ đúng hạn đạt 97,5%.\n"
    rows = [["Chỉ tiêu", "Kết quả"], ["Hồ sơ đúng hạn", "98%"], ["Hồ sơ trễ hạn", "12 hồ sơ"]]
    text = head
    cells: list[list[TableCell]] = []
    table_start = len(text)
    for r, row in enumerate(rows):
        line: list[TableCell] = []
        for c, cell in enumerate(row):
            if c:
                text += " | "
            line.append(TableCell(text=cell, span=(len(text), len(text) + len(cell))))
            text += cell
        cells.append(line)
        text += "\n" if r < len(rows) - 1 else ""
    table_end = len(text)
    text += "\nII. HẠN CHẾ\n- Còn 12 hồ sơ trễ hạn <do> thiếu & chậm.\n"
    page2 = text.index("II. HẠN CHẾ")
    k1 = text.index("97,5%")
    k2, k3 = cells[1][1].span, cells[2][1].span
    assert k2 is not None and k3 is not None
    finding = text.index("Còn 12")
    return Notice(
        source=Source(path="report.pdf", format="pdf", sha256="cd" * 32, pages=2),
        text=text,
        page_starts=[0, page2],
        tables=[Table(rows=cells, span=(table_start, table_end), page=1)],
        kpis=[Kpi(label="Tỷ lệ hồ sơ đúng hạn", value=97.5, unit="%", span=(k1, k1 + 5), page=1),
              Kpi(label="Hồ sơ đúng hạn", value=98, unit="%", span=k2, page=1),
              Kpi(label="Hồ sơ trễ hạn", value=12, unit="hồ sơ", span=k3, page=1)],
        # A finding that starts before the table's last cell and runs past the page break.
        findings=[Finding(kind="limitation", text="trễ hạn", span=(k3[0], finding + 10), page=1)],
        signatures=[
            Signature(field="Sig1", signer="Nguyễn Văn A", kind="person", signed_at="2026-07-06T09:30:00+07:00",
                      intact=True, covers_whole_file=False, modified_after=True),
            Signature(field="Sig2", signer="Sở Nội vụ", kind="organization", intact=False),
        ],
        warnings=["signature_modified_after_signing: Sig1 changed after signing", "date_partial: no day"],
    )


def test_tables_pages_and_crossing_items() -> None:
    rec = _report()
    page = render_html(rec)
    c = _check(page, rec)
    assert c.cells == ["Chỉ tiêu", "Kết quả", "Hồ sơ đúng hạn", "98%", "Hồ sơ trễ hạn", "12 hồ sơ"]
    assert re.search(r'<td><mark id="kpis-1" class="hl f-kpis"[^>]*>98%</mark></td>', page)  # a KPI in its cell
    assert page.count('class="pg"') == 1 and 'data-page="2"' in page  # one marker per page break
    assert 'class="hl f-findings cont" data-of="findings-0"' in page  # the finding continues past the table
    assert "<table class=\"body-table\"" in page and " | " not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)


def test_signatures_and_warnings_at_the_top() -> None:
    rec = _report()
    page = render_html(rec)
    main_pane = page[page.index("<main>"):]
    assert main_pane.index('class="alert"') < main_pane.index('class="warnings"') < main_pane.index("<pre")
    assert "Do not rely on this file as signed" in page and "date_partial: no day" in main_pane
    assert "Who signed and when" in page and "MODIFIED after signing" in page and "BROKEN" in page
    text = summary(rec)
    sig_lines = [line for line in text.splitlines() if line.strip().startswith("signed")]
    assert len(sig_lines) == 2 and all("!!" in line for line in sig_lines)
    assert "2026-07-06T09:30:00+07:00" in sig_lines[0] and "BROKEN" in sig_lines[1]
    clean = rec.model_copy(update={"signatures": [rec.signatures[0].model_copy(update={"modified_after": False})],
                                   "warnings": []})
    assert 'class="alert"' not in render_html(clean) and "!!" not in summary(clean)


def test_a_no_text_record_is_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "notice.txt"
    src.write_bytes(CORPUS_TXT[1].read_bytes())
    out = tmp_path / "out"
    assert main(["parse", str(src), "-o", str(out), "--no-text", "-q"]) == 0
    record = out / "notice.json"
    assert main(["show", str(record)]) == 0 and "KPIs" in capsys.readouterr().out
    page = tmp_path / "p.html"
    assert main(["show", str(record), "--html", str(page)]) == 0
    assert "<mark" in page.read_text("utf-8")  # the text came back from the unchanged source
    src.write_text("changed", encoding="utf-8")
    assert main(["show", str(record), "--html", str(page)]) == 0
    assert "--no-text" in page.read_text("utf-8") and "<mark" not in page.read_text("utf-8")


def test_a_site_for_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "records"
    assert main(["parse", str(ROOT / "corpus"), "--glob", "00[01]_*.txt", "-o", str(out), "-q"]) == 0
    (out / "sub").mkdir()
    (out / "sub" / "report.json").write_text(_report().model_dump_json(), encoding="utf-8")
    (out / "other.json").write_text('{"not": "a record"}', encoding="utf-8")  # ignored
    (out / "broken.pdf").write_bytes(b"%PDF-1.4 cut")
    site = tmp_path / "site"
    assert main(["show", str(out), "--html", str(site)]) == 1  # one document failed
    index = (site / "index.html").read_text("utf-8")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) == 4 and "index.html" in pages and "sub/report.html" in pages, pages
    assert 'href="sub/report.html"' in index and "signature broken" in index and "failed: " in index
    assert "TB" in index and "2026-07-06" in index
    sub = (site / "sub" / "report.html").read_text("utf-8")
    assert 'href="../index.html"' in sub


# -- in a real browser ------------------------------------------------------------------------

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed (pip install '.[test]')")
    if CHROMIUM is None:
        pytest.skip("no chromium (apt-get install chromium)")
    return sync_playwright


def _long_record() -> Notice:
    """A 40-page report: the seed with the most items, repeated, with a page break every 1,500 chars."""
    from cchc_extract import parse_text

    seed = CORPUS_TXT[3].read_text(encoding="utf-8")
    text = "\n".join([seed] * 8)
    rec = parse_text(text)
    starts = list(range(0, len(rec.text), max(1, len(rec.text) // 40)))[:40]
    return rec.model_copy(update={"page_starts": starts, "tables": _report().tables[:0]})


def test_clicking_a_kpi_scrolls_to_its_evidence_and_filters_hide_kinds(tmp_path: Path) -> None:
    sync_playwright = _playwright()
    rec = _long_record()
    assert len(rec.kpis) > 50 and len(rec.findings) > 20
    page_file = tmp_path / "evidence.html"
    page_file.write_text(render_html(rec), encoding="utf-8")
    # Deep in the document (must scroll), with a label to search for.
    target = max(i for i, k in enumerate(rec.kpis) if k.label and len(k.label.split()) > 1)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(page_file.as_uri())
            assert page.locator("span.pg").count() == 39  # page markers from page_starts
            main_box = page.locator("main").bounding_box()
            mark = page.locator(f"#kpis-{target}")
            assert mark.bounding_box()["y"] > main_box["y"] + main_box["height"]  # not visible yet
            page.locator(f'aside a[data-target="kpis-{target}"]').click()
            page.wait_for_function(f"document.getElementById('kpis-{target}').classList.contains('current')")
            box = mark.bounding_box()
            assert main_box["y"] <= box["y"] and box["y"] + box["height"] <= main_box["y"] + main_box["height"]
            assert page.evaluate(f"getComputedStyle(document.getElementById('kpis-{target}')).outlineStyle") == "solid"
            assert mark.inner_text() == rec.text[rec.kpis[target].span[0]:rec.kpis[target].span[1]]

            # A filter hides the other kinds: their list and their highlighting.
            finding_link = page.locator('aside a[data-target="findings-0"]')
            assert finding_link.is_visible()
            for kind in ("findings", "references", "deadlines", "sections"):
                page.locator(f'.legend input[value="{kind}"]').uncheck()
            assert not finding_link.is_visible()
            assert page.locator('details[data-field="findings"]').is_hidden()
            bg = page.evaluate("getComputedStyle(document.getElementById('findings-0')).backgroundColor")
            assert bg in ("rgba(0, 0, 0, 0)", "transparent")
            assert page.locator(f'aside a[data-target="kpis-{target}"]').is_visible()

            # The search box narrows the list (accents optional).
            label = rec.kpis[target].label or ""
            word = max(label.split(), key=len)
            import unicodedata

            bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
            page.locator("input.search").fill(bare.replace("đ", "d").replace("Đ", "D"))
            shown = page.locator('details[data-field="kpis"] li:not(.hidden)').count()
            assert 0 < shown < len(rec.kpis)
            assert page.locator(f'aside a[data-target="kpis-{target}"]').is_visible()

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "show_evidence.png"))
        finally:
            browser.close()


def test_site_index_in_the_browser(tmp_path: Path) -> None:
    sync_playwright = _playwright()
    records = tmp_path / "records"
    records.mkdir()
    (records / "report.json").write_text(_report().model_dump_json(), encoding="utf-8")
    (records / "seed.json").write_text(parse_notice(CORPUS_TXT[0]).model_dump_json(), encoding="utf-8")
    assert main(["show", str(records), "--html", str(tmp_path / "site")]) == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.goto((tmp_path / "site" / "index.html").as_uri())
            assert page.locator("tbody tr").count() == 2
            page.locator("input.search").fill("report")
            assert page.locator("tbody tr:visible").count() == 1
            page.locator("a", has_text="report.json").click()
            page.wait_for_selector("main .alert")
            assert "Do not rely on this file as signed" in page.locator("main .alert").inner_text()
        finally:
            browser.close()
