// Draws a graph view with vis-network: kgDraw(view) with the view kg_build.graphview.network_args makes
// (nodes, edges, urls, options, height; and kind and legend, which a page written whole has in its HTML).
// The same script draws the app's component (component.js calls it) and graphview.graph_html's one-file page.
(function () {
  "use strict";

  // Go to a URL of the app in the page around this frame: a link in that page, so the app's own
  // navigation rules apply (the frame itself may not navigate its parent); else in a new tab.
  function go(url) {
    try {
      var doc = window.parent.document;
      var a = doc.createElement("a");
      a.href = url; a.target = "_self"; a.style.display = "none";
      doc.body.appendChild(a); a.click();
    } catch (e) { window.open(url, "_blank"); }
  }

  window.kgDraw = function (view) {
    var body = document.body;
    body.removeAttribute("data-stable");
    if (view.kind !== undefined) { body.setAttribute("data-view", view.kind); }
    if (view.legend !== undefined) { document.getElementById("kg-legend").innerHTML = view.legend; }  // escaped
    var container = document.getElementById("kg-network");
    container.style.height = view.height + "px";
    if (window.kgNetwork) { window.kgNetwork.destroy(); }
    var nodes = view.nodes, urls = view.urls, options = view.options, prefix = view.group_prefix;
    nodes.forEach(function (n) {  // the hover text: HTML made and escaped by graphview.tooltip_html
      if (n.title) { var d = document.createElement("div"); d.innerHTML = n.title; n.title = d; }
    });
    var network = new vis.Network(
      container, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(view.edges) }, options);
    function stable() { network.setOptions({ physics: false }); body.setAttribute("data-stable", "1"); }
    if (options.physics && options.physics.enabled) {
      network.once("stabilizationIterationsDone", stable);
    } else {
      network.once("afterDrawing", stable);
    }
    function target(id) {
      var n = network.body.data.nodes.get(id);
      if (!n || !n.go) { return null; }
      if (id.indexOf(prefix) === 0) {
        return urls.group ? urls.group.replace("{id}", encodeURIComponent(id)) : null;
      }
      return urls.node ? urls.node.replace("{iri}", encodeURIComponent(id)) : null;
    }
    var pending = null;
    network.on("click", function (p) {
      if (!p.nodes.length) { return; }
      var url = target(p.nodes[0]);
      if (!url) { return; }
      clearTimeout(pending);
      pending = setTimeout(function () { body.setAttribute("data-going", url); go(url); }, 350);
    });
    network.on("doubleClick", function (p) {
      clearTimeout(pending);
      if (p.nodes.length && p.nodes[0].indexOf(prefix) !== 0) {
        window.open(urls.entity.replace("{iri}", encodeURIComponent(p.nodes[0])), "_blank");
      }
    });
    window.kgNetwork = network;
    window.kgTarget = target;
  };
})();
