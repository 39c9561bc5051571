"""The graph views as plain values: a report's plan as levels, a neighbourhood grown by expansions, filters by
class, groups beyond the cap, and the same HTML byte for byte for the same view."""

from __future__ import annotations

import json
import re

import pytest

from kg_build import explore, graphview
from kg_build.browse import Named, PlanNode
from kg_build.graphview import GraphView, ViewEdge, ViewNode
from kg_build.model.vocab import DATA_NS, POL_NS

SAMPLE_REPORT = f"{DATA_NS}report/shili-2026"
PILLAR = f"{SAMPLE_REPORT}/section/1/pillar/2"
R = "urn:r"


def plan() -> list[PlanNode]:
    """A report's plan by hand: a section with a pillar (two measures) and a measure right under it."""
    project = Named("urn:project/a", "滨海创新园", "Project")
    company = Named("urn:company/b", "星河公司", "Company")
    m1 = PlanNode("urn:m1", "抓项目建设", "Measure", named=[project, company])
    m2 = PlanNode("urn:m2", "促消费升级", "Measure", named=[project])  # named again: hangs from m1 only
    pillar = PlanNode("urn:p1", "扩大有效投资", "Pillar", children=[m1, m2])
    m3 = PlanNode("urn:m3", "优化营商环境", "Measure")
    section = PlanNode("urn:s1", "2026年工作安排", "Section", kind="PlanSection", children=[pillar, m3])
    return [section]


# (node, level, parent, link from the parent)
PLAN_LEVELS = [
    (R, 0, "", ""),
    ("urn:s1", 1, R, POL_NS + "hasSection"),
    ("urn:p1", 2, "urn:s1", POL_NS + "hasPillar"),
    ("urn:m1", 3, "urn:p1", POL_NS + "hasMeasure"),
    ("urn:project/a", 4, "urn:m1", POL_NS + "mentions"),
    ("urn:company/b", 4, "urn:m1", POL_NS + "mentions"),
    ("urn:m2", 3, "urn:p1", POL_NS + "hasMeasure"),
    ("urn:m3", 3, "urn:s1", POL_NS + "hasMeasure"),  # a measure right under a section sits with the measures
]


@pytest.mark.parametrize(("iri", "level", "parent", "via"), PLAN_LEVELS)
def test_the_plan_hierarchy_puts_each_rung_on_its_level(iri, level, parent, via):
    nodes, edges = graphview.plan_tree(plan(), R, "报告")
    node = next(n for n in nodes if n.id == iri)
    assert (node.level, node.parent, node.via) == (level, parent, via)
    assert (parent == "") == (ViewEdge(parent, iri, via) not in edges)


def test_the_plan_hierarchy_is_a_tree_in_document_order():
    nodes, edges = graphview.plan_tree(plan(), R, "报告")
    assert [n.id for n in nodes] == [row[0] for row in PLAN_LEVELS]  # each once, parents first, in the report's order
    assert len(edges) == len(nodes) - 1 and {e.target for e in edges} == {n.id for n in nodes} - {R}


# --- growing a neighbourhood ------------------------------------------------------------------------

LINKS = {
    "f": [("f", "p:a", "a"), ("b", "p:b", "f")],
    "a": [("f", "p:a", "a"), ("a", "p:c", "c"), ("a", "p:d", "d"), ("d", "p:e", "b")],
    "c": [("a", "p:c", "c"), ("c", "p:x", "x")],
    "x": [("c", "p:x", "x")],
}

# (expansions asked, nodes with their levels, expansions that took effect)
GROWTH = [
    ((), {"f": 0, "a": 1, "b": 1}, ()),
    (("a",), {"f": 0, "a": 1, "b": 1, "c": 2, "d": 2}, ("a",)),
    (("a", "c"), {"f": 0, "a": 1, "b": 1, "c": 2, "d": 2, "x": 3}, ("a", "c")),
    (("c",), {"f": 0, "a": 1, "b": 1}, ()),  # c is not in the view yet: nothing to expand
    (("c", "a"), {"f": 0, "a": 1, "b": 1, "c": 2, "d": 2}, ("a",)),  # expansions apply in the URL's order
    (("a", "a"), {"f": 0, "a": 1, "b": 1, "c": 2, "d": 2}, ("a",)),
]


@pytest.mark.parametrize(("expand", "levels", "done"), GROWTH)
def test_a_neighbourhood_grows_by_the_nodes_expanded(expand, levels, done):
    rows, links, took = graphview.grow("f", LINKS, expand)
    assert {n: level for n, level, *_ in rows} == levels
    assert took == done
    assert all(s in levels and o in levels for s, _, o in links)
    assert ("d", "p:e", "b") in links if "a" in done else True  # a link between two shown nodes is drawn


def test_a_neighbourhood_of_the_store_expands_and_reads_labels(sample_store):
    pillar = f"{SAMPLE_REPORT}/section/1/pillar/2"
    measure = f"{pillar}/measure/1"
    nodes, _, done = graphview.neighbourhood_view(sample_store, pillar)
    grown, grown_edges, grown_done = graphview.neighbourhood_view(sample_store, pillar, [measure])
    assert done == () and grown_done == (measure,)
    assert {n.id for n in nodes} < {n.id for n in grown}
    named = graphview.name_nodes(sample_store, grown)
    assert any(n.label == "星河<科技>&公司" and n.cls == "Company" and n.level == 2 for n in named)
    assert any(e.source == measure or e.target == measure for e in grown_edges)
    two, _, two_done = graphview.neighbourhood_view(sample_store, pillar, depth=2)
    assert measure in two_done and {n.id for n in grown} <= {n.id for n in two}


# --- filters -------------------------------------------------------------------------------------------

# (classes kept, nodes shown, the parent each hangs from, hidden counts)
FILTERS = [
    (None, 8, {"urn:project/a": "urn:m1"}, {}),
    ({"Section", "Pillar", "Measure", "Project", "Company"}, 8, {"urn:project/a": "urn:m1"}, {}),
    ({"Section", "Pillar", "Project"}, 4, {"urn:project/a": "urn:p1"}, {"Company": 1, "Measure": 3}),
    ({"Project"}, 2, {"urn:project/a": R}, {"Company": 1, "Measure": 3, "Pillar": 1, "Section": 1}),
    (set(), 1, {}, {"Company": 1, "Measure": 3, "Pillar": 1, "Project": 1, "Section": 1}),  # the root stays
]


@pytest.mark.parametrize(("keep", "count", "parents", "hidden"), FILTERS)
def test_a_class_filter_hangs_children_from_the_nearest_kept_ancestor(keep, count, parents, hidden):
    nodes, edges = graphview.plan_tree(plan(), R, "报告")
    shown, shown_edges, left = graphview.filter_classes(nodes, edges, keep)
    assert len(shown) == count and left == hidden
    assert {n.id: n.parent for n in shown if n.id in parents} == parents
    ids = {n.id for n in shown}
    assert all(e.source in ids and e.target in ids for e in shown_edges)
    assert all(ViewEdge(n.parent, n.id, n.via) in shown_edges for n in shown if n.parent)


# --- groups and the cap ------------------------------------------------------------------------------


def star(children: int, *, cls: str = "Project", grandchildren: int = 0) -> list[ViewNode]:
    """A root with ``children`` of one class, each with ``grandchildren`` measures."""
    nodes = [ViewNode("urn:root", "root", "Pillar", 0)]
    for i in range(children):
        nodes.append(ViewNode(f"urn:c{i:03}", f"c{i}", cls, 1, "urn:root", POL_NS + "mentions"))
        nodes += [
            ViewNode(f"urn:c{i:03}/g{j}", f"g{j}", "Measure", 2, f"urn:c{i:03}", POL_NS + "hasMeasure")
            for j in range(grandchildren)
        ]
    return nodes


def edges_of(nodes: list[ViewNode]) -> list[ViewEdge]:
    return [ViewEdge(n.parent, n.id, n.via) for n in nodes if n.parent]


# (children, per parent, cap, things drawn, groups and their counts, grouped, cut)
GROUPS = [
    (3, 6, 150, 4, [], {}, {}),
    (7, 6, 150, 8, [], {}, {}),  # one more than the limit: drawn, never a group of one
    (8, 6, 150, 7, [2], {"Project": 2}, {}),
    (40, 6, 150, 7, [34], {"Project": 34}, {}),
    (40, 6, 5, 4, [37], {"Project": 37}, {}),  # the cap lowers the limit to 3 per parent
    (40, 1, 150, 2, [39], {"Project": 39}, {}),
]


