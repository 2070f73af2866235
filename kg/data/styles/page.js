/* kg graph page: draws the graph kept in the #kg-data JSON block with vis-network.
 * Every element that shows article-derived text is built with createElement and textContent,
 * never innerHTML, and only http(s) urls become links, so no label, sentence, title or url can
 * run as code. Filters (legend toggles, countries, the date range) are vis DataView filters over
 * the page's DataSets. window.kgNetwork (the vis Network), window.kgFilters, window.kgReady,
 * window.kgReadyAt (ms after navigation start) and window.kgLastPng are for tests and benchmarks.
 * window.kgPage is what views.js (Timeline, Table, provenance) uses; the page tells it of filter
 * and selection changes with the document events "kg-filter" and "kg-pin". */
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

  var DAY_MS = 86400000;
  var NO_COUNTRY = "";  // key of nodes without a country in the country filter

  var nodeInfo = new Map(DATA.info.nodes.map(function (n) { return [n.id, n]; }));
  var edgeInfo = new Map(DATA.info.edges.map(function (e) { return [e.id, e]; }));
  var incident = new Map(DATA.info.nodes.map(function (n) { return [n.id, []]; }));
  DATA.info.edges.forEach(function (e) {
    incident.get(e.source).push(e);
    if (e.target !== e.source) { incident.get(e.target).push(e); }
  });

  // Several relations between the same two entities are drawn as one bundle edge until expanded.
  var bundleInfo = new Map(DATA.info.bundles.map(function (b) { return [b.id, b]; }));
  var bundleOf = new Map();
  DATA.info.bundles.forEach(function (b) { b.edges.forEach(function (id) { bundleOf.set(id, b); }); });
  var expanded = new Set();

  // A large graph opens on the ego network of DATA.ego.centre (DATA.ego.nodes: it and its
  // strongest neighbours); the neighbours of an opened node show, and so do nodes shown on
  // request (the ends of a relation picked in the panel).
  var EGO = DATA.ego ? DATA.ego.centre : null;
  var opened = new Set();
  var extra = new Set(DATA.ego ? DATA.ego.nodes : []);
  var inEgo = null;  // ids of nodes in scope, or null for every node

  function computeEgo() {
    if (!DATA.ego) { inEgo = null; return; }
    inEgo = new Set(extra);
    opened.forEach(function (id) {
      inEgo.add(id);
      incident.get(id).forEach(function (e) { inEgo.add(e.source); inEgo.add(e.target); });
    });
  }
  computeEgo();

  function inScope(id) { return inEgo === null || inEgo.has(id); }

  // --- filters: what is hidden, and the node and edge ids that pass --------------------------

  var hidden = { node: new Set(), event: new Set(), country: new Set() };
  var dateRange = null;  // [first, last] day shown, or null for every date
  var includeUndated = true;
  var extraFilter = null;  // set by views.js: the Timeline's "as of" date
  var shownNodes = new Set();
  var shownEdges = new Set();  // ids of the edges drawn: relations, and bundles of them
  var passingRelations = new Set();  // ids of the relations the filters show, bundled or not
  var shownRelations = 0;  // relations that pass, bundled or not

  function countryKey(id) {
    var n = nodeInfo.get(id);
    return n && n.country ? n.country : NO_COUNTRY;
  }

  function edgePasses(e) {
    if (extraFilter && !extraFilter(e)) { return false; }
    if (hidden.event.has(e.event_type)) { return false; }
    if (hidden.node.has(nodeInfo.get(e.source).type) ||
        hidden.node.has(nodeInfo.get(e.target).type)) { return false; }
    if (hidden.country.size && hidden.country.has(countryKey(e.source)) &&
        hidden.country.has(countryKey(e.target))) { return false; }
    if (!e.days.length) { return includeUndated; }
    if (!dateRange) { return true; }
    return e.days.some(function (d) { return d[0] <= dateRange[1] && d[1] >= dateRange[0]; });
  }

  function computeShown() {
    // An edge shows when it passes every filter and both its ends are in scope; a node when one
    // of its edges shows (a node with no relation at all, when its type and country show).
    // Two or more shown edges of a bundle not expanded show as the bundle edge instead.
    shownEdges = new Set();
    shownNodes = new Set();
    var passing = DATA.info.edges.filter(function (e) {
      return edgePasses(e) && inScope(e.source) && inScope(e.target);
    });
    shownRelations = passing.length;
    passingRelations = new Set(passing.map(function (e) { return e.id; }));
    var perBundle = new Map();
    passing.forEach(function (e) {
      var b = bundleOf.get(e.id);
      if (b) { perBundle.set(b.id, (perBundle.get(b.id) || 0) + 1); }
    });
    passing.forEach(function (e) {
      var b = bundleOf.get(e.id);
      shownEdges.add(b && !expanded.has(b.id) && perBundle.get(b.id) > 1 ? b.id : e.id);
      shownNodes.add(e.source);
      shownNodes.add(e.target);
    });
    DATA.info.nodes.forEach(function (n) {
      if (!incident.get(n.id).length && !hidden.node.has(n.type) && inScope(n.id) &&
          !hidden.country.has(n.country || NO_COUNTRY)) { shownNodes.add(n.id); }
    });
  }

  function isShown(target) {
    if (!target) { return true; }
    if (target.kind === "node") { return shownNodes.has(target.id); }
    if (target.kind === "bundle") {
      return shownEdges.has(target.id) ||
        bundleInfo.get(target.id).edges.some(function (id) { return shownEdges.has(id); });
    }
    return shownEdges.has(target.id);
  }

  function edgeTarget(id) {
    return { kind: bundleInfo.has(id) ? "bundle" : "edge", id: id };
  }
  computeShown();

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  var container = document.getElementById("kg-network");
  var panel = document.getElementById("kg-panel");
  var labelsHidden = DATA.options.edges.font.size === 0;
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, DATA.options);
  window.kgNetwork = network;
  window.kgReady = false;

  var pinned = null;  // {kind: "node" | "edge", id} shown whenever nothing is hovered
  var filterButtons = { node: new Map(), event: new Map(), country: new Map() };

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
      "that supports it. Search by name or alias above. On the left, click a type or a " +
      "country to hide or show it, or narrow the dates."));
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

    var related = incident.get(id) || [];
    var away = inEgo === null ? 0 : neighbours(id).filter(function (o) { return !inEgo.has(o); }).length;
    if (away) {
      var more = el("button", "kg-expand", "Show " + away + " more neighbour" + (away === 1 ? "" : "s"));
      more.type = "button";
      more.addEventListener("click", function () { openNode(id); });
      panel.appendChild(more);
    }
    panel.appendChild(el("h3", null, "Relations (" + related.length + ")"));
    relationList(related);
  }

  function neighbours(id) {
    var out = new Set();
    incident.get(id).forEach(function (e) { out.add(e.source); out.add(e.target); });
    out.delete(id);
    return Array.from(out);
  }

  function openNode(id) {
    // Show a node's neighbours (in the ego view), and keep the panel on it.
    if (inEgo === null) { return; }
    opened.add(id);
    computeEgo();
    applyFilters();
    pin({ kind: "node", id: id });
  }

  function showClosest(id) {
    // Bring a node out of view into the ego view with as many of its neighbours as the page
    // opened with, those with most sources first (all of them would be 300 for a big state).
    var weight = new Map();
    incident.get(id).forEach(function (e) {
      var other = e.source === id ? e.target : e.source;
      if (other !== id) { weight.set(other, (weight.get(other) || 0) + Math.max(e.n_sources, 1)); }
    });
    var ranked = Array.from(weight.keys()).sort(function (a, b) {
      return weight.get(b) - weight.get(a) || (a < b ? -1 : a > b ? 1 : 0);
    });
    extra.add(id);
    ranked.slice(0, DATA.ego.nodes.length - 1).forEach(function (other) { extra.add(other); });
    computeEgo();
    applyFilters();
  }

  function showAll() {
    if (inEgo === null) { return; }
    opened = new Set(nodeInfo.keys());
    computeEgo();
    applyFilters();
    network.fit({ animation: animate(500) });
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

    window.kgViews.provenance(panel, e);  // sources by article (views.js)
  }

  function showBundle(id) {
    var b = bundleInfo.get(id);
    if (!b) { showPlaceholder(); return; }
    clear(panel);
    panel.appendChild(el("p", "kg-kicker", "Relations (" + b.edges.length + ")"));
    panel.appendChild(el("h2", null, nodeLabel(b.source) + " \u2194 " + nodeLabel(b.target)));
    var button = el("button", "kg-expand", expanded.has(id) ? "Bundle again" : "Expand");
    button.type = "button";
    button.addEventListener("click", function () {
      if (expanded.has(id)) { expanded.delete(id); } else { expanded.add(id); }
      applyFilters();
      pin({ kind: "bundle", id: id });
    });
    panel.appendChild(button);
    relationList(b.edges.map(function (e) { return edgeInfo.get(e); }));
  }

  function relationList(related) {
    var list = el("ul", "kg-relations");
    related.forEach(function (e) {
      var text = nodeLabel(e.source) + " " + e.label + " " + nodeLabel(e.target) + "  \u00b7 " +
        e.n_sources + (e.n_sources === 1 ? " source" : " sources");
      var drawn = shownEdges.has(e.id) || (bundleOf.has(e.id) && shownEdges.has(bundleOf.get(e.id).id));
      var button = el("button", drawn ? null : "kg-off", text);
      if (!drawn) { button.title = "Hidden now: click to show it"; }
      button.type = "button";
      button.addEventListener("click", function () { selectEdge(e.id); });
      var item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!related.length) { list.appendChild(el("li", "kg-hint", "No relations.")); }
    panel.appendChild(list);
  }

  function show(target) {
    if (target && target.kind === "node") { showNode(target.id); }
    else if (target && target.kind === "edge") { showEdge(target.id); }
    else if (target && target.kind === "bundle") { showBundle(target.id); }
    else { showPlaceholder(); }
    if (target && !isShown(target)) {
      // The filters (or the ego view) hide what the panel shows: say so, above the details.
      var note = el("p", "kg-hidden-note",
        "Hidden by the filters in force \u2014 Reset shows it again.");
      note.id = "kg-hidden-note";
      panel.insertBefore(note, panel.firstChild);
    }
  }

  function pin(target) {
    pinned = target;
    show(pinned);
    document.dispatchEvent(new CustomEvent("kg-pin", { detail: target }));
  }

  function selectEdge(id) {
    var e = edgeInfo.get(id);
    if (!e) { return; }
    if (bundleOf.has(id)) { expanded.add(bundleOf.get(id).id); }
    if (!inScope(e.source) || !inScope(e.target)) {
      extra.add(e.source);
      extra.add(e.target);
      computeEgo();
    }
    applyFilters();
    openGroupsOf([e.source, e.target]);
    reveal(function () { return shownEdges.has(id); }, [e.event_type],
      [nodeInfo.get(e.source).type, nodeInfo.get(e.target).type]);
    network.selectEdges([id]);
    updateLabels();
    pin({ kind: "edge", id: id });
  }

  // --- edge labels: when too many edges show, only those around the selection or the pointer --

  var labelled = new Set();  // edges whose label shows although labels are hidden
  var touched = new Set();  // edges given their own font size in the DataSet
  var hovered = [];

  function updateLabels() {
    var want = new Set((labelsHidden ? network.getSelectedEdges().concat(hovered) : [])
      .filter(function (id) { return edgeInfo.has(id) || bundleInfo.has(id); }));  // not a group's
    var changes = [];
    touched.forEach(function (id) {
      if (labelled.has(id) !== want.has(id) || !labelsHidden) {
        changes.push({ id: id, font: { size: want.has(id) || !labelsHidden ? DATA.labels.size : 0 } });
      }
    });
    want.forEach(function (id) {
      if (!touched.has(id)) { touched.add(id); changes.push({ id: id, font: { size: DATA.labels.size } }); }
    });
    labelled = want;
    if (changes.length) { edges.update(changes); }
  }

  function setLabelsHidden(hide) {
    if (hide === labelsHidden) { return; }
    labelsHidden = hide;
    network.setOptions({ edges: { font: { size: hide ? 0 : DATA.labels.size } } });
    updateLabels();
  }

  network.on("select", updateLabels);
  network.on("deselectNode", updateLabels);
  network.on("deselectEdge", updateLabels);
  network.on("hoverNode", function (params) {
    hovered = network.getConnectedEdges(params.node);
    updateLabels();
  });
  network.on("hoverEdge", function (params) { hovered = [params.edge]; updateLabels(); });
  network.on("blurNode", function () { hovered = []; updateLabels(); });
  network.on("blurEdge", function () { hovered = []; updateLabels(); });

  network.on("click", function (params) {
    if (params.nodes.length && groupState(params.nodes[0])) {
      pin({ kind: "node", id: groupState(params.nodes[0]) });
    } else if (params.nodes.length) { pin({ kind: "node", id: params.nodes[0] }); }
    else if (params.edges.length) { pin(edgeTarget(params.edges[0])); }
    else { pin(null); }
  });
  network.on("doubleClick", function (params) {
    // Double-click opens an entity's neighbours, or expands a bundle.
    if (params.nodes.length && groupState(params.nodes[0])) {
      opengroups.add(groupState(params.nodes[0]));
      applyFilters();
    } else if (params.nodes.length) { openNode(params.nodes[0]); }
    else if (params.edges.length && bundleInfo.has(params.edges[0])) {
      expanded.add(params.edges[0]);
      applyFilters();
      pin({ kind: "bundle", id: params.edges[0] });
    }
  });
  network.on("hoverNode", function (params) {
    show({ kind: "node", id: groupState(params.node) || params.node });
  });
  network.on("hoverEdge", function (params) { show(edgeTarget(params.edge)); });
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

  function animate(ms) {
    // vis-network animates frame by frame; a big graph draws too few frames a second for that.
    return DATA.info.edges.length <= 3000 ? { duration: ms, easingFunction: "easeInOutQuad" } : false;
  }

  function fitScale(ids) {
    // The zoom at which these nodes would fill the canvas.
    var at = network.getPositions(ids);
    var xs = ids.map(function (i) { return at[i].x; });
    var ys = ids.map(function (i) { return at[i].y; });
    var width = Math.max.apply(null, xs) - Math.min.apply(null, xs) + 100;
    var height = Math.max.apply(null, ys) - Math.min.apply(null, ys) + 100;
    return Math.min(container.clientWidth / width, container.clientHeight / height);
  }

  function focusNode(id) {
    // Select the node, its shown neighbours and the edges between them, and zoom to fit them.
    var n = nodeInfo.get(id);
    if (!inScope(id)) { showClosest(id); }
    openGroupsOf([id].concat(neighbours(id)));
    var cleared = reveal(function () { return shownNodes.has(id); }, [], [n.type]);
    var around = network.getConnectedNodes(id).filter(function (other) { return other !== id; });
    network.setSelection({ nodes: [id].concat(around), edges: network.getConnectedEdges(id) },
      { unselectAll: true, highlightEdges: false });
    updateLabels();
    var animation = animate(600);
    if (around.length && fitScale([id].concat(around)) >= 0.35) {
      network.fit({ nodes: [id].concat(around), maxZoomLevel: 1.5, animation: animation });
    } else {  // no neighbours, or too far apart to read: zoom on the node itself
      network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: animation });
    }
    pin({ kind: "node", id: id });
    return cleared;
  }

  function search() {
    var id = findNode(searchBox.value);
    searchStatus.textContent = id === null && norm(searchBox.value) ? "No match" : "";
    if (id !== null && focusNode(id)) { searchStatus.textContent = "Filters cleared to show it"; }
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
    network.fit({ animation: animate(500) });
  });

  // --- legend and filters ---------------------------------------------------------------------

  var filterStatus = document.getElementById("kg-filter-status");
  var pending = false;
  var started = false;  // the panel is drawn; filters redraw it, to mark what they hide
  var egoNote = null;
  if (DATA.ego) {
    egoNote = el("p", "kg-ego-note");
    egoNote.id = "kg-ego-note";
    egoNote.appendChild(document.createTextNode("A large graph: showing " + nodeLabel(EGO) +
      " and its " + (DATA.ego.nodes.length - 1) + " closest neighbours. Double-click an " +
      "entity to show all its neighbours. "));
    var all = el("button", "kg-link", "Show all");
    all.type = "button";
    all.id = "kg-show-all";
    all.addEventListener("click", showAll);
    egoNote.appendChild(all);
    filterStatus.parentNode.insertBefore(egoNote, filterStatus.nextSibling);
  }

  // --- groups: a state's government, forces and people drawn as one node under it ----------

  var GROUPED_TYPES = new Set(["Government", "Junta", "ArmedForce", "MilitaryAdvisers", "Population"]);
  var GROUP = "kg-group ";  // id prefix of a group node; the state's id follows
  var groupMembers = new Map();  // state id -> ids of its government, forces and people
  (function () {
    var stateOf = new Map();
    DATA.info.nodes.forEach(function (n) {
      if (n.type === "State" && n.country && !stateOf.has(n.country)) { stateOf.set(n.country, n.id); }
    });
    DATA.info.nodes.forEach(function (n) {
      var state = n.country && GROUPED_TYPES.has(n.type) ? stateOf.get(n.country) : null;
      if (state) {
        if (!groupMembers.has(state)) { groupMembers.set(state, []); }
        groupMembers.get(state).push(n.id);
      }
    });
  })();
  var grouping = false;
  var opengroups = new Set();  // states whose group the user opened
  var groupOf = new Map();  // node id -> the state whose group holds it
  groupMembers.forEach(function (members, state) {
    groupOf.set(state, state);
    members.forEach(function (id) { groupOf.set(id, state); });
  });

  function openGroupsOf(ids) {
    // Take these nodes out of their groups, to select or zoom on them.
    if (!grouping) { return; }
    var before = opengroups.size;
    ids.forEach(function (id) { if (groupOf.has(id)) { opengroups.add(groupOf.get(id)); } });
    if (opengroups.size !== before) { applyFilters(); }
  }

  var made = new Set();  // ids of the group nodes drawn now

  function ungroupAll() {
    made.forEach(function (id) {
      // isCluster logs an error for a node vis does not hold: ask the body first
      if (network.body.nodes[id] && network.isCluster(id)) { network.openCluster(id); }
    });
    made.clear();
  }

  function groupAll() {
    if (!grouping) { return; }
    groupMembers.forEach(function (members, state) {
      if (opengroups.has(state) || !shownNodes.has(state)) { return; }
      var inside = new Set(members.filter(function (id) { return shownNodes.has(id); }));
      if (!inside.size) { return; }
      var info = nodeInfo.get(state);
      network.cluster({
        joinCondition: function (opts) { return opts.id === state || inside.has(opts.id); },
        clusterNodeProperties: {
          id: GROUP + state, label: info.label + " +" + inside.size, shape: "dot", size: 26,
          borderWidth: 4, color: { background: info.color, border: "#1a202c" }
        }
      });
      made.add(GROUP + state);
    });
  }

  function setGrouping(on) {
    grouping = on;
    var box = document.getElementById("kg-group");
    if (box) { box.checked = on; }
    opengroups.clear();
    applyFilters();
  }

  function groupState(id) {
    // The state a group node stands for, or null.
    return typeof id === "string" && id.indexOf(GROUP) === 0 ? id.slice(GROUP.length) : null;
  }

  function applyFilters() {
    computeShown();
    ungroupAll();
    nodesView.refresh();  // nodes first, so that edges coming back find both ends
    edgesView.refresh();
    groupAll();
    setLabelsHidden(shownEdges.size > DATA.labels.max_edges);
    filterStatus.textContent = "Showing " + shownNodes.size.toLocaleString("en") + " of " +
      DATA.info.nodes.length.toLocaleString("en") + " entities, " +
      shownRelations.toLocaleString("en") + " of " +
      DATA.info.edges.length.toLocaleString("en") + " relations";
    filterButtons.node.forEach(function (b, key) { setPressed(b, !hidden.node.has(key)); });
    filterButtons.event.forEach(function (b, key) { setPressed(b, !hidden.event.has(key)); });
    filterButtons.country.forEach(function (b, key) { setPressed(b, !hidden.country.has(key)); });
    if (egoNote) {
      egoNote.hidden = inEgo === null || inEgo.size >= nodeInfo.size;
    }
    if (started) { show(pinned); }
    document.dispatchEvent(new CustomEvent("kg-filter"));
  }

  function applySoon() {
    // Slider input comes faster than a big graph redraws: apply once per frame.
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; applyFilters(); });
  }

  function setPressed(button, shown) {
    button.setAttribute("aria-pressed", shown ? "true" : "false");
  }

  function toggle(kind, key) {
    if (hidden[kind].has(key)) { hidden[kind].delete(key); } else { hidden[kind].add(key); }
    applyFilters();
  }

  function setAll(kind, keys, shown) {
    keys.forEach(function (key) { if (shown) { hidden[kind].delete(key); } else { hidden[kind].add(key); } });
    applyFilters();
  }

  function reveal(isShown, eventTypes, nodeTypes) {
    // Show the types of what the user asked for; if a country or date filter still hides it,
    // clear every filter. True when the filters were cleared.
    if (isShown()) { return false; }
    eventTypes.forEach(function (t) { hidden.event.delete(t); });
    nodeTypes.forEach(function (t) { hidden.node.delete(t); });
    applyFilters();
    if (isShown()) { return false; }
    resetFilters();
    return true;
  }

  function section(parent, title, open) {
    var details = el("details", "kg-section");
    details.open = open;
    var summary = el("summary");
    summary.appendChild(el("span", null, title));
    details.appendChild(summary);
    parent.appendChild(details);
    return details;
  }

  function bulkButtons(details, kind, keys) {
    // "All" and "None" sit in the section's summary; a click on them must not fold it.
    var summary = details.querySelector("summary");
    [["All", true], ["None", false]].forEach(function (pair) {
      var button = el("button", "kg-link", pair[0]);
      button.type = "button";
      button.addEventListener("click", function (event) {
        event.preventDefault();
        setAll(kind, keys, pair[1]);
      });
      summary.appendChild(button);
    });
  }

  function toggleList(parent, title, entries, kind, open) {
    // entries: {key, name, count, swatch (an element or null), title}
    if (!entries.length) { return; }
    var details = section(parent, title, open);
    if (entries.length > 2) { bulkButtons(details, kind, entries.map(function (e) { return e.key; })); }
    var list = el("ul", "kg-toggles");
    entries.forEach(function (entry) {
      var button = el("button", "kg-legend-item");
      button.type = "button";
      setPressed(button, true);
      if (entry.swatch) { button.appendChild(entry.swatch); }
      button.appendChild(el("span", "kg-legend-name", entry.name));
      button.appendChild(el("span", "kg-legend-count", entry.count.toLocaleString("en")));
      button.title = entry.title;
      button.addEventListener("click", function () { toggle(kind, entry.key); });
      filterButtons[kind].set(entry.key, button);
      var item = el("li");
      item.appendChild(button);
      list.appendChild(item);
    });
    details.appendChild(list);
  }

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  var dateInputs = null;

  function dateFilter(parent) {
    // Two range inputs over every day an edge's dates cover; undated edges have a checkbox.
    var first = Infinity;
    var last = -Infinity;
    var undated = 0;
    DATA.info.edges.forEach(function (e) {
      if (!e.days.length) { undated += 1; }
      e.days.forEach(function (d) { first = Math.min(first, d[0]); last = Math.max(last, d[1]); });
    });
    if (first > last) { return; }
    var details = section(parent, "Dates", true);
    var shown = el("p", "kg-range-value");
    details.appendChild(shown);
    function slider(name, value) {
      var label = el("label", "kg-range");
      label.appendChild(el("span", null, name));
      var input = el("input");
      input.type = "range";
      input.min = String(first);
      input.max = String(last);
      input.step = "1";
      input.value = String(value);
      input.id = "kg-date-" + name.toLowerCase();
      input.disabled = first === last;
      label.appendChild(input);
      details.appendChild(label);
      return input;
    }
    var from = slider("From", first);
    var to = slider("To", last);
    function update(moved) {
      var lo = Number(from.value);
      var hi = Number(to.value);
      if (lo > hi) { if (moved === from) { to.value = String(lo); hi = lo; } else { from.value = String(hi); lo = hi; } }
      shown.textContent = isoDay(lo) + " \u2013 " + isoDay(hi);
      dateRange = lo === first && hi === last ? null : [lo, hi];
    }
    from.addEventListener("input", function () { update(from); applySoon(); });
    to.addEventListener("input", function () { update(to); applySoon(); });
    update(null);
    var check = el("label", "kg-check");
    var box = el("input");
    box.type = "checkbox";
    box.id = "kg-undated";
    box.checked = true;
    box.disabled = !undated;
    box.addEventListener("change", function () { includeUndated = box.checked; applyFilters(); });
    check.appendChild(box);
    check.appendChild(el("span", null, "Include undated (" + undated.toLocaleString("en") + ")"));
    details.appendChild(check);
    dateInputs = { from: from, to: to, undated: box, update: update };
  }

  function setDateRange(lo, hi) {
    if (!dateInputs) { return; }
    dateInputs.from.value = String(lo);
    dateInputs.to.value = String(hi);
    dateInputs.update(null);
    applyFilters();
  }

  function resetFilters() {
    hidden.node.clear();
    hidden.event.clear();
    hidden.country.clear();
    includeUndated = true;
    if (dateInputs) {
      dateInputs.undated.checked = true;
      dateInputs.from.value = dateInputs.from.min;
      dateInputs.to.value = dateInputs.to.max;
      dateInputs.update(null);
    }
    applyFilters();
  }

  var filters = document.getElementById("kg-legend");
  var filterBody = el("div", "kg-filter-body");
  toggleList(filterBody, "Entities", DATA.legend.node_types.map(function (t) {
    return { key: t.type, name: t.type, count: t.count, swatch: swatch(t.shape, t.color),
             title: "Click to hide or show" };
  }), "node", true);
  toggleList(filterBody, "Relations", DATA.legend.event_types.map(function (t) {
    return { key: t.type, name: t.type, count: t.count, swatch: swatch("line", t.color),
             title: t.labels.join(", ") + " \u2014 click to hide or show" };
  }), "event", true);
  toggleList(filterBody, "Countries", DATA.legend.countries.map(function (c) {
    return { key: c.code || NO_COUNTRY, name: c.code || "no country", count: c.count,
             swatch: null, title: "Relations of entities of this country \u2014 click to hide or show" };
  }), "country", DATA.legend.countries.length <= 8);
  dateFilter(filterBody);
  if (groupMembers.size) {
    var groupCheck = el("label", "kg-check kg-group-check");
    var groupBox = el("input");
    groupBox.type = "checkbox";
    groupBox.id = "kg-group";
    groupBox.addEventListener("change", function () { setGrouping(groupBox.checked); });
    groupCheck.appendChild(groupBox);
    groupCheck.appendChild(el("span", null,
      "Group each state's government, forces and people under it (double-click to open)"));
    filterBody.insertBefore(groupCheck, filterBody.firstChild);
  }
  filters.appendChild(filterBody);
  document.getElementById("kg-reset").addEventListener("click", resetFilters);

  // --- save the view as PNG ------------------------------------------------------------------

  function filterNotes() {
    // The filters in force, in words, for the saved image.
    var notes = [filterStatus.textContent];
    if (inEgo !== null && inEgo.size < nodeInfo.size) {
      notes.push("Around " + nodeLabel(EGO) + " (not every entity shown)");
    }
    var off = [];
    ["node", "event", "country"].forEach(function (kind) {
      hidden[kind].forEach(function (key) { off.push(key || "no country"); });
    });
    if (off.length) { notes.push("Hidden: " + off.join(", ")); }
    if (dateRange) { notes.push("Dates: " + isoDay(dateRange[0]) + " \u2013 " + isoDay(dateRange[1])); }
    if (!includeUndated) { notes.push("Undated relations hidden"); }
    return notes;
  }

  function drawKey(ctx, x, y, width, lineHeight) {
    // The legend of what shows, then the filters in force, drawn on the image (text only).
    var types = new Set();
    var events = new Set();
    shownNodes.forEach(function (id) { types.add(nodeInfo.get(id).type); });
    shownEdges.forEach(function (id) {
      var b = bundleInfo.get(id);
      (b ? b.edges : [id]).forEach(function (e) { events.add(edgeInfo.get(e).event_type); });
    });
    var lines = [];
    function heading(text) {
      ctx.font = "bold 12px " + FONT;
      ctx.fillStyle = "#4a5568";
      ctx.fillText(text.toUpperCase(), x, y);
      lines.push(text);
      y += lineHeight;
    }
    function entry(text, color, line) {
      ctx.fillStyle = color;
      if (line) { ctx.fillRect(x, y - 6, 16, 4); } else {
        ctx.beginPath();
        ctx.arc(x + 8, y - 4, 6, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.font = "12px " + FONT;
      ctx.fillStyle = "#1a202c";
      ctx.fillText(text, x + 22, y, width - 22);
      lines.push(text);
      y += lineHeight;
    }
    heading("Entities");
    DATA.legend.node_types.forEach(function (t) { if (types.has(t.type)) { entry(t.type, t.color, false); } });
    y += lineHeight / 2;
    heading("Relations");
    DATA.legend.event_types.forEach(function (t) { if (events.has(t.type)) { entry(t.type, t.color, true); } });
    y += lineHeight / 2;
    heading("Filters");
    ctx.font = "12px " + FONT;
    ctx.fillStyle = "#1a202c";
    filterNotes().forEach(function (note) {
      // wrap on words to the key's width
      var words = note.split(" ");
      var current = "";
      words.forEach(function (word) {
        var next = current ? current + " " + word : word;
        if (current && ctx.measureText(next).width > width) {
          ctx.fillText(current, x, y);
          y += lineHeight;
          next = word;
        }
        current = next;
      });
      ctx.fillText(current, x, y);
      y += lineHeight;
      lines.push(note);
    });
    return lines;
  }

  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  var KEY_WIDTH = 240;

  function savePng() {
    var canvas = container.querySelector("canvas");
    var ratio = canvas.width / Math.max(1, canvas.clientWidth);
    var out = document.createElement("canvas");
    out.width = canvas.width + Math.round(KEY_WIDTH * ratio);
    // tall enough for every legend line and the filters
    var rows = DATA.legend.node_types.length + DATA.legend.event_types.length + 16;
    out.height = Math.max(canvas.height, Math.round(rows * 18 * ratio));
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#f7fafc";  // the canvas itself is transparent
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(canvas.width, 0, out.width - canvas.width, out.height);
    ctx.save();
    ctx.scale(ratio, ratio);
    ctx.textBaseline = "alphabetic";
    window.kgLastPngKey = drawKey(ctx, canvas.width / ratio + 14, 24, KEY_WIDTH - 28, 18);
    ctx.restore();
    var url = out.toDataURL("image/png");
    window.kgLastPng = url;
    var a = document.createElement("a");
    a.href = url;
    a.download = (document.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      "kg-graph") + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("kg-png").addEventListener("click", savePng);

  window.kgFilters = {
    nodes: nodesView,
    edges: edgesView,
    toggleNodeType: function (t) { toggle("node", t); },
    toggleEventType: function (t) { toggle("event", t); },
    toggleCountry: function (c) { toggle("country", c || NO_COUNTRY); },
    setDateRange: setDateRange,
    reset: resetFilters,
    labelsHidden: function () { return labelsHidden; },
    expandBundle: function (id) { expanded.add(id); applyFilters(); },
    openNode: openNode,
    showAll: showAll,
    shownNodes: function () { return Array.from(shownNodes); },
    shownEdges: function () { return Array.from(shownEdges); },
    setGrouping: setGrouping
  };

  window.kgPage = {
    data: DATA,
    selectEdge: selectEdge,
    isShown: function (id) { return passingRelations.has(id); },  // drawn alone or in a bundle
    setEdgeFilter: function (fn) { extraFilter = fn; applyFilters(); },
    pinned: function () { return pinned; },
    nodeInfo: nodeInfo,
    edgeInfo: edgeInfo,
    el: el,
    clear: clear,
    link: link,
    webHref: webHref
  };

  // --- layout: settle once, then hold still ---------------------------------------------------

  function keepPositions(ids) {
    // Hidden nodes leave the DataView; store where they were so they come back there.
    var at = network.getPositions(ids);
    nodes.update(Object.keys(at).filter(function (id) { return nodeInfo.has(id); })
      .map(function (id) { return { id: id, x: at[id].x, y: at[id].y }; }));
  }
  network.on("dragEnd", function (params) { if (params.nodes.length) { keepPositions(params.nodes); } });

  function ready() {
    if (DATA.ego) {
      // Open on the focus and its neighbours, zoomed in enough to read their labels.
      network.fit();
      if (network.getScale() < 0.7) {
        network.moveTo({ position: network.getPositions([EGO])[EGO], scale: 0.7 });
      }
    }
    var loading = document.getElementById("kg-loading");
    if (loading) { loading.classList.add("kg-done"); }
    network.once("afterDrawing", function () {
      window.kgReadyAt = performance.now();
      window.kgReady = true;
    });
    network.redraw();
  }

  if (DATA.options.physics.enabled && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      keepPositions();
      network.fit();
      ready();
    });
  } else {
    ready();
  }
  applyFilters();
  showPlaceholder();
  started = true;
})();
