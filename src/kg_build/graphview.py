"""A neighbourhood as one self-contained HTML page (pyvis nodes and edges, vis-network inlined, no CDN).

pyvis collects the nodes and edges; the page around them is our own template, because pyvis's
templates link Bootstrap and vis-network from CDNs and ``write_html``/``show`` write ``lib/`` into the
working directory. Every label is text from a document: it is escaped for HTML where HTML is made,
and JSON is escaped for the ``<script>`` it sits in.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from kg_build.explore import CLASS_ORDER, Neighbourhood

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

OPTIONS: dict = {
    "autoResize": True,
    "nodes": {"shape": "dot", "size": 14, "font": {"size": 13, "face": FONT_FACE}, "borderWidth": 1},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#b0b0b0", "highlight": "#404040"},
        "smooth": False,
        "width": 1,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25, "fit": True},
    },
}


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    """A file shipped in kg_build/static (vis-network's standalone build and its CSS)."""
    return resources.files("kg_build").joinpath("static", name).read_text(encoding="utf-8")


_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``, no line separators)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


def short_label(label: str, *, limit: int = LABEL_CHARS) -> str:
    """A label cut to ``limit`` characters, with an ellipsis when cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


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


def network_data(
    hood: Neighbourhood,
    *,
    class_names: Mapping[str, str],
    property_names: Mapping[str, str],
) -> tuple[list[dict], list[dict]]:
    """vis-network nodes and edges for a neighbourhood, collected with pyvis."""
    from pyvis.network import Network  # noqa: PLC0415 - heavy import, only the graph view needs it

    net = Network(directed=True, cdn_resources="in_line")
    for node in hood.nodes:
        focus = node.iri == hood.focus
        net.add_node(
            node.iri,
            label=short_label(node.label),
            title=tooltip_html(node.label, class_names.get(node.cls, node.cls), node.sentence),
            color=colour_of(node.cls),
            size=24 if focus else (16 if node.level == 1 else 11),
            borderWidth=3 if focus else 1,
        )
    for edge in hood.edges:
        net.add_edge(edge.source, edge.target, title=property_names.get(edge.property, edge.property))
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; padding: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; font-size: 13px; color: #262730; background: #fff; }}
#kg-legend {{ display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 4px 2px 8px 2px; }}
.kg-key {{ display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }}
.kg-dot {{ width: 11px; height: 11px; border-radius: 50%; display: inline-block; }}
* {{ box-sizing: border-box; }}
#kg-network {{ width: 100%; height: {height}px; border: 1px solid #e6e6e6; border-radius: 6px; }}
div.vis-tooltip {{ max-width: 380px; white-space: normal; font-family: inherit; font-size: 13px;
  line-height: 1.45; padding: 6px 8px; background: #fffef5; }}
div.vis-tooltip i {{ color: #666; }}
</style>
<script>{vis_js}</script>
</head><body>
<div id="kg-legend">{legend}</div>
<div id="kg-network"></div>
<script>
(function () {{
  var nodes = {nodes};
  var edges = {edges};
  nodes.forEach(function (n) {{
    if (n.title) {{ var d = document.createElement("div"); d.innerHTML = n.title; n.title = d; }}
  }});
  var options = {options};
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {{ nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }}, options);
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{ physics: false }});
    document.body.setAttribute("data-stable", "1");
  }});
  network.on("doubleClick", function (p) {{
    if (p.nodes.length) {{ window.open({entity_url}.replace("{{iri}}", encodeURIComponent(p.nodes[0])), "_blank"); }}
  }});
  window.kgNetwork = network;
}})();
</script>
</body></html>
"""


def graph_html(
    hood: Neighbourhood,
    *,
    class_names: Mapping[str, str],
    property_names: Mapping[str, str],
    height: int = 620,
    entity_url: str = "./entity?iri={iri}",
) -> str:
    """One HTML page that draws the neighbourhood with no request to any other host.

    ``entity_url`` is where a double-click on a node goes, ``{iri}`` standing for the node's IRI.
    """
    nodes, edges = network_data(hood, class_names=class_names, property_names=property_names)
    present = sorted({n.cls for n in hood.nodes}, key=lambda c: (CLASS_ORDER.index(c) if c in CLASS_ORDER else 99, c))
    return _PAGE.format(
        vis_css=_static("vis-network.css"),
        vis_js=_static("vis-network.min.js"),
        height=int(height),
        legend=legend_html(present, class_names),
        nodes=script_json(nodes),
        edges=script_json(edges),
        options=script_json(OPTIONS),
        entity_url=script_json(entity_url),
    )


def entity_link(iri: str, *, base: str = "/entity") -> str:
    """The app's entity page for an IRI."""
    return f"{base}?iri={quote(iri, safe='')}"