@pytest.mark.parametrize(("children", "per", "cap", "drawn", "groups", "grouped", "cut"), GROUPS)
def test_beyond_the_limit_children_become_one_group(children, per, cap, drawn, groups, grouped, cut):
    nodes = star(children)
    shown, edges, folded, left = graphview.group(
        nodes, edges_of(nodes), per_parent=per, cap=cap, more=lambda n, c: f"{n} more {c}"
    )
    things = [n for n in shown if not n.is_group]
    assert len(things) == drawn
    assert [g.count for g in shown if g.is_group] == groups
    assert [g.label for g in shown if g.is_group] == [f"{n} more Project" for n in groups]
    assert folded == grouped and left == cut
    assert sum(g.count for g in shown if g.is_group) + len(things) == len(nodes)  # every node drawn or counted
    assert all(ViewEdge("urn:root", g.id, POL_NS + "mentions") in edges for g in shown if g.is_group)
    assert [n.id for n in things[1:]] == [n.id for n in nodes[1 : drawn]]  # the first children, in order


def test_a_group_takes_its_members_subtrees_with_it():
    nodes = star(10, grandchildren=2)
    shown, _, grouped, _ = graphview.group(nodes, edges_of(nodes), per_parent=3)
    ids = {n.id for n in shown}
    assert "urn:c009" not in ids and "urn:c009/g0" not in ids and "urn:c000/g1" in ids
    assert grouped == {"Project": 7, "Measure": 14}  # the page counts what went with the group


def test_an_opened_group_shows_its_members():
    nodes = star(40)
    opened = [("urn:root", "Project")]
    shown, *_ = graphview.group(nodes, edges_of(nodes), opened=opened)
    assert len([n for n in shown if not n.is_group]) == 41 and not any(n.is_group for n in shown)
    many = star(graphview.OPENED_CAP + 10)
    shown, *_ = graphview.group(many, edges_of(many), opened=opened)
    assert [n.count for n in shown if n.is_group] == [10]


def test_the_spine_is_never_grouped_and_the_cap_cuts_the_deepest_first():
    nodes = star(30, cls="Pillar", grandchildren=3)
    shown, _, grouped, cut = graphview.group(nodes, edges_of(nodes), cap=100, spine=("Pillar",))
    assert sum(1 for n in shown if n.cls == "Pillar" and n.parent) == 30
    assert len(shown) == 91 and grouped == {"Measure": 60} and not cut  # under each pillar: one measure, one group
    shown, _, grouped, cut = graphview.group(nodes, edges_of(nodes), cap=20, spine=("Pillar",))
    assert len(shown) == 20 and cut and all(n.level <= 1 for n in shown)


@pytest.mark.parametrize(("parent", "cls"), [("urn:root", "Project"), (f"{DATA_NS}report/x-2026/section/1", "Measure")])
def test_a_group_id_names_its_parent_and_class(parent, cls):
    assert graphview.parse_group(graphview.group_id(parent, cls)) == (parent, cls)


@pytest.mark.parametrize("text", ["urn:x", "more:", "more:Project", "more::urn:x", f"{DATA_NS}project/a"])
def test_anything_else_is_not_a_group_id(text):
    assert graphview.parse_group(text) is None


# --- drawing: the same view, the same bytes ---------------------------------------------------------------


def render(store, view: str, start: str, **kwargs) -> str:
    if view == "hierarchy":
        nodes, edges = graphview.report_hierarchy(store, start)
        done: tuple[str, ...] = ()
    else:
        nodes, edges, done = graphview.neighbourhood_view(store, start, kwargs.pop("expand", ()))
    built = graphview.build_view(view, nodes, edges, expanded=done, **kwargs)
    built.nodes = graphview.name_nodes(store, built.nodes)  # as the page does: only the nodes drawn are named
    return graphview.graph_html(
        built, class_names={}, property_names={}, node_url="./graph?focus={iri}", group_url="./graph?open={id}"
    )


VIEWS = [
    ("hierarchy", SAMPLE_REPORT, {}),
    ("hierarchy", SAMPLE_REPORT, {"classes": ["Pillar", "Project"]}),
    ("hierarchy", SAMPLE_REPORT, {"per_parent": 1}),
    ("neighbourhood", SAMPLE_REPORT, {}),
    ("neighbourhood", PILLAR, {"expand": (f"{PILLAR}/measure/1",)}),
]


