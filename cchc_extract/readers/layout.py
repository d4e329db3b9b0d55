"""Page geometry for the PDF reader: characters -> words -> lines, column gutters, ruled tables.

All coordinates are PDF points in a top-left origin frame (``top`` grows downwards), as the page
is displayed (rotation already applied). Nothing here knows Vietnamese; the PDF reader decides
what a line means.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    space_before: bool = False
    """A space (real or one the PDF engine inferred) precedes this char in content order."""


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class Line:
    words: list[Word]
    top: float
    bottom: float
    baseline: float
    size: float

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return " ".join([w.text for w in self.words])

    def clusters(self, min_gap: float) -> list[tuple[float, float]]:
        """Horizontal extents of word runs separated by gaps wider than ``min_gap``."""
        out: list[tuple[float, float]] = []
        for w in self.words:
            if out and w.x0 - out[-1][1] <= min_gap:
                out[-1] = (out[-1][0], max(out[-1][1], w.x1))
            else:
                out.append((w.x0, w.x1))
        return out

    def first_cluster_end(self, min_gap: float) -> float:
        """Right edge of the first of :meth:`clusters` (without building the others)."""
        words = self.words
        end = words[0].x1
        for w in words[1:]:
            if not w.x0 - end <= min_gap:  # (NaN-safe: the same test as clusters())
                break
            end = max(end, w.x1)
        return end

    def split(self, x: float) -> tuple[Line | None, Line | None]:
        """The parts of this line left and right of the vertical ``x``."""
        left = [w for w in self.words if (w.x0 + w.x1) / 2 < x]
        right = [w for w in self.words if (w.x0 + w.x1) / 2 >= x]
        return _subline(self, left), _subline(self, right)


def _subline(line: Line, words: list[Word]) -> Line | None:
    if not words:
        return None
    return Line(words, min(w.top for w in words), max(w.bottom for w in words), line.baseline, line.size)


# --- characters -> lines -------------------------------------------------------------------------

SUPERSCRIPT_SIZE_RATIO = 0.8
"""A char this much smaller than its line and raised above the baseline is a superscript."""


def _median(values: Sequence[float]) -> float:
    """``statistics.median`` (same result) without its overhead; 0.0 for no values."""
    n = len(values)
    if not n:
        return 0.0
    data = sorted(values)
    i = n // 2
    if n % 2 == 1:
        return data[i]
    return (data[i - 1] + data[i]) / 2


_BASELINE = attrgetter("baseline")
_X0 = attrgetter("x0")


def build_lines(chars: Iterable[Char], *, drop_superscript_digits: bool = True) -> list[Line]:
    """Group chars into text lines (top to bottom) and words (left to right).

    Superscript digits (footnote references such as ``tỉnh²``) are dropped: they are raised,
    smaller chars glued to a word and would otherwise corrupt it ("tỉnh2").
    """
    ordered = sorted(chars, key=_BASELINE)
    clusters: list[list[Char]] = []
    cur: list[Char] = []
    ref = 0.0
    for c in ordered:
        base = c.baseline
        gap = 0.3 * c.size
        if cur and base - ref <= (gap if gap > 1.0 else 1.0):
            cur.append(c)
        else:
            cur = [c]
            clusters.append(cur)
            ref = base
    clusters = _merge_small_clusters(clusters)
    lines = []
    for cluster in clusters:
        line = _cluster_to_line(cluster, drop_superscript_digits)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda ln: (ln.baseline, ln.x0))
    return lines


def _cluster_stats(cluster: list[Char]) -> tuple[float, float, float, float]:
    """(largest size, median size, highest top, lowest bottom) of a cluster, in one pass."""
    first = cluster[0]
    size, top, bottom = first.size, first.top, first.bottom
    sizes = [first.size]
    for c in cluster[1:]:
        s = c.size
        sizes.append(s)
        if s > size:
            size = s
        if c.top < top:
            top = c.top
        if c.bottom > bottom:
            bottom = c.bottom
    return size, _median(sizes), top, bottom


def _merge_small_clusters(clusters: list[list[Char]]) -> list[list[Char]]:
    """Fold super/subscript fragments into the line they sit on (they overlap it vertically)."""
    out: list[list[Char]] = []
    stats: dict[int, tuple[float, float, float, float]] = {}  # id(cluster) -> stats, until it grows

    def get(cl: list[Char]) -> tuple[float, float, float, float]:
        st = stats.get(id(cl))
        if st is None:
            st = stats[id(cl)] = _cluster_stats(cl)
        return st

    for i, cur in enumerate(clusters):
        size, _, top, bottom = get(cur)
        mid = (top + bottom) / 2
        candidates = ([out[-1]] if out else []) + ([clusters[i + 1]] if i + 1 < len(clusters) else [])
        for other in candidates:
            _, median, other_top, other_bottom = get(other)
            if size < SUPERSCRIPT_SIZE_RATIO * median and other_top <= mid <= other_bottom:
                other.extend(cur)
                del stats[id(other)]
                break
        else:
            out.append(cur)
    return out


def _cluster_to_line(cluster: list[Char], drop_superscript_digits: bool) -> Line | None:
    size = _median([c.size for c in cluster])
    small = SUPERSCRIPT_SIZE_RATIO * size
    normal = [c for c in cluster if c.size >= small] or cluster
    baseline = _median([c.baseline for c in normal])
    raised = baseline - 0.2 * size
    gap = 0.2 * size
    words: list[Word] = []
    # The word being built: its chars' texts and running extents (what min()/max() over its
    # chars would give), and the previous char kept.
    texts: list[str] = []
    w_x0 = w_x1 = w_top = w_bottom = w_size = 0.0
    prev_text, prev_x0, prev_x1 = "", 0.0, 0.0
    dropped_x1: float | None = None
    for c in sorted(cluster, key=_X0):
        text = c.text
        c_size = c.size
        if (
            drop_superscript_digits
            and c_size < small
            and c.baseline < raised
            and (text.isdigit() or text in "*,)(")
        ):
            # Skip it, but measure the next gap from its right edge so "ngành¹." stays "ngành."
            dropped_x1 = c.x1
            continue
        x0, x1 = c.x0, c.x1
        if texts:
            if text == prev_text and abs(x0 - prev_x0) < 0.5 * max(prev_x1 - prev_x0, 0.5):
                continue  # the same glyph painted twice (fake bold): keep one
            right = prev_x1 if dropped_x1 is None else max(prev_x1, dropped_x1)
            if c.space_before or x0 - right > (0.2 * c_size if c_size > size else gap):
                word_text = "".join(texts)
                if word_text.strip():
                    words.append(Word(word_text, w_x0, w_x1, w_top, w_bottom, w_size))
                texts = [text]
                w_x0, w_x1, w_top, w_bottom, w_size = x0, x1, c.top, c.bottom, c_size
            else:
                texts.append(text)
                if x1 > w_x1:
                    w_x1 = x1
                if c.top < w_top:
                    w_top = c.top
                if c.bottom > w_bottom:
                    w_bottom = c.bottom
                if c_size > w_size:
                    w_size = c_size
        else:
            texts = [text]
            w_x0, w_x1, w_top, w_bottom, w_size = x0, x1, c.top, c.bottom, c_size
        prev_text, prev_x0, prev_x1 = text, x0, x1
        dropped_x1 = None
    if texts:
        word_text = "".join(texts)
        if word_text.strip():
            words.append(Word(word_text, w_x0, w_x1, w_top, w_bottom, w_size))
    if not words:
        return None
    top, bottom = words[0].top, words[0].bottom
    for w in words:
        if w.top < top:
            top = w.top
        if w.bottom > bottom:
            bottom = w.bottom
    return Line(words, top, bottom, baseline, size)


# --- column gutters ------------------------------------------------------------------------------


@dataclass(slots=True)
class Gutter:
    x0: float
    x1: float
    two_sided: int
    """How many lines have text on both sides of the gutter."""

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2


def find_gutter(
    lines: Sequence[Line], min_width: float, *, cluster_gap: float | None = None
) -> Gutter | None:
    """The widest vertical strip free of text across ``lines`` with text on both sides.

    Word runs inside one line whose gaps are narrower than ``cluster_gap`` (default
    ``min_width``) count as solid, so the spaces of a justified line never look like a gutter.
    """
    if not lines:
        return None
    gap = min_width if cluster_gap is None else cluster_gap
    spans = sorted(span for ln in lines for span in ln.clusters(gap))
    left_edge = min(s[0] for s in spans)
    right_edge = max(s[1] for s in spans)
    # Free intervals of the union of all spans, strictly inside the text block.
    free: list[tuple[float, float]] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_width:
            free.append((reach, x0))
        reach = max(reach, x1)
    best: Gutter | None = None
    for g0, g1 in free:
        if g0 <= left_edge or g1 >= right_edge:
            continue
        two = sum(1 for ln in lines if ln.x0 < g0 and ln.x1 > g1)
        if two == 0:
            continue
        cand = Gutter(g0, g1, two)
        if best is None or (cand.two_sided, cand.x1 - cand.x0) > (best.two_sided, best.x1 - best.x0):
            best = cand
    return best


# --- tables without rules (columns aligned by tabs or spaces) -------------------------------------

UNRULED_GAP_EMS = 1.5
"""A gap this many font sizes wide separates two columns (justified prose never has one)."""
UNRULED_MIN_ROWS = 3
UNRULED_LINE_GAP_EMS = 2.5
"""Lines further apart than this (baseline to baseline, in font sizes) are not one table."""
_NUMERIC_CHARS = frozenset("0123456789.,%/()-–+ ")


def _word_clusters(line: Line, gap: float) -> list[list[Word]]:
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 <= gap:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _numeric(words: list[Word]) -> bool:
    text = " ".join(w.text for w in words)
    return any(c.isdigit() for c in text) and all(c in _NUMERIC_CHARS for c in text)


def find_unruled_tables(lines: Sequence[Line]) -> list[tuple[int, int, list[list[str]]]]:
    """Runs of consecutive lines laid out in aligned columns without any rule: ``(first index,
    index after the last, rows of cell texts)``.

    A run holds lines of two or more word clusters (gaps of :data:`UNRULED_GAP_EMS` font sizes
    between them), with at most two single-cluster lines inside (a wrapped label). It is a table
    when at least :data:`UNRULED_MIN_ROWS` lines have three or more clusters and two of them hold
    a figure. Columns are the union of the cluster spans; a single-cluster line continues the
    previous row's cell in its column.
    """
    found: list[tuple[int, int, list[list[str]]]] = []
    cl = [_word_clusters(ln, UNRULED_GAP_EMS * ln.size) if ln.words else [] for ln in lines]
    i, n = 0, len(lines)
    while i < n:
        if len(cl[i]) < 2:
            i += 1
            continue
        j = i + 1
        singles = 0
        while j < n:
            if lines[j].baseline - lines[j - 1].baseline > UNRULED_LINE_GAP_EMS * lines[j].size:
                break
            if len(cl[j]) >= 2:
                singles = 0
            elif singles < 2 and j + 1 < n and len(cl[j + 1]) >= 2:
                singles += 1
            else:
                break
            j += 1
        rich = [k for k in range(i, j) if len(cl[k]) >= 3]
        with_figures = [k for k in rich if any(_numeric(c) for c in cl[k][1:])]
        if len(rich) >= UNRULED_MIN_ROWS and len(with_figures) >= 2:
            rows = _unruled_rows(cl[i:j])
            if rows is not None:
                found.append((i, j, rows))
        i = j
    return found


def _unruled_rows(clusters: list[list[list[Word]]]) -> list[list[str]] | None:
    spans = sorted((c[0].x0, c[-1].x1) for line in clusters if len(line) >= 2 for c in line)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 3:
        return None
    rows: list[list[str]] = []
    for line in clusters:
        cells = [""] * len(columns)
        for c in line:
            mid = (c[0].x0 + c[-1].x1) / 2
            k = next((k for k, (a, b) in enumerate(columns) if a - 1 <= mid <= b + 1), None)
            if k is None:
                return None
            text = " ".join(w.text for w in c)
            cells[k] = f"{cells[k]} {text}".strip()
        if len(line) == 1 and rows and not _numeric(line[0]):
            k = cells.index(next(t for t in cells if t))
            rows[-1][k] = f"{rows[-1][k]} {cells[k]}".strip()  # a wrapped cell
            continue
        rows.append(cells)
    return rows


# --- ruled tables (lattice) ----------------------------------------------------------------------

SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
MIN_EDGE_LENGTH = 3.0
INTERSECT_TOLERANCE = 3.0


@dataclass(slots=True)
class HEdge:
    y: float
    x0: float
    x1: float


@dataclass(slots=True)
class VEdge:
    x: float
    y0: float
    y1: float


@dataclass(slots=True)
class GridCell:
    x0: float
    top: float
    x1: float
    bottom: float
    row0: int = 0
    row1: int = 0
    col0: int = 0
    col1: int = 0


@dataclass(slots=True)
class Grid:
    """A ruled table: its cells and the row/column boundaries they share."""

    cells: list[GridCell]
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def shading_edges(
    rects: Sequence[tuple[float, float, float, float]], h: Sequence[HEdge], v: Sequence[VEdge]
) -> tuple[list[HEdge], list[VEdge]]:
    """Outlines of shaded cells that complete a ruled grid.

    A shaded cell's fill can cover the rule under it, so its outline counts as rules — but only
    when at least three of its sides already lie on rules; paragraph shading inset inside a cell
    would otherwise invent columns.
    """
    tol = SNAP_TOLERANCE
    by_y: dict[int, list[HEdge]] = {}
    for e in h:
        by_y.setdefault(int(e.y), []).append(e)
    by_x: dict[int, list[VEdge]] = {}
    for ve in v:
        by_x.setdefault(int(ve.x), []).append(ve)

    def on_h(y: float, x0: float, x1: float) -> bool:
        for k in range(int(y - tol), int(y + tol) + 1):
            for e in by_y.get(k, ()):
                if abs(e.y - y) <= tol and min(e.x1, x1) - max(e.x0, x0) >= 0.5 * (x1 - x0):
                    return True
        return False

    def on_v(x: float, y0: float, y1: float) -> bool:
        for k in range(int(x - tol), int(x + tol) + 1):
            for e in by_x.get(k, ()):
                if abs(e.x - x) <= tol and min(e.y1, y1) - max(e.y0, y0) >= 0.5 * (y1 - y0):
                    return True
        return False

    out_h: list[HEdge] = []
    out_v: list[VEdge] = []
    for x0, top, x1, bottom in rects:
        sides = on_h(top, x0, x1) + on_h(bottom, x0, x1) + on_v(x0, top, bottom) + on_v(x1, top, bottom)
        if sides >= 3:
            out_h += [HEdge(top, x0, x1), HEdge(bottom, x0, x1)]
            out_v += [VEdge(x0, top, bottom), VEdge(x1, top, bottom)]
    return out_h, out_v


def _snap(values: list[float], tol: float) -> dict[float, float]:
    """Map each value to the mean of its cluster (values within ``tol`` of the previous one)."""
    out: dict[float, float] = {}
    group: list[float] = []
    for v in sorted(set(values)):
        if group and v - group[-1] > tol:
            mean = sum(group) / len(group)
            out.update((g, mean) for g in group)
            group = []
        group.append(v)
    if group:
        mean = sum(group) / len(group)
        out.update((g, mean) for g in group)
    return out


def merge_edges(h: list[HEdge], v: list[VEdge]) -> tuple[list[HEdge], list[VEdge]]:
    """Snap nearly collinear rules together and join collinear pieces (pdfplumber's recipe)."""
    ys = _snap([e.y for e in h], SNAP_TOLERANCE)
    xs = _snap([e.x for e in v], SNAP_TOLERANCE)
    by_y: dict[float, list[HEdge]] = {}
    for e in h:
        by_y.setdefault(ys[e.y], []).append(HEdge(ys[e.y], e.x0, e.x1))
    by_x: dict[float, list[VEdge]] = {}
    for ve in v:
        by_x.setdefault(xs[ve.x], []).append(VEdge(xs[ve.x], ve.y0, ve.y1))
    out_h: list[HEdge] = []
    for group in by_y.values():
        group.sort(key=lambda e: e.x0)
        cur = group[0]
        for e in group[1:]:
            if e.x0 <= cur.x1 + JOIN_TOLERANCE:
                cur.x1 = max(cur.x1, e.x1)
            else:
                out_h.append(cur)
                cur = e
        out_h.append(cur)
    out_v: list[VEdge] = []
    for vgroup in by_x.values():
        vgroup.sort(key=lambda e: e.y0)
        vcur = vgroup[0]
        for ve in vgroup[1:]:
            if ve.y0 <= vcur.y1 + JOIN_TOLERANCE:
                vcur.y1 = max(vcur.y1, ve.y1)
            else:
                out_v.append(vcur)
                vcur = ve
        out_v.append(vcur)
    return (
        [e for e in out_h if e.x1 - e.x0 >= MIN_EDGE_LENGTH],
        [e for e in out_v if e.y1 - e.y0 >= MIN_EDGE_LENGTH],
    )


def find_grids(h_edges: list[HEdge], v_edges: list[VEdge]) -> list[Grid]:
    """Ruled tables from horizontal and vertical rules, top to bottom.

    Same algorithm as pdfplumber's "lines" strategy: intersections -> smallest enclosing
    cells -> groups of cells sharing corners. A grid of one cell is not a table.
    """
    h, v = merge_edges(h_edges, v_edges)
    if len(h) < 2 or len(v) < 2:
        return []
    tol = INTERSECT_TOLERANCE
    # point -> (ids of vertical edges through it, ids of horizontal edges through it)
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, ve in enumerate(v):
        for hi, he in enumerate(h):
            if ve.y0 - tol <= he.y <= ve.y1 + tol and he.x0 - tol <= ve.x <= he.x1 + tol:
                vs, hs = points.setdefault((ve.x, he.y), (set(), set()))
                vs.add(vi)
                hs.add(hi)
    if len(points) < 4:
        return []
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for lst in (*by_x.values(), *by_y.values()):
        lst.sort()

    def v_connects(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return bool(points[p][0] & points[q][0])

    def h_connects(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return bool(points[p][1] & points[q][1])

    cells: list[GridCell] = []
    for pt in sorted(points):
        x, y = pt
        below = [(x, yy) for yy in by_x[x] if yy > y]
        right = [(xx, y) for xx in by_y[y] if xx > x]
        found = None
        for b in below:
            if not v_connects(pt, b):
                continue
            for r in right:
                if not h_connects(pt, r):
                    continue
                br = (r[0], b[1])
                if br in points and v_connects(br, r) and h_connects(br, b):
                    found = GridCell(x, y, r[0], b[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return _group_cells(cells)


def _group_cells(cells: list[GridCell]) -> list[Grid]:
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_owner: dict[tuple[float, float], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            j = corner_owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[GridCell]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    grids = []
    for group in groups.values():
        if len(group) < 2:
            continue
        xs = sorted({c.x0 for c in group} | {c.x1 for c in group})
        ys = sorted({c.top for c in group} | {c.bottom for c in group})
        xi = {x: i for i, x in enumerate(xs)}
        yi = {y: i for i, y in enumerate(ys)}
        for c in group:
            c.col0, c.col1 = xi[c.x0], xi[c.x1]
            c.row0, c.row1 = yi[c.top], yi[c.bottom]
        grids.append(Grid(group, xs, ys))
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids
