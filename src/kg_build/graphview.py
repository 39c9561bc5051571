"""Graph views people can read, drawn by the vis-network the package ships (no CDN): as what the app's graph component
draws (``network_args``), or as one self-contained HTML page (``graph_html``).

Two views, each a tree with its extra links drawn too:

- a report's plan as a hierarchy (report → sections → pillars → measures → the things they name), laid out by
  vis-network's hierarchical layout, left to right, in document order;
- the neighbourhood of any node, grown node by node: the focus, its neighbours, and the neighbours of every node
  the reader expanded (``expand``, in the URL), laid out by physics from a fixed seed and then frozen.

Never a hairball: beyond ``per_parent`` children of one class under one parent, the rest become one node
("37 more projects"), and the whole view stays under ``cap`` nodes. Filters by class drop nodes and hang their
children from the nearest ancestor kept. Every step is a pure function of its input, in a fixed order, so the
same view gives the same JSON and HTML byte for byte, and the same layout on every load.

Every label is text from a document: it is escaped for HTML where HTML is made, and JSON is escaped for the
``<script>`` it sits in.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from rdflib import URIRef

from kg_build.browse import PlanNode, report_plan
from kg_build.explore import (
    CLASS_ORDER,
    PINYIN_MARK,
    Neighbourhood,
    _links,
    classes_of,
    first_sentences,
    iri_term,
    labels,
    local_name,
    primary_class,
)
from kg_build.model.vocab import POL_NS
from kg_build.normalize.breaks import display_width
from kg_build.store import LocalStore

CLASS_COLOURS: dict[str, str] = {
    "WorkReport": "#1f3864",
    "Section": "#5b9bd5",
    "Pillar": "#00838f",
    "Measure": "#80cbc4",
    "Target": "#c00000",
    "Achievement": "#70ad47",
    "QuantifiedStatement": "#ff7c80",
    "Indicator": "#ffc000",
    "Place": "#7030a0",
    "Project": "#ed7d31",
    "Platform": "#f4b183",
    "Initiative": "#bf9000",
    "Company": "#e91e63",
    "GovernmentBody": "#548235",
    "Organization": "#a9d18e",
    "Event": "#8d6e63",
    "Honor": "#b4a7d6",
    "HonorConferral": "#8e7cc3",
}
OTHER_COLOUR = "#a6a6a6"
FONT_FACE = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
LABEL_CHARS = 16
SENTENCE_CHARS = 160
ROW_PIXELS = 30  # a hierarchy's rows apart (vis-network's nodeSpacing)
FIT_SCALE = 0.8  # about the zoom at which a five-level hierarchy fits the page's width
SEED = 7  # vis-network's layout seed: the same start positions, so the same layout, on every load

# The rungs of a report's plan, in the hierarchy's levels (a column each); whatever they name, one column more.
PLAN_LEVELS: dict[str, int] = {"WorkReport": 0, "Section": 1, "Pillar": 2, "Measure": 3}
NAMED_LEVEL = 4
HAS = {"Section": POL_NS + "hasSection", "Pillar": POL_NS + "hasPillar", "Measure": POL_NS + "hasMeasure"}
MENTIONS = POL_NS + "mentions"
HAS_STATEMENT = POL_NS + "hasStatement"
HIERARCHY_SPINE = ("WorkReport", "Section", "Pillar")
PER_PARENT = 6  # children of one class under one parent shown before the rest become one node
CAP = 150  # nodes in a view, groups included
OPENED_CAP = 60  # children shown of a group the reader opened
GROUP_PREFIX = "more:"  # a group's id: more:<class>:<parent IRI>

OPTIONS: dict = {
    "autoResize": True,
    "layout": {"randomSeed": SEED, "improvedLayout": True},
    "nodes": {"shape": "dot", "size": 14, "font": {"size": 13, "face": FONT_FACE}, "borderWidth": 1},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#b0b0b0", "highlight": "#404040"},
        "font": {"size": 10, "color": "#767676", "face": FONT_FACE, "strokeWidth": 3, "align": "middle"},
        "smooth": False,
        "width": 1,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 130, "avoidOverlap": 0.6},
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25, "fit": True},
    },
}
HIERARCHY_OPTIONS: dict = {
    **OPTIONS,
    "layout": {
        "randomSeed": SEED,
        "hierarchical": {
            "enabled": True, "direction": "LR", "sortMethod": "directed", "shakeTowards": "roots",
            "levelSeparation": 220, "nodeSpacing": ROW_PIXELS, "treeSpacing": 60,
            "blockShifting": True, "edgeMinimization": True, "parentCentralization": True,
        },
    },
    "edges": {**OPTIONS["edges"], "smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                             "roundness": 0.4}},
    "physics": {"enabled": False},
}


# --- the view, as plain values ------------------------------------------------------------------


@dataclass(frozen=True)
class ViewNode:
    """A node of a view: a thing of the graph, or a group standing for ``count`` of them."""

    id: str
    label: str
    cls: str  # primary class local name ("" when untyped)
    level: int  # the hierarchy's rung, or hops from the focus
    parent: str = ""  # the node it hangs from ("" for the root)
    via: str = ""  # the link from its parent (a property IRI)
    sentence: str = ""  # the first sentence it was read from
    count: int = 0  # a group: the things it stands for
    first: str = ""  # a group: its first member (where the group stands in the order)

    @property
    def is_group(self) -> bool:
        return self.id.startswith(GROUP_PREFIX)


@dataclass(frozen=True)
class ViewEdge:
    source: str
    target: str
    property: str


@dataclass
class GraphView:
    """What one view draws, and what it left out: grouped (class → things folded into groups), hidden
    (class → things the filters hid), cut (class → things beyond the cap, not even grouped)."""

    kind: str  # "hierarchy" | "neighbourhood"
    root: str
    nodes: list[ViewNode] = field(default_factory=list)
    edges: list[ViewEdge] = field(default_factory=list)
    found: int = 0
    grouped: dict[str, int] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)
    cut: dict[str, int] = field(default_factory=dict)
    expanded: tuple[str, ...] = ()  # nodes whose neighbours are shown (the neighbourhood view)

    def classes(self) -> list[str]:
        return sorted({n.cls for n in self.nodes if n.cls}, key=class_key)


def class_key(cls: str) -> tuple[int, str]:
    return (CLASS_ORDER.index(cls) if cls in CLASS_ORDER else len(CLASS_ORDER), cls)


def group_id(parent: str, cls: str) -> str:
    return f"{GROUP_PREFIX}{cls}:{parent}"


def parse_group(text: str) -> tuple[str, str] | None:
    """(parent, class) of a group id, or None when it is not one."""
    if not text.startswith(GROUP_PREFIX):
        return None
    cls, sep, parent = text[len(GROUP_PREFIX):].partition(":")
    return (parent, cls) if sep and cls and parent else None


# --- a report's plan as a tree ------------------------------------------------------------------


def plan_tree(
    plan_sections: Sequence[PlanNode], report: str, report_label: str
) -> tuple[list[ViewNode], list[ViewEdge]]:
    """The report and its plan, in document order, as a tree: one node per thing, hung from the first part of
    the plan that names it (links to the others would cross the whole drawing). A rung is a level: report,
    sections, pillars, measures, then what they name (a measure right under a section is still a measure)."""
    nodes = [ViewNode(report, report_label, "WorkReport", 0)]
    edges: list[ViewEdge] = []
    seen = {report}

    def add(node: ViewNode) -> None:
        if node.id not in seen:
            seen.add(node.id)
            nodes.append(node)
            edges.append(ViewEdge(node.parent, node.id, node.via))

    def walk(part: PlanNode, parent: str) -> None:
        add(ViewNode(part.iri, part.label, part.cls, PLAN_LEVELS.get(part.cls, NAMED_LEVEL - 1), parent,
                     HAS.get(part.cls, "")))
        for child in part.children:
            walk(child, part.iri)
        for thing in part.named:
            add(ViewNode(thing.iri, thing.label, thing.cls, NAMED_LEVEL, part.iri, MENTIONS))

    for section in plan_sections:
        walk(section, report)
    return nodes, _unique_edges(edges)


def _unique_edges(edges: Iterable[ViewEdge]) -> list[ViewEdge]:
    return list(dict.fromkeys(e for e in edges if e.source != e.target))


def report_hierarchy(store: LocalStore, report: str, *, lang: str = "zh") -> tuple[list[ViewNode], list[ViewEdge]]:
    """A report's plan as a tree of nodes (before filters and grouping); empty when there is no such report."""
    plan = report_plan(store, report, lang=lang)
    if plan is None:
        return [], []
    title = labels(store, [URIRef(report)], lang=lang).get(report) or plan.title or report
    return plan_tree(plan.sections, report, title)


# --- a neighbourhood grown node by node ---------------------------------------------------------


def grow(
    focus: str, links: Mapping[str, Sequence[tuple[str, str, str]]], expand: Sequence[str]
) -> tuple[list[tuple[str, int, str, str]], list[tuple[str, str, str]], tuple[str, ...]]:
    """(node, level, parent, property) for the focus, its neighbours and those of each expanded node in turn,
    and every link among them. ``links[n]``: the (subject, property, object) links touching n. An expanded
    node not (yet) in the view is skipped; the expansions kept are returned, in order."""
    placed: dict[str, tuple[int, str, str]] = {focus: (0, "", "")}
    order = [focus]
    done: list[str] = []
    for node in (focus, *expand):
        if node not in placed or node in done:
            continue
        done.append(node)
        level = placed[node][0] + 1
        found = []
        for s, p, o in links.get(node, ()):
            other, prop = (o, p) if s == node else (s, p)
            if other != node and other not in placed:
                found.append((other, prop))
        for other, prop in sorted(set(found)):
            if other not in placed:
                placed[other] = (level, node, prop)
                order.append(other)
    rows = [(n, *placed[n]) for n in order]
    kept = set(placed)
    all_links = sorted({link for n in done for link in links.get(n, ()) if link[0] in kept and link[2] in kept})
    return rows, all_links, tuple(done[1:])


