"""Body tables in Markdown text renderings that put every cell on its own lines between ``|``
lines (the law-library renderings of ``shared/corpus-real``)::

    |
    **TT**
    |
    **Chỉ tiêu**
    |
    ...
    |
    |
    1
    |
    Tỷ lệ hồ sơ ...

Each cell is opened by a ``|`` line and each row closed by one, so between two rows there are two
``|`` lines with nothing between them, and a row of N cells spans N + 1 bars. The column count is
not printed: it is the N under which the longest run of rows keeps every between-rows slot empty.
Only grids with at least three columns and a figure below the header become tables; the two-column
layout grids (issuing body | national motto, ``Nơi nhận`` | signature) stay lines, as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import regex

from ..document import Block, Paragraph, RawTable

_MAX_COLS = 20
_MAX_CELL_LINES = 40
"""A run of bars ends where more lines than this stand between two bars (prose, not a cell)."""
_MIN_ROWS = 2
_START_WINDOW = 24
_MERGED_CHAIN = 4
"""How many merged (short) rows in a row a grid may hold: group headings "III", "III.1", "III.1.1"."""
_DIGIT = regex.compile(r"\d")
_FIGURE = regex.compile(r"^[\d.,/%\s]+$")


def _is_bar(line: str) -> bool:
    return line.strip() == "|"


def _empty(slot: list[str]) -> bool:
    return not any(t.strip() for t in slot)


def _full(slots: Sequence[list[str]], p: int, n: int) -> bool:
    """A row of ``n`` cells at ``p``, closed by a bar and followed by an empty slot (or the end)."""
    return (p + n < len(slots) and _empty(slots[p + n])) or p + n == len(slots)


def _short(slots: Sequence[list[str]], p: int, n: int, depth: int) -> int | None:
    """Cells of a merged row at ``p`` ("I | Hoàn thiện thể chế" under a six-column header): the
    first empty slot ends it, provided the grid goes on after it (through at most ``depth``
    more merged rows)."""
    for k in range(1, min(n, len(slots) - p)):
        if _empty(slots[p + k]):
            q = p + k + 1
            if _full(slots, q, n) or (depth > 0 and _short(slots, q, n, depth - 1) is not None):
                return k
            return None
    return None


def _rows(slots: Sequence[list[str]], start: int, n: int) -> tuple[list[list[int]], float]:
    """The rows of ``n`` cells from slot ``start`` (each a list of slot indices) and a score: one
    per full row, half for a last row followed by prose, less two per merged row inside the grid
    (a wrong column count needs many of them). Each row is closed by a bar and followed by an
    empty slot before the next."""
    rows: list[list[int]] = []
    score = 0.0
    p = start
    while p + n <= len(slots):
        if _full(slots, p, n):
            rows.append(list(range(p, p + n)))
            score += 1
            p += n + 1
            continue
        k = _short(slots, p, n, _MERGED_CHAIN) if rows else None
        if k is None:
            rows.append(list(range(p, p + n)))  # the last row: prose follows its closing bar
            score += 0.5
            return rows, score
        rows.append(list(range(p, p + k)))
        score -= 2
        p += k + 1
    # A merged row may close the grid: the slots left before the run's last bar.
    rest = range(p, len(slots))
    if rows and 0 < len(rest) < n and not any(_empty(slots[k]) for k in rest):
        rows.append(list(rest))
    return rows, score


def _best(slots: Sequence[list[str]], start: int) -> tuple[int, list[list[int]], float]:
    """(columns, rows, score) of the best-scoring grid starting at ``start``; fewest columns on a
    tie."""
    best: tuple[int, list[list[int]], float] = (0, [], 0.0)
    for n in range(2, _MAX_COLS + 1):
        if start + n > len(slots):
            break
        rows, score = _rows(slots, start, n)
        if score > best[2]:
            best = (n, rows, score)
    return best


def _spread(row: list[str], n: int) -> tuple[list[str], list[bool]]:
    """A merged row over ``n`` columns, with its merge flags: a closing figure stays in the last
    column and the cell before it spans the gap ("Chỉ số cao nhất | 95,27%"), else the last cell
    spans to the end ("I | Hoàn thiện thể chế")."""
    k = len(row)
    if k >= n or k == 0:
        return row, [False] * len(row)
    if k >= 2 and _FIGURE.match(row[-1]):
        head = row[:-1]
        texts = head + [head[-1]] * (n - k) + [row[-1]]
        return texts, [False] * (k - 1) + [True] * (n - k) + [False]
    return row + [row[-1]] * (n - k), [False] * k + [True] * (n - k)


def _body_table(cells: list[list[str]]) -> bool:
    """At least three columns, a header row with few blanks (a grid read with a wrong column
    count puts blanks there), and a figure below it."""
    head = cells[0]
    blanks = sum(1 for c in head if not c)
    return (len(head) >= 3 and blanks <= max(1, len(head) // 4)
            and any(_DIGIT.search(c) for row in cells[1:] for c in row))


def split_pipe_tables(lines: list[str]) -> list[Block]:
    """One :class:`Paragraph` per line, with the body tables of a pipe rendering as
    :class:`RawTable` blocks (cell lines joined by ``\\n``; the normalizer joins them)."""
    blocks: list[Block] = []
    i = 0
    n_lines = len(lines)
    while i < n_lines:
        if not _is_bar(lines[i]):
            blocks.append(Paragraph(lines[i]))
            i += 1
            continue
        # A run: bars with at most _MAX_CELL_LINES lines between neighbours.
        bars = [i]
        j = i + 1
        while j < n_lines:
            k = j
            while k < n_lines and not _is_bar(lines[k]) and k - j < _MAX_CELL_LINES:
                k += 1
            if k < n_lines and _is_bar(lines[k]):
                bars.append(k)
                j = k + 1
            else:
                break
        slots = [lines[a + 1:b] for a, b in itertools.pairwise(bars)]
        emitted = i  # first line of the run not yet emitted
        s = 0
        while s < len(slots):
            # The grid may start a few bars in (a signature grid or a caption before it): the
            # start and column count giving the most rows win.
            found = [(t, *_best(slots, t)) for t in range(s, min(len(slots), s + _START_WINDOW))]
            top = max(found, key=lambda x: (x[3], -x[0], -x[1]))
            if top[3] < _MIN_ROWS or not top[2]:
                s += _START_WINDOW
                continue
            # The earliest start reaching the same last row with the same columns: a header row
            # followed by a merged one scores lower than a shifted start that swallows both.
            s, n, rows, _score = next(x for x in found if x[1] == top[1] and x[2] and x[2][-1] == top[2][-1]
                                      and x[3] >= top[3] - 3)
            cells = [["\n".join(t.strip() for t in slots[k] if t.strip()) for k in row] for row in rows]
            grid = [_spread(row, n) for row in cells]
            cells = [g[0] for g in grid]
            last_bar = rows[-1][-1] + 1  # the bar closing the last row
            if _body_table(cells):
                blocks.extend(Paragraph(t) for t in lines[emitted:bars[s]])
                blocks.append(RawTable(cells, merged=[g[1] for g in grid]))
                emitted = bars[last_bar] + 1
            s = last_bar + 1
        blocks.extend(Paragraph(t) for t in lines[emitted:bars[-1] + 1])
        i = bars[-1] + 1
    return blocks