@pytest.mark.parametrize(("view", "start", "kwargs"), VIEWS)
def test_two_renders_of_a_view_are_byte_identical(sample_store, view, start, kwargs):
    first = render(sample_store, view, start, **dict(kwargs))
    again = render(sample_store, view, start, **dict(kwargs))
    assert first == again
    assert '"randomSeed": 7' in first  # the layout starts from the same seed too
    assert ('"hierarchical": {"blockShifting": true' in first) == (view == "hierarchy")


def test_the_bundled_reports_hierarchies_render_the_same_twice_and_stay_under_the_cap(built_store):
    for report in explore.reports(built_store):
        nodes, edges = graphview.report_hierarchy(built_store, report.iri)
        views = [graphview.build_view("hierarchy", nodes, edges) for _ in range(2)]
        assert views[0] == views[1]
        assert len(views[0].nodes) <= graphview.CAP
        drawn = sum(1 for n in views[0].nodes if not n.is_group)
        assert drawn + sum(views[0].grouped.values()) + sum(views[0].cut.values()) == len(nodes)  # all accounted for
        levels = {n.cls: n.level for n in views[0].nodes if n.cls in graphview.PLAN_LEVELS}
        assert all(levels[c] == graphview.PLAN_LEVELS[c] for c in levels), report.iri


HOSTILE = '</script><img src=x onerror=alert(1)>'


def test_labels_class_names_and_urls_are_escaped_in_the_page():
    view = GraphView(
        "hierarchy", R,
        nodes=[ViewNode(R, HOSTILE, "WorkReport", 0),
               ViewNode(graphview.group_id(R, "Project"), HOSTILE, "Project", 1, R, POL_NS + "mentions", count=3)],
        edges=[ViewEdge(R, graphview.group_id(R, "Project"), POL_NS + "mentions")],
    )
    page = graphview.graph_html(
        view, class_names={"Project": HOSTILE}, property_names={POL_NS + "mentions": HOSTILE},
        node_url=f"./graph?x={HOSTILE}&focus={{iri}}",
    )
    benign = graphview.graph_html(
        GraphView("hierarchy", R, nodes=[ViewNode(R, "r", "WorkReport", 0)]), class_names={}, property_names={}
    )
    assert HOSTILE not in page and "<img src=x" not in page
    for tag in ("<script", "</script", "<img"):
        assert page.count(tag) == benign.count(tag)  # no label, name or URL opened or closed an element


@pytest.mark.parametrize(
    ("kind", "per_level", "height"),
    [("neighbourhood", 100, 620), ("hierarchy", 3, 620), ("hierarchy", 50, 80 + int(50 * 30 * 0.8)),
     ("hierarchy", 1000, 3000)],
)
def test_a_hierarchy_gets_a_canvas_tall_enough_for_its_busiest_level(kind, per_level, height):
    nodes = [ViewNode(R, "r", "WorkReport", 0)] + [ViewNode(f"urn:{i}", "x", "Project", 1, R) for i in range(per_level)]
    assert graphview.canvas_height(GraphView(kind, R, nodes)) == height


def test_clicks_lead_where_the_view_says():
    view = GraphView(
        "neighbourhood", R,
        nodes=[ViewNode(R, "r", "WorkReport", 0), ViewNode("urn:a", "a", "Project", 1, R, "p:x"),
               ViewNode("urn:b", "b", "Project", 1, R, "p:x")],
        expanded=("urn:a",),
    )
    nodes, _ = graphview.network_data(view, class_names={}, property_names={})
    assert [n["go"] for n in nodes] == [False, False, True]  # the focus and an expanded node lead nowhere new
    page = graphview.graph_html(view, class_names={}, property_names={}, node_url="./graph?expand={iri}")
    assert re.search(r'"node": "\./graph\?expand=\{iri\}"', page)


# (label, as drawn): cut by width, a Chinese character two Latin letters wide; a pinyin name stays marked
SHORT_LABELS = [
    ("短名", "短名"),
    ("一二三四五六七八九十一二三四五六", "一二三四五六七八九十一二三四五六"),
    ("一二三四五六七八九十一二三四五六七", "一二三四五六七八九十一二三四五…"),
    ("Fujian Province Government Work Report 2026", "Fujian Province Government Wor…"),
    ("Zhi Ganhu (pinyin)", "Zhi Ganhu (pinyin)"),
    ("Zhi Ganhu Zhuanxiang Xingdong (pinyin)", "Zhi Ganhu Zhuanxiang X… (pinyin)"),
]