def neighbourhood_view(
    store: LocalStore, focus: str, expand: Sequence[str] = (), *, depth: int = 1
) -> tuple[list[ViewNode], list[ViewEdge], tuple[str, ...]]:
    """The focus, its neighbours and the neighbours of each expanded node, unnamed (before filters and grouping).
    ``depth`` 2: the focus's neighbours expanded first (those a view draws: the first PER_PARENT + 1 of each
    class, as ``group`` keeps them; a region's thousand neighbours are not all read). Returns the nodes, the
    edges and the expansions that took effect."""
    iri_term(focus)
    for iri in expand:
        iri_term(iri)
    links = _links_by_node(store, [focus])
    if depth == 2:  # the neighbours a view draws (at most PER_PARENT + 1 of a class), not the ones it would group
        first = sorted({o if s == focus else s for s, _, o in links[focus]} - {focus})
        kinds = classes_of(store, [URIRef(i) for i in first])
        expand = (*drawn_first({i: primary_class(kinds.get(i, ())) for i in first}), *expand)
    links.update(_links_by_node(store, [i for i in dict.fromkeys(expand) if i not in links]))
    rows, all_links, done = grow(focus, links, expand)
    classes = classes_of(store, [URIRef(n) for n, *_ in rows])
    primary = {n: primary_class(classes.get(n, ())) for n, *_ in rows}
    # Within a parent: by class (CLASS_ORDER), then IRI; the cap keeps the first of each class.
    rank = {n: (level, class_key(primary[n]), n) for n, level, *_ in rows}
    rows = sorted(rows, key=lambda r: rank[r[0]])
    nodes = [ViewNode(n, "", primary[n], level, parent, prop) for n, level, parent, prop in rows]
    return nodes, [ViewEdge(s, o, p) for s, p, o in all_links if s != o], done


def drawn_first(neighbours: Mapping[str, str], *, per_class: int = PER_PARENT + 1) -> list[str]:
    """Of a node's neighbours (IRI → class), those a view draws before grouping the rest: the first
    ``per_class`` of each class by IRI, classes in CLASS_ORDER."""
    by_class: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(neighbours):
        by_class[neighbours[iri]].append(iri)
    return [i for c in sorted(by_class, key=class_key) for i in by_class[c][:per_class]]


