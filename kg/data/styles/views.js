/* kg graph page, second script: the Timeline and Table views in a drawer under the graph, and
 * the sources of a relation grouped by article (the details panel calls kgViews.provenance).
 * Uses window.kgPage from page.js; builds every element with textContent, never innerHTML.
 * window.kgViews.lastCsv is the text of the last CSV download, for tests. */
(function () {
  "use strict";

  var page = window.kgPage;
  var DATA = page.data;
  var el = page.el;
  var clear = page.clear;
  var DAY_MS = 86400000;
  var EDGES = DATA.info.edges;
  var INTERVALS = DATA.timeline.intervals;
  var STATUS_ORDER = DATA.timeline.status_order;
  var MAX_ROWS = 1000;  // rows drawn in a list or the table; the CSV has every row shown

  var drawer = document.getElementById("kg-views");
  var toggles = {
    timeline: document.getElementById("kg-timeline-toggle"),
    table: document.getElementById("kg-table-toggle")
  };
  var current = null;  // the view shown: "timeline", "table" or null
  var asOf = null;  // the Timeline's "as of" day (days from 1970-01-01), or null
  var scopeNode = null;  // the entity the Timeline is narrowed to, or null for the whole graph
  var sort = { key: "first", dir: 1 };
  var visibleRows = [];

  function isoDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  function nodeLabel(id) {
    var n = page.nodeInfo.get(id);
    return n ? n.label : String(id);
  }

  function button(text, className, onClick) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); }

  // --- provenance: each article once, newest first, its sentences once, rule ids folded away ---

  function provenance(panel, e) {
    var sentences = e.articles.reduce(function (n, a) { return n + a.sentences.length; }, 0);
    panel.appendChild(el("h3", null, "Sources: " + plural(e.articles.length, "article", "articles") +
      ", " + plural(sentences, "sentence", "sentences")));
    var list = el("ol", "kg-sources");
    e.articles.forEach(function (a) {
      var item = el("li", "kg-source-article");
      var meta = el("p", "kg-meta");
      var name = a.title || a.name || a.article_id;
      var href = a.link ? page.webHref(a.url) : null;
      meta.appendChild(href ? page.link(name, href) : el("span", "kg-article", name));
      if (a.url && !href) { meta.appendChild(document.createTextNode(" (" + a.url + ")")); }
      meta.appendChild(el("span", "kg-source-date", " \u00b7 " + (a.date || "undated")));
      item.appendChild(meta);
      var rules = new Set();
      a.sentences.forEach(function (s) {
        item.appendChild(el("blockquote", "kg-sentence", s.text));
        s.rules.forEach(function (r) { rules.add(r); });
      });
      var details = el("details", "kg-rules");
      details.appendChild(el("summary", null, "Rule ids"));
      details.appendChild(el("p", "kg-meta", Array.from(rules).sort().join(", ")));
      item.appendChild(details);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  // --- the drawer ----------------------------------------------------------------------------

  var head = el("div", "kg-views-head");
  var heading = el("h2", null, "");
  head.appendChild(heading);
  head.appendChild(button("Close", "kg-link", function () { showView(null); }));
  var timelineBox = el("div", "kg-timeline");
  var tableBox = el("div", "kg-table-view");
  drawer.appendChild(head);
  drawer.appendChild(timelineBox);
  drawer.appendChild(tableBox);

  function showView(view) {
    current = view;
    drawer.hidden = !view;
    timelineBox.hidden = view !== "timeline";
    tableBox.hidden = view !== "table";
    heading.textContent = view === "timeline" ? "Timeline" : view === "table" ? "Table" : "";
    Object.keys(toggles).forEach(function (k) {
      toggles[k].setAttribute("aria-pressed", k === view ? "true" : "false");
    });
    refresh();
  }

  Object.keys(toggles).forEach(function (k) {
    toggles[k].addEventListener("click", function () { showView(current === k ? null : k); });
  });

  function refresh() {
    if (current === "timeline") { drawTimeline(); }
    if (current === "table") { drawRows(); }
  }

  // --- Timeline --------------------------------------------------------------------------------

  var tlControls = el("div", "kg-views-controls");
  var scopeSelect = el("select");
  scopeSelect.id = "kg-timeline-scope";
  scopeSelect.setAttribute("aria-label", "Timeline of");
  [["all", "Whole graph"], ["entity", "Selected entity"]].forEach(function (pair) {
    var option = el("option", null, pair[1]);
    option.value = pair[0];
    scopeSelect.appendChild(option);
  });
  scopeSelect.addEventListener("change", function () {
    var p = page.pinned();
    scopeNode = scopeSelect.value === "entity" && p && p.kind === "node" ? p.id : null;
    drawTimeline();
  });
  var asOfLabel = el("label", "kg-asof");
  asOfLabel.appendChild(el("span", null, "As of"));
  var asOfInput = el("input");
  asOfInput.type = "date";
  asOfInput.id = "kg-asof";
  asOfInput.addEventListener("change", function () { setAsOf(asOfInput.value || null); });
  asOfLabel.appendChild(asOfInput);
  tlControls.appendChild(scopeSelect);
  tlControls.appendChild(asOfLabel);
  tlControls.appendChild(button("Clear date", "kg-link", function () { setAsOf(null); }));
  var tlStatus = el("span", "kg-views-status");
  tlStatus.setAttribute("role", "status");
  tlControls.appendChild(tlStatus);
  var tlBody = el("div", "kg-timeline-body");
  timelineBox.appendChild(tlControls);
  timelineBox.appendChild(tlBody);

  function setAsOf(iso) {
    // The graph as it stood on a day: relations first dated later are hidden; undated ones stay,
    // as nothing places them in time.
    var t = iso ? Date.parse(iso) : NaN;
    asOf = isNaN(t) ? null : Math.floor(t / DAY_MS);
    asOfInput.value = asOf === null ? "" : isoDay(asOf);
    page.setEdgeFilter(asOf === null ? null : function (e) {
      return e.when.first_day === null || e.when.first_day <= asOf;
    });
  }

  function inScope(e) {
    if (scopeNode === null) { return true; }
    return e.source === scopeNode || e.target === scopeNode;
  }

  function intervalInScope(iv) {
    if (scopeNode === null) { return true; }
    var n = page.nodeInfo.get(scopeNode);
    return iv.actors.indexOf(scopeNode) >= 0 || iv.forces === scopeNode || iv.host === scopeNode ||
      (n && n.type === "State" && (iv.forces === n.country || iv.host === n.country));
  }

  function statusAsOf(iv) {
    // presence.rq's status over the events known on the as-of day (undated ones count).
    if (asOf === null) { return iv.status; }
    var kinds = new Set(iv.events.filter(function (ev) {
      return ev.first_day === null || ev.first_day <= asOf;
    }).map(function (ev) { return ev.kind; }));
    for (var i = 0; i < STATUS_ORDER.length; i++) {
      if (kinds.has(STATUS_ORDER[i][0])) { return STATUS_ORDER[i][1]; }
    }
    return null;  // nothing known of it yet
  }

  function track(lo, hi) {
    var box = el("div", "kg-track");
    return { box: box, x: function (day) { return (100 * (day - lo) / (hi - lo)) + "%"; } };
  }

  function mark(t, first, last, className) {
    var bar = el("span", className);
    bar.style.left = t.x(first);
    bar.style.width = "calc(" + t.x(last) + " - " + t.x(first) + " + 6px)";
    t.box.appendChild(bar);
    return bar;
  }

  function row(parent, label, title, t, onClick, note) {
    var r = el("div", "kg-tl-row");
    var name = el(onClick ? "button" : "span", "kg-tl-label", label);
    name.title = title;
    if (onClick) { name.type = "button"; name.addEventListener("click", onClick); }
    r.appendChild(name);
    r.appendChild(t.box);
    r.appendChild(el("span", "kg-tl-note", note || ""));
    parent.appendChild(r);
    return r;
  }

  function drawTimeline() {
    clear(tlBody);
    var p = page.pinned();
    if (scopeSelect.value === "entity" && p && p.kind === "node") { scopeNode = p.id; }
    if (scopeSelect.value === "all") { scopeNode = null; }
    var edges = EDGES.filter(function (e) { return inScope(e) && page.isShown(e.id); });
    var intervals = INTERVALS.filter(intervalInScope);
    var dated = edges.filter(function (e) { return e.when.first_day !== null; });
    var undated = EDGES.filter(function (e) { return inScope(e) && e.when.first_day === null; });
    var hiddenLater = asOf === null ? 0 : EDGES.filter(function (e) {
      return inScope(e) && e.when.first_day !== null && e.when.first_day > asOf;
    }).length;
    tlStatus.textContent = (scopeNode === null ? "Whole graph" : nodeLabel(scopeNode)) +
      (scopeSelect.value === "entity" && scopeNode === null ? " (click an entity)" : "") +
      (asOf === null ? "" : " \u00b7 as of " + isoDay(asOf) + ": " +
        plural(hiddenLater, "later relation", "later relations") + " hidden");

    var lo = Infinity;
    var hi = -Infinity;
    EDGES.forEach(function (e) {  // one axis for every scope and date: rows keep their place
      if (e.when.first_day !== null) { lo = Math.min(lo, e.when.first_day); hi = Math.max(hi, e.when.last_day); }
    });
    if (lo <= hi) {
      var pad = Math.max(30, Math.round((hi - lo) * 0.05));
      lo -= pad;
      hi += pad;
      var axis = track(lo, hi);
      axis.box.classList.add("kg-axis");
      var y0 = new Date(lo * DAY_MS).getUTCFullYear();
      var y1 = new Date(hi * DAY_MS).getUTCFullYear();
      for (var y = y0; y <= y1; y++) {
        var day = Math.max(lo, Date.UTC(y, 0, 1) / DAY_MS);
        var tick = el("span", "kg-year", String(y));
        tick.style.left = axis.x(day);
        axis.box.appendChild(tick);
      }
      row(tlBody, "", "", axis, null).classList.add("kg-tl-axis");

      tlBody.appendChild(el("h3", null, "Presence (" + intervals.length + ")"));
      intervals.forEach(function (iv) {
        var status = statusAsOf(iv);
        var t = track(lo, hi);
        var label = iv.forces_label + " in " + iv.host_label + " \u00b7 " + (status || "not yet reported");
        var r = row(tlBody, label, intervalText(iv), t, function () { selectInterval(iv); }, intervalDates(iv));
        r.classList.add("kg-tl-interval");
        r.dataset.status = status || "";
        if (iv.first || iv.last) {
          var first = dayOf(iv.first || iv.last);
          var last = dayOf(iv.ended_on || iv.last || iv.first);
          mark(t, first, asOf === null ? last : Math.min(last, Math.max(first, asOf)),
            "kg-tl-bar kg-tl-" + (status || "none"));
        }
        if (iv.ends_by) { mark(t, dayOf(iv.ends_by), dayOf(iv.ends_by), "kg-tl-deadline").title = "to end by " + iv.ends_by; }
        if (asOf !== null) { mark(t, asOf, asOf, "kg-tl-asof"); }
      });

      tlBody.appendChild(el("h3", null, "Events (" + dated.length + ")"));
      var byDate = dated.slice().sort(function (a, b) { return a.when.first_day - b.when.first_day; });
      byDate.slice(0, MAX_ROWS).forEach(function (e) {
        var t = track(lo, hi);
        var text = nodeLabel(e.source) + " " + e.label + " " + nodeLabel(e.target);
        var title = (e.when.first === e.when.last ? e.when.first : e.when.first + " \u2013 " + e.when.last) +
          (e.when.dated_by === "article" ? " (reported)" : "");
        mark(t, e.when.first_day, e.when.last_day, "kg-tl-event").title = title;
        if (asOf !== null) { mark(t, asOf, asOf, "kg-tl-asof"); }
        row(tlBody, text, title, t, function () { page.selectEdge(e.id); }, title).classList.add("kg-tl-edge");
      });
      more(tlBody, byDate.length);
    } else {
      tlBody.appendChild(el("p", "kg-hint", "No relation in the graph has a date."));
      tlBody.appendChild(el("h3", null, "Presence (" + intervals.length + ")"));
      intervals.forEach(function (iv) {
        row(tlBody, iv.forces_label + " in " + iv.host_label + " \u00b7 " + statusAsOf(iv),
          intervalText(iv), track(0, 1), function () { selectInterval(iv); }, intervalDates(iv))
          .classList.add("kg-tl-interval");
      });
    }

    var box = el("div", "kg-undated");
    box.appendChild(el("h3", null, "Undated (" + undated.length + ")"));
    var list = el("ul");
    undated.slice(0, MAX_ROWS).forEach(function (e) {
      var item = el("li");
      item.appendChild(button(nodeLabel(e.source) + " " + e.label + " " + nodeLabel(e.target),
        "kg-link", function () { page.selectEdge(e.id); }));
      list.appendChild(item);
    });
    box.appendChild(list);
    more(box, undated.length);
    tlBody.appendChild(box);
  }

  function more(parent, n) {
    if (n > MAX_ROWS) {
      parent.appendChild(el("p", "kg-hint", "\u2026 and " + (n - MAX_ROWS).toLocaleString("en") +
        " more: narrow them with the filters or select an entity"));
    }
  }

  function dayOf(iso) { return Math.floor(Date.parse(iso) / DAY_MS); }

  function intervalDates(iv) {
    // from when to when: first reported, ended (or last reported), and a deadline to come
    var parts = [iv.first ? "from " + iv.first : null,
      iv.ended_on ? "ended " + iv.ended_on : iv.last && iv.last !== iv.first ? "last " + iv.last : null,
      iv.ends_by ? "to end by " + iv.ends_by : null].filter(Boolean);
    return parts.length ? parts.join(" \u00b7 ") : "undated";
  }

  function intervalText(iv) {
    return [iv.status, iv.first ? "from " + iv.first : null, iv.last ? "last reported " + iv.last : null,
      iv.ended_on ? "ended " + iv.ended_on : null, iv.ends_by ? "to end by " + iv.ends_by : null,
      plural(iv.articles, "article", "articles")].filter(Boolean).join(" \u00b7 ");
  }

  function selectInterval(iv) {
    // The event that decided its status: the withdrawal of an ended presence, and so on.
    var order = STATUS_ORDER.map(function (p) { return p[0]; });
    var best = iv.events.slice().sort(function (a, b) { return order.indexOf(a.kind) - order.indexOf(b.kind); })[0];
    if (best) { page.selectEdge(best.edge); }
  }

  // --- Table -----------------------------------------------------------------------------------

  var COLUMNS = [
    { key: "relation", name: "Relation", value: function (e) { return e.label; } },
    { key: "source", name: "Source", value: function (e) { return nodeLabel(e.source); } },
    { key: "target", name: "Target", value: function (e) { return nodeLabel(e.target); } },
    { key: "first", name: "First", className: "kg-date", value: function (e) { return e.when.first || ""; } },
    { key: "last", name: "Last", className: "kg-date", value: function (e) { return e.when.last || ""; } },
    { key: "sources", name: "Sources", number: true, className: "kg-num", value: function (e) { return e.articles.length; } },
    { key: "quantity", name: "Quantity", value: function (e) { return e.quantities.join("; "); } },
    { key: "status", name: "Status", value: function (e) { return e.statuses.join("; "); } }
  ];

  var tbControls = el("div", "kg-views-controls");
  var filterInput = el("input");
  filterInput.type = "search";
  filterInput.id = "kg-table-filter";
  filterInput.placeholder = "Filter rows";
  filterInput.setAttribute("aria-label", "Filter rows");
  filterInput.addEventListener("input", drawRows);
  var csvButton = button("Download CSV", "kg-csv", downloadCsv);
  csvButton.id = "kg-table-csv";
  var tbStatus = el("span", "kg-views-status");
  tbStatus.setAttribute("role", "status");
  tbControls.appendChild(filterInput);
  tbControls.appendChild(csvButton);
  tbControls.appendChild(tbStatus);
  var scroller = el("div", "kg-table-scroll");
  var tableEl = el("table", "kg-table");
  var headRow = el("tr");
  COLUMNS.forEach(function (c) {
    var th = el("th");
    th.appendChild(button(c.name, "kg-sort", function () {
      sort = { key: c.key, dir: sort.key === c.key ? -sort.dir : 1 };
      drawRows();
    }));
    th.dataset.key = c.key;
    headRow.appendChild(th);
  });
  var thead = el("thead");
  thead.appendChild(headRow);
  var tbody = el("tbody");
  tableEl.appendChild(thead);
  tableEl.appendChild(tbody);
  scroller.appendChild(tableEl);
  tableBox.appendChild(tbControls);
  tableBox.appendChild(scroller);

  function compare(column) {
    return function (a, b) {
      var x = column.value(a);
      var y = column.value(b);
      if (x === "" || y === "") { return x === y ? 0 : x === "" ? 1 : -1; }  // empty cells last
      var c = column.number ? x - y : String(x).localeCompare(String(y));
      return c * sort.dir || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    };
  }

  function drawRows() {
    var q = filterInput.value.trim().toLowerCase();
    var column = COLUMNS.filter(function (c) { return c.key === sort.key; })[0];
    visibleRows = EDGES.filter(function (e) {
      if (!page.isShown(e.id)) { return false; }
      return !q || COLUMNS.some(function (c) { return String(c.value(e)).toLowerCase().indexOf(q) >= 0; });
    }).sort(compare(column));
    headRow.querySelectorAll("th").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.key !== sort.key ? "none" : sort.dir > 0 ? "ascending" : "descending");
    });
    clear(tbody);
    visibleRows.slice(0, MAX_ROWS).forEach(function (e) {
      var tr = el("tr");
      tr.dataset.edge = e.id;
      COLUMNS.forEach(function (c) { tr.appendChild(el("td", c.className || null, c.value(e))); });
      tr.addEventListener("click", function () { page.selectEdge(e.id); });
      tbody.appendChild(tr);
    });
    markSelected();
    tbStatus.textContent = visibleRows.length.toLocaleString("en") + " of " +
      plural(EDGES.length, "relation", "relations") +
      (visibleRows.length > MAX_ROWS ? " (the first " + MAX_ROWS.toLocaleString("en") +
        " drawn; the CSV has them all)" : "");
  }

  function markSelected() {
    var p = page.pinned();
    var id = p && p.kind === "edge" ? p.id : null;
    Array.prototype.forEach.call(tbody.rows, function (tr) {
      tr.classList.toggle("kg-selected", tr.dataset.edge === id);
    });
  }

  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // no spreadsheet formula from article text
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadCsv() {
    var lines = [COLUMNS.map(function (c) { return csvCell(c.name); }).join(",")];
    visibleRows.forEach(function (e) {
      lines.push(COLUMNS.map(function (c) { return csvCell(c.value(e)); }).join(","));
    });
    var text = lines.join("\r\n") + "\r\n";
    window.kgViews.lastCsv = text;
    var a = document.createElement("a");
    a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(text);
    a.download = (document.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      "kg-graph") + "-relations.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.addEventListener("kg-filter", refresh);
  document.addEventListener("kg-pin", function () {
    // A selection changes only which row is marked, and the Timeline of the selected entity.
    if (current === "timeline" && scopeSelect.value === "entity") { drawTimeline(); }
    if (current === "table") { markSelected(); }
  });

  window.kgViews = {
    provenance: provenance,
    show: showView,
    setAsOf: setAsOf,
    lastCsv: null
  };
})();