@pytest.mark.parametrize(("label", "drawn"), SHORT_LABELS)
def test_labels_are_cut_to_a_width_on_the_canvas(label, drawn):
    assert graphview.short_label(label) == drawn


# (neighbours and their classes, those expanded first at depth 2)
DRAWN_FIRST = [
    ({}, []),
    ({"urn:b": "Project", "urn:a": "Project"}, ["urn:a", "urn:b"]),
    ({"urn:p": "Project", "urn:m": "Measure", "urn:x": ""}, ["urn:m", "urn:p", "urn:x"]),  # CLASS_ORDER, untyped last
    ({f"urn:{i:02}": "Target" for i in range(30)}, [f"urn:{i:02}" for i in range(graphview.PER_PARENT + 1)]),
]


@pytest.mark.parametrize(("neighbours", "first"), DRAWN_FIRST)
def test_depth_two_expands_only_the_neighbours_a_view_draws(neighbours, first):
    assert graphview.drawn_first(neighbours) == first


# --- the page: its state read from the URL and written back ------------------------------------------------


def open_page(store, monkeypatch, params: dict):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "graph.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def shown(at) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


# (URL parameters, the URL after the run (what must be in it), words on the page)
PAGE_STATES = [
    ({"report": SAMPLE_REPORT}, {"view": "plan", "report": SAMPLE_REPORT}, ["从左到右"]),
    ({"report": SAMPLE_REPORT, "cls": ["Pillar", "Project"]}, {"view": "plan", "cls": ["Pillar", "Project"]},
     ["按类别筛选隐藏了"]),
    ({"focus": PILLAR, "expand": [f"{PILLAR}/measure/1"]},
     {"view": "hood", "focus": PILLAR, "depth": "1", "expand": [f"{PILLAR}/measure/1"]}, ["已展开的节点：1"]),
    ({"focus": PILLAR, "expand": ["not an iri"]}, {"view": "hood", "focus": PILLAR}, ["单击节点即展开"]),
    ({"report": SAMPLE_REPORT, "lang": "en"}, {"view": "plan", "lang": "en"}, ["Left to right"]),
]


@pytest.mark.parametrize(("params", "url", "words"), PAGE_STATES)
def test_the_page_reads_its_state_from_the_url_and_keeps_it_there(sample_store, monkeypatch, params, url, words):
    at = open_page(sample_store, monkeypatch, params)
    assert not at.exception, at.exception
    for name, value in url.items():
        assert as_list(at.query_params[name]) == as_list(value), name
    assert ("expand" in at.query_params) == ("expand" in url)  # a bad expansion is dropped, a good one kept
    assert all(word in shown(at) for word in words), shown(at)


def test_the_component_folder_loads_only_its_own_files():
    from importlib import resources

    folder = resources.files("kg_build").joinpath("static", graphview.GRAPH_VIEW_DIR)
    index = folder.joinpath("index.html").read_text(encoding="utf-8")
    loaded = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", index)
    assert sorted(loaded) == ["component.js", "graph.css", "graph.js", "vis-network.css", "vis-network.min.js"]
    assert all(folder.joinpath(name).is_file() for name in loaded)  # nothing from another host, nothing missing


@pytest.mark.parametrize(("view", "start", "kwargs"), VIEWS)
def test_the_one_file_page_draws_what_the_component_is_sent(sample_store, view, start, kwargs):
    if view == "hierarchy":
        nodes, edges = graphview.report_hierarchy(sample_store, start)
        done: tuple[str, ...] = ()
    else:
        nodes, edges, done = graphview.neighbourhood_view(sample_store, start, dict(kwargs).pop("expand", ()))
    built = graphview.build_view(view, nodes, edges, expanded=done,
                                 **{k: v for k, v in kwargs.items() if k != "expand"})
    sent = graphview.network_args(built, class_names={}, property_names={}, node_url="./graph?focus={iri}")
    page = graphview.graph_html(built, class_names={}, property_names={}, node_url="./graph?focus={iri}")
    drawn = {k: v for k, v in sent.items() if k not in ("kind", "legend")}
    assert f"kgDraw({graphview.script_json(drawn)});" in page
    assert f'data-view="{sent["kind"]}"' in page and f'<div id="kg-legend">{sent["legend"]}</div>' in page
    assert json.loads(json.dumps(sent)) == sent  # plain JSON: what Streamlit sends the component as is