def _links_by_node(store: LocalStore, iris: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The links touching each IRI, read in batches."""
    wanted = set(iris)
    found: dict[str, list[tuple[str, str, str]]] = {i: [] for i in iris}
    if iris:
        for s, p, o in _links(store, list(iris)):
            for end in {s, o} & wanted:
                found[end].append((s, p, o))
    return found


def name_nodes(
    store: LocalStore, nodes: Sequence[ViewNode], *, lang: str = "zh", sentences: bool = True
) -> list[ViewNode]:
    """The nodes with their labels (where they have none) and first sentences read from the store; groups keep
    theirs. Named after grouping, only the nodes drawn are read (a region's hundreds of neighbours are not)."""
    things = [URIRef(n.id) for n in nodes if not n.is_group]
    names = labels(store, [t for t, n in zip(things, [n for n in nodes if not n.is_group]) if not n.label], lang=lang)
    said = first_sentences(store, [str(t) for t in things]) if sentences else {}
    return [
        n if n.is_group else replace(n, label=n.label or names.get(n.id, local_name(n.id)), sentence=said.get(n.id, ""))
        for n in nodes
    ]


# --- filters, groups and the cap ------------------------------------------------------------------


def filter_classes(
    nodes: Sequence[ViewNode], edges: Sequence[ViewEdge], keep: Iterable[str] | None
) -> tuple[list[ViewNode], list[ViewEdge], dict[str, int]]:
    """Only nodes of the kept classes (the root always stays); a dropped node's children hang from its nearest
    kept ancestor. ``keep`` None: all. Returns the nodes, the edges among them and the hidden counts by class."""
    if keep is None:
        return list(nodes), list(edges), {}
    wanted = set(keep)
    by_id = {n.id: n for n in nodes}
    root = nodes[0].id if nodes else ""
    kept_ids = {n.id for n in nodes if n.cls in wanted or n.id == root}
    hidden: dict[str, int] = defaultdict(int)
    for n in nodes:
        if n.id not in kept_ids:
            hidden[n.cls or "?"] += 1

    def ancestor(node: ViewNode) -> tuple[str, str]:
        parent, prop = node.parent, node.via
        while parent and parent not in kept_ids and parent in by_id:
            parent = by_id[parent].parent
        return parent, prop

    result = []
    for n in nodes:
        if n.id in kept_ids:
            parent, prop = ancestor(n) if n.parent else ("", "")
            result.append(replace(n, parent=parent, via=prop))
    kept_edges = [e for e in edges if e.source in kept_ids and e.target in kept_ids]
    kept_edges += [ViewEdge(n.parent, n.id, n.via) for n in result if n.parent]
    return result, _unique_edges(kept_edges), dict(sorted(hidden.items()))


def group(
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    *,
    per_parent: int = PER_PARENT,
    cap: int = CAP,
    opened: Iterable[tuple[str, str]] = (),
    spine: Iterable[str] = (),
    more: Callable[[int, str], str] = lambda count, cls: f"+{count} {cls}",
) -> tuple[list[ViewNode], list[ViewEdge], dict[str, int], dict[str, int]]:
    """Never a hairball: under each parent, the first ``per_parent`` children of each class are drawn and the
    rest become one group node labelled ``more(count, class)``; a node hidden in a group takes its whole subtree
    with it; never a group of one. ``opened`` (parent, class) pairs show up to OPENED_CAP; ``spine`` classes are
    never grouped. If the view still exceeds ``cap`` nodes, fewer per parent are drawn (down to one), then the
    deepest nodes are cut. Nodes come in tree order (a parent before its children), as the view functions give
    them.

    Returns the nodes, the edges, the grouped counts by class (members and what hangs from them) and the cut
    counts by class."""
    opened, spine = set(opened), frozenset(spine)
    for limit in sorted({per_parent, *(k for k in (4, 3, 2, 1) if k < per_parent)}, reverse=True):
        shown, groups, grouped = _fold(nodes, limit, opened, spine)
        if len(shown) + len(groups) <= cap:
            break
    everything = shown + groups
    everything.sort(key=lambda n: (n.level, _position(n, nodes)))
    kept, dropped = everything[:cap], everything[cap:]
    cut: dict[str, int] = defaultdict(int)
    for n in dropped:
        cut[n.cls or "?"] += n.count or 1
    kept_ids = {n.id for n in kept}
    # a parent cut takes its children with it
    final = [n for n in kept if not n.parent or n.parent in kept_ids]
    for n in kept:
        if n.parent and n.parent not in kept_ids:
            cut[n.cls or "?"] += n.count or 1
    final_ids = {n.id for n in final}
    final.sort(key=lambda n: _position(n, nodes))
    out_edges = [e for e in edges if e.source in final_ids and e.target in final_ids]
    out_edges += [ViewEdge(n.parent, n.id, n.via) for n in final if n.is_group and n.parent in final_ids]
    named = {n.id: n for n in final if n.is_group}
    for g in named.values():
        g_label = more(g.count, g.cls)
        named[g.id] = replace(g, label=g_label)
    final = [named.get(n.id, n) for n in final]
    return final, _unique_edges(out_edges), grouped, dict(sorted(cut.items()))


def _position(node: ViewNode, nodes: Sequence[ViewNode]) -> tuple[int, int]:
    """Where a node (or, for a group, its first member) stands in the input order."""
    index = _index_of(tuple(n.id for n in nodes))
    return (index.get(node.id, index.get(node.first, len(index))), 1 if node.is_group else 0)


@lru_cache(maxsize=8)
def _index_of(ids: tuple[str, ...]) -> dict[str, int]:
    return {i: k for k, i in enumerate(ids)}


def _fold(
    nodes: Sequence[ViewNode], limit: int, opened: set[tuple[str, str]], spine: frozenset[str] = frozenset()
) -> tuple[list[ViewNode], list[ViewNode], dict[str, int]]:
    """The nodes shown with ``limit`` children per (parent, class), and the groups standing for the others
    (never a group of one: a single extra child is drawn; never a group of a ``spine`` class)."""
    children: dict[tuple[str, str], int] = defaultdict(int)
    for n in nodes:
        children[(n.parent, n.cls)] += 1
    shown: list[ViewNode] = []
    shown_ids: set[str] = set()
    seen: dict[tuple[str, str], int] = defaultdict(int)
    members: dict[tuple[str, str], list[ViewNode]] = defaultdict(list)
    grouped: dict[str, int] = defaultdict(int)
    for n in nodes:
        if n.parent and n.parent not in shown_ids:
            grouped[n.cls or "?"] += 1  # its parent is in a group: the subtree goes with it
            continue
        key = (n.parent, n.cls)
        allowed = OPENED_CAP if key in opened else limit
        if not n.parent or n.cls in spine or children[key] <= allowed + 1 or seen[key] < allowed:
            seen[key] += 1
            shown.append(n)
            shown_ids.add(n.id)
        else:
            members[key].append(n)
            grouped[n.cls or "?"] += 1
    groups = [
        ViewNode(group_id(parent, cls), "", cls, items[0].level, parent, items[0].via, first=items[0].id,
                 count=len(items))
        for (parent, cls), items in members.items()
    ]
    return shown, groups, dict(sorted(grouped.items()))


def build_view(
    kind: str,
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    *,
    classes: Iterable[str] | None = None,
    opened: Iterable[tuple[str, str]] = (),
    per_parent: int = PER_PARENT,
    cap: int = CAP,
    more: Callable[[int, str], str] = lambda count, cls: f"+{count} {cls}",
    expanded: tuple[str, ...] = (),
) -> GraphView:
    """Filters, then groups and the cap: the view that is drawn. A hierarchy never groups its report,
    sections and pillars (its spine: a few dozen at most)."""
    root = nodes[0].id if nodes else ""
    kept, kept_edges, hidden = filter_classes(nodes, edges, classes)
    spine = HIERARCHY_SPINE if kind == "hierarchy" else ()
    shown, shown_edges, grouped, cut = group(
        kept, kept_edges, per_parent=per_parent, cap=cap, opened=opened, spine=spine, more=more
    )
    return GraphView(kind, root, shown, shown_edges, len(nodes), grouped, hidden, cut, expanded)


# --- drawing ---------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    """A file of the graph view's folder (vis-network's standalone build and its CSS, graph.js and graph.css)."""
    return resources.files("kg_build").joinpath("static", GRAPH_VIEW_DIR, name).read_text(encoding="utf-8")


GRAPH_VIEW_DIR = "graph-view"  # in kg_build/static: the app's graph component (index.html) and what it loads


_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``, no line separators)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


def short_label(label: str, *, limit: int = LABEL_CHARS) -> str:
    """A label cut to the width of ``limit`` Chinese characters (a Latin letter: half of one), with an ellipsis
    when cut: English and pinyin names get twice the letters."""
    room = 2 * limit
    if display_width(label, ambiguous=1) <= room:
        return label
    if label.endswith(PINYIN_MARK):  # a romanised name stays marked as such
        return short_label(label[: -len(PINYIN_MARK)], limit=limit - len(PINYIN_MARK) // 2) + PINYIN_MARK
    used, kept = 2, []  # the ellipsis takes a Chinese character's width
    for char in label:
        used += display_width(char, ambiguous=1)
        if used > room:
            break
        kept.append(char)
    return "".join(kept) + "…"


def colour_of(cls: str) -> str:
    return CLASS_COLOURS.get(cls, OTHER_COLOUR)


def tooltip_html(label: str, class_name: str, sentence: str) -> str:
    """The hover text of a node: label, class and source sentence, each escaped."""
    parts = [f"<b>{html.escape(label)}</b>"]
    if class_name:
        parts.append(f"<i>{html.escape(class_name)}</i>")
    if sentence:
        cut = sentence if len(sentence) <= SENTENCE_CHARS else sentence[: SENTENCE_CHARS - 1] + "…"
        parts.append(f"<span>{html.escape(cut)}</span>")
    return "<br>".join(parts)


def legend_html(classes: list[str], class_names: Mapping[str, str]) -> str:
    """A row of coloured dots with the (escaped) name of each class shown."""
    items = [
        f'<span class="kg-key"><span class="kg-dot" style="background:{colour_of(c)}"></span>'
        f"{html.escape(class_names.get(c, c or '?'))}</span>"
        for c in classes
    ]
    return "".join(items)


def from_neighbourhood(hood: Neighbourhood) -> GraphView:
    """An explore.Neighbourhood drawn as a view (no grouping: it was capped when read)."""
    nodes = [ViewNode(n.iri, n.label, n.cls, n.level, sentence=n.sentence) for n in hood.nodes]
    edges = [ViewEdge(e.source, e.target, e.property) for e in hood.edges]
    return GraphView("neighbourhood", hood.focus, nodes, edges, hood.found, cut=dict(hood.left_out))


def canvas_height(view: GraphView, *, least: int = 620, most: int = 3000) -> int:
    """Pixels for the canvas: a hierarchy gets room for its busiest level (a label a line), so it is read
    without zooming; other views the least."""
    if view.kind != "hierarchy" or not view.nodes:
        return least
    busiest = max(sum(1 for n in view.nodes if n.level == level) for level in {n.level for n in view.nodes})
    return max(least, min(most, 80 + int(ROW_PIXELS * FIT_SCALE * busiest)))


def network_data(
    view: GraphView, *, class_names: Mapping[str, str], property_names: Mapping[str, str], hints: Mapping[str, str] = {}
) -> tuple[list[dict], list[dict]]:
    """vis-network nodes and edges, in the view's order; edges labelled with the property's name.

    ``hints``: extra tooltip lines by role ("group", "expand", "expanded")."""
    hierarchy = view.kind == "hierarchy"
    nodes = []
    for n in view.nodes:
        focus = n.id == view.root
        name = class_names.get(n.cls, n.cls)
        hint = hints.get("group" if n.is_group else ("expanded" if n.id in view.expanded or focus else "expand"), "")
        node = {
            "id": n.id,
            "label": short_label(n.label),
            "title": tooltip_html(n.label, name, n.sentence if not n.is_group else "") + (
                f"<br><small>{html.escape(hint)}</small>" if hint else ""),
            "color": colour_of(n.cls),
            "shape": "box" if n.is_group else "dot",
            "size": 24 if focus else (16 if n.level <= 1 else 11),
            "borderWidth": 3 if focus or n.id in view.expanded else 1,
            "group_of": n.count,
            "go": hierarchy or not (focus or n.id in view.expanded),  # a click leads somewhere new
        }
        if n.is_group:
            node["font"] = {"color": "#ffffff"}
            node["shapeProperties"] = {"borderDashes": [4, 3]}
        if hierarchy:  # a box with the label inside: rows of text, read down each level
            node["level"] = n.level
            node["shape"] = "box"
            node["color"] = {"background": "#ffffff" if not n.is_group else "#f2f2f2", "border": colour_of(n.cls)}
            node["borderWidth"] = 3 if focus else 2
            node["font"] = {"color": "#262730"}
            node["margin"] = 5
        nodes.append(node)
    edges = [
        {"from": e.source, "to": e.target, "label": property_names.get(e.property, local_name(e.property)),
         "title": property_names.get(e.property, e.property)}
        for e in view.edges
    ]
    return nodes, edges


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>{vis_css}</style>
<style>{graph_css}</style>
<script>{vis_js}</script>
<script>{graph_js}</script>
</head><body data-view="{kind}">
<div id="kg-legend">{legend}</div>
<div id="kg-network"></div>
<script>kgDraw({view});</script>
</body></html>
"""


def network_args(
    view: GraphView | Neighbourhood,
    *,
    class_names: Mapping[str, str],
    property_names: Mapping[str, str],
    height: int | None = None,
    entity_url: str = "./entity?iri={iri}",
    node_url: str = "",
    group_url: str = "",
    hints: Mapping[str, str] = {},
) -> dict:
    """What static/graph-view/graph.js draws (``kgDraw``): the view's nodes, edges, options, canvas height and links,
    its kind and its legend (HTML, escaped). JSON, the same for the same view.

    A double-click on a node opens ``entity_url``; a click goes to ``node_url`` (a node, ``{iri}`` standing for
    its IRI: expand it, or open its neighbourhood) or ``group_url`` (a group, ``{id}`` for its id: open it).
    """
    if isinstance(view, Neighbourhood):
        view = from_neighbourhood(view)
    nodes, edges = network_data(view, class_names=class_names, property_names=property_names, hints=hints)
    return {
        "kind": view.kind,
        "legend": legend_html(view.classes(), class_names),
        "nodes": nodes,
        "edges": edges,
        "urls": {"entity": entity_url, "node": node_url, "group": group_url},
        "options": HIERARCHY_OPTIONS if view.kind == "hierarchy" else OPTIONS,
        "height": int(height if height is not None else canvas_height(view)),
        "group_prefix": GROUP_PREFIX,
    }


def graph_html(view: GraphView | Neighbourhood, **kwargs: object) -> str:
    """One HTML page that draws the view with no request to any other host; the same view, the same bytes.

    vis-network and graph.js inlined, with the view (``network_args``; the same arguments) as JSON made safe for
    a ``<script>``. The app draws the same view as a component that fetches those files once (``GRAPH_VIEW_DIR``).
    """
    view_args = network_args(view, **kwargs)  # type: ignore[arg-type]
    kind, legend = view_args.pop("kind"), view_args.pop("legend")
    return _PAGE.format(
        vis_css=_static("vis-network.css"),
        graph_css=_static("graph.css"),
        vis_js=_static("vis-network.min.js"),
        graph_js=_static("graph.js"),
        kind=html.escape(kind),
        legend=legend,
        view=script_json(view_args),
    )


def entity_link(iri: str, *, base: str = "/entity") -> str:
    """The app's entity page for an IRI."""
    return f"{base}?iri={quote(iri, safe='')}"
