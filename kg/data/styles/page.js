/* kg graph page: draws the graph kept in the #kg-data JSON block with vis-network.
 * Every element that shows article-derived text is built with createElement and textContent,
 * never innerHTML, and only http(s) urls become links, so no label, sentence, title or url can
 * run as code. window.kgNetwork (the vis Network) and window.kgReady are for tests. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";
  var POLYGONS = {
    square: "3,3 17,3 17,17 3,17",
    diamond: "10,1 19,10 10,19 1,10",
    triangle: "10,2 19,18 1,18",
    triangleDown: "1,2 19,2 10,18",
    star: "10,1 12.6,7 19,7.4 14,11.6 15.6,18.5 10,14.8 4.4,18.5 6,11.6 1,7.4 7.4,7",
    hexagon: "5,2 15,2 19.5,10 15,18 5,18 0.5,10"
  };

  var nodeInfo = new Map(DATA.info.nodes.map(function (n) { return [n.id, n]; }));
  var edgeInfo = new Map(DATA.info.edges.map(function (e) { return [e.id, e]; }));
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("kg-network");
  var panel = document.getElementById("kg-panel");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  window.kgNetwork = network;
  window.kgReady = false;

  var pinned = null;  // {kind: "node" | "edge", id} shown whenever nothing is hovered
  var hiddenNodeTypes = new Set();
  var hiddenEventTypes = new Set();
  var legendButtons = { node: new Map(), event: new Map() };

  // --- small DOM helpers (text only) ---------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function webHref(url) {
    // Only absolute http(s) urls become links; javascript:, data: and the rest stay text.
    if (typeof url !== "string" || !url) { return null; }
    try {
      var parsed = new URL(url);
      return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }

  function link(text, href) {
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function swatch(shape, color) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("class", "kg-swatch");
    svg.setAttribute("aria-hidden", "true");
    var mark;
    if (shape === "line") {
      mark = document.createElementNS(SVG_NS, "rect");
      mark.setAttribute("x", "1");
      mark.setAttribute("y", "8");
      mark.setAttribute("width", "18");
      mark.setAttribute("height", "4");
      mark.setAttribute("rx", "2");
    } else if (Object.prototype.hasOwnProperty.call(POLYGONS, shape)) {
      mark = document.createElementNS(SVG_NS, "polygon");
      mark.setAttribute("points", POLYGONS[shape]);
    } else {
      mark = document.createElementNS(SVG_NS, "circle");
      mark.setAttribute("cx", "10");
      mark.setAttribute("cy", "10");
      mark.setAttribute("r", "7.5");
    }
    mark.setAttribute("fill", color);
    if (shape !== "line") {
      mark.setAttribute("stroke", "rgba(0,0,0,0.35)");
      mark.setAttribute("stroke-width", "1");
    }
    svg.appendChild(mark);
    return svg;
  }

  function nodeLabel(id) {
    var info = nodeInfo.get(id);
    return info ? info.label : String(id);
  }

  function addField(dl, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function addList(dl, name, values) {
    if (values && values.length) { addField(dl, name, values.join("; ")); }
  }

  // --- the details panel ---------------------------------------------------------------------

  function showPlaceholder() {
    clear(panel);
    panel.appendChild(el("p", "kg-kicker", "Details"));
    panel.appendChild(el("p", "kg-hint",
      "Hover over or click an entity or a relation to see its details and every sentence " +
      "that supports it. Search by name or alias above; click a legend entry to hide or show " +
      "that type."));
  }

  function showNode(id) {
    var n = nodeInfo.get(id);
    if (!n) { showPlaceholder(); return; }
    clear(panel);
    var kicker = el("p", "kg-kicker");
    kicker.appendChild(swatch(n.shape, n.color));
    kicker.appendChild(document.createTextNode(n.type));
    panel.appendChild(kicker);
    panel.appendChild(el("h2", null, n.label));

    var dl = el("dl", "kg-fields");
    addField(dl, "Type", n.type);
    addField(dl, "Country", n.country);
    if (n.wikidata) {
      addField(dl, "Wikidata", /^Q[0-9]+$/.test(n.wikidata)
        ? link(n.wikidata, "https://www.wikidata.org/wiki/" + n.wikidata) : n.wikidata);
    }
    addList(dl, "Also called", n.aliases);
    addField(dl, "IRI", n.id);
    panel.appendChild(dl);

    var related = DATA.info.edges.filter(function (e) {
      return e.source === id || e.target === id;
    });
    panel.appendChild(el("h3", null, "Relations (" + related.length + ")"));
    var list = el("ul", "kg-relations");
    related.forEach(function (e) {
      var text = nodeLabel(e.source) + " " + e.label + " " + nodeLabel(e.target) + "  \u00b7 " +
        e.sources.length + (e.sources.length === 1 ? " source" : " sources");
      var button = el("button", null, text);
      button.type = "button";
      button.addEventListener("click", function () { selectEdge(e.id); });
      var item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!related.length) { list.appendChild(el("li", "kg-hint", "No relations.")); }
    panel.appendChild(list);
  }

  function showEdge(id) {
    var e = edgeInfo.get(id);
    if (!e) { showPlaceholder(); return; }
    clear(panel);
    var kicker = el("p", "kg-kicker");
    kicker.appendChild(swatch("line", e.color));
    kicker.appendChild(document.createTextNode(e.event_type || "Relation"));
    panel.appendChild(kicker);
    var heading = el("h2");
    heading.appendChild(el("span", null, nodeLabel(e.source) + " "));
    heading.appendChild(el("span", "kg-rel", e.label));
    heading.appendChild(el("span", null, " " + nodeLabel(e.target)));
    panel.appendChild(heading);

    var dl = el("dl", "kg-fields");
    addField(dl, "Relation", e.relation);
    addField(dl, "Event type", e.event_type);
    addList(dl, "Dates", e.dates);
    addList(dl, "Quantities", e.quantities);
    panel.appendChild(dl);

    panel.appendChild(el("h3", null, "Sources (" + e.sources.length + ")"));
    var list = el("ol", "kg-sources");
    e.sources.forEach(function (s) {
      var item = el("li");
      item.appendChild(el("blockquote", "kg-sentence", s.sentence));
      var meta = el("p", "kg-meta");
      var name = s.title || s.article_id;
      var href = s.link ? webHref(s.url) : null;
      meta.appendChild(href ? link(name, href) : el("span", "kg-article", name));
      if (s.url && !href) { meta.appendChild(document.createTextNode(" (" + s.url + ")")); }
      if (s.date) { meta.appendChild(document.createTextNode(" \u00b7 " + s.date)); }
      meta.appendChild(document.createTextNode(" \u00b7 rule " + s.rule));
      item.appendChild(meta);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function show(target) {
    if (target && target.kind === "node") { showNode(target.id); }
    else if (target && target.kind === "edge") { showEdge(target.id); }
    else { showPlaceholder(); }
  }

  function pin(target) {
    pinned = target;
    show(pinned);
  }

  function selectEdge(id) {
    var e = edgeInfo.get(id);
    if (!e) { return; }
    if (hiddenEventTypes.has(e.event_type)) { toggleEventType(e.event_type); }
    network.selectEdges([id]);
    pin({ kind: "edge", id: id });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { pin({ kind: "node", id: params.nodes[0] }); }
    else if (params.edges.length) { pin({ kind: "edge", id: params.edges[0] }); }
    else { pin(null); }
  });
  network.on("hoverNode", function (params) { show({ kind: "node", id: params.node }); });
  network.on("hoverEdge", function (params) { show({ kind: "edge", id: params.edge }); });
  network.on("blurNode", function () { show(pinned); });
  network.on("blurEdge", function () { show(pinned); });

  // --- search --------------------------------------------------------------------------------

  var searchBox = document.getElementById("kg-search");
  var searchStatus = document.getElementById("kg-search-status");

  function norm(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  var searchIndex = DATA.info.nodes.map(function (n) {
    return { id: n.id, names: [norm(n.label)].concat(n.aliases.map(norm)) };
  });

  function findNode(query) {
    // Best match: exact label, exact alias, label prefix, alias prefix, then substring.
    var q = norm(query);
    if (!q) { return null; }
    var best = null;
    var bestScore = Infinity;
    searchIndex.forEach(function (entry) {
      entry.names.forEach(function (name, i) {
        var score = name === q ? 0 : name.indexOf(q) === 0 ? 2 : name.indexOf(q) >= 0 ? 4 : null;
        if (score === null) { return; }
        if (i > 0) { score += 1; }
        if (score < bestScore ||
            (score === bestScore && entry.names[0].length < best.names[0].length)) {
          best = entry;
          bestScore = score;
        }
      });
    });
    return best ? best.id : null;
  }

  function focusNode(id) {
    var n = nodeInfo.get(id);
    if (hiddenNodeTypes.has(n.type)) { toggleNodeType(n.type); }
    network.selectNodes([id]);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.2),
      animation: { duration: 600, easingFunction: "easeInOutQuad" }
    });
    pin({ kind: "node", id: id });
  }

  function search() {
    var id = findNode(searchBox.value);
    searchStatus.textContent = id === null && norm(searchBox.value) ? "No match" : "";
    if (id !== null) { focusNode(id); }
  }

  var names = new Set();
  DATA.info.nodes.forEach(function (n) {
    names.add(n.label);
    n.aliases.forEach(function (a) { names.add(a); });
  });
  var datalist = document.getElementById("kg-search-list");
  Array.from(names).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    datalist.appendChild(option);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  searchBox.addEventListener("input", function () { searchStatus.textContent = ""; });
  document.getElementById("kg-search-go").addEventListener("click", search);
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 500, easingFunction: "easeInOutQuad" } });
  });

  // --- legend: node types and event types, each a toggle -------------------------------------

  function setPressed(button, shown) {
    button.setAttribute("aria-pressed", shown ? "true" : "false");
  }

  function toggleNodeType(type) {
    var hide = !hiddenNodeTypes.has(type);
    if (hide) { hiddenNodeTypes.add(type); } else { hiddenNodeTypes.delete(type); }
    nodes.update(DATA.info.nodes.filter(function (n) { return n.type === type; })
      .map(function (n) { return { id: n.id, hidden: hide }; }));
    setPressed(legendButtons.node.get(type), !hide);
  }

  function toggleEventType(type) {
    var hide = !hiddenEventTypes.has(type);
    if (hide) { hiddenEventTypes.add(type); } else { hiddenEventTypes.delete(type); }
    edges.update(DATA.info.edges.filter(function (e) { return e.event_type === type; })
      .map(function (e) { return { id: e.id, hidden: hide }; }));
    setPressed(legendButtons.event.get(type), !hide);
  }

  function legendSection(legend, title, entries, kind, toggle) {
    if (!entries.length) { return; }
    legend.appendChild(el("h2", null, title));
    var list = el("ul");
    entries.forEach(function (entry) {
      var button = el("button", "kg-legend-item");
      button.type = "button";
      setPressed(button, true);
      button.appendChild(swatch(kind === "node" ? entry.shape : "line", entry.color));
      button.appendChild(el("span", "kg-legend-name", entry.type));
      button.appendChild(el("span", "kg-legend-count", entry.count));
      button.title = (kind === "event" ? entry.labels.join(", ") + " \u2014 " : "") +
        "click to hide or show";
      button.addEventListener("click", function () { toggle(entry.type); });
      legendButtons[kind].set(entry.type, button);
      var item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
    legend.appendChild(list);
  }

  var legend = document.getElementById("kg-legend");
  legendSection(legend, "Entities", DATA.legend.node_types, "node", toggleNodeType);
  legendSection(legend, "Relations", DATA.legend.event_types, "event", toggleEventType);
  if (!legend.firstChild) { legend.hidden = true; }

  // --- layout: settle once, then hold still ---------------------------------------------------

  function ready() {
    var loading = document.getElementById("kg-loading");
    if (loading) { loading.classList.add("kg-done"); }
    window.kgReady = true;
  }

  if (DATA.options.physics.enabled && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    ready();
  }
  showPlaceholder();
})();
