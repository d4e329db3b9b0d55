"""show: terminal summary, HTML evidence page (checked in headless Chromium when installed)."""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cchc_extract import parse_notice
from cchc_extract.model import Deadline, Finding, Kpi, Notice, Reference, Source
from cchc_extract.show import items, register, render_html, summary

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
        self.text: list[str] = []
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "pre":
            self.in_pre = True
        if tag == "mark" and self.in_pre:
            self.marks += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
        if tag == "pre":
            self.in_pre = False

    def handle_data(self, data: str) -> None:
        if self.in_pre:
            self.text.append(data)


def _check(page: str, record: Notice) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    assert c.stack == []
    assert "".join(c.text) == record.text  # every character once, in order, escaped correctly
    assert c.marks == len(items(record))
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


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_renders_in_headless_chromium(records: list[Notice], tmp_path: Path) -> None:
    rec = records[1]  # seed 001: references, KPIs, deadlines, findings, sections all present
    page = tmp_path / "evidence.html"
    page.write_text(render_html(rec), encoding="utf-8")
    base = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run([*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60).stdout
    assert "<main>" in dom
    marks = re.findall(r"<mark\b[^>]*>", dom)
    assert len(marks) == len(items(rec))
    for field in ("sections", "findings", "kpis", "references", "deadlines"):
        assert f'class="hl f-{field}"' in dom, field
    # The first KPI's evidence is inside its mark in the rendered DOM.
    k = rec.kpis[0]
    m = re.search(r'<mark id="kpis-0"[^>]*>(.*?)</mark>', dom, re.S)
    assert m and html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) == rec.text[k.span[0]:k.span[1]]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "show_evidence.png"
    shot.unlink(missing_ok=True)
    subprocess.run([*base, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri()],
                   capture_output=True, timeout=60, check=False)
    assert shot.is_file() and shot.stat().st_size > 10_000
