/* coopkg view: search, filters and details over a vis-network drawing.
   All text from the graph is written with textContent, never as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("coopkg-data").textContent);
  var T = DATA.text;
  var container = document.getElementById("coopkg-network");
  var details = document.getElementById("coopkg-details");
  var counts = document.getElementById("coopkg-counts");
  var searchBox = document.getElementById("coopkg-search");
  var results = document.getElementById("coopkg-results");

  var shownKinds = new Set(DATA.kinds.map(function (k) { return k.kind; }));
  var shownRelations = new Set(DATA.relations.map(function (r) { return r.relation; }));
  var kindOf = DATA.nodes.map(function (n) { return n.kind; });
  var kindLabel = {};
  DATA.kinds.forEach(function (k) { kindLabel[k.kind] = k.label; });
  var kindColor = {};
  DATA.kinds.forEach(function (k) { kindColor[k.kind] = k.color; });

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return shownKinds.has(n.kind); } });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) {
      return shownRelations.has(e.rel) && shownKinds.has(kindOf[e.from]) && shownKinds.has(kindOf[e.to]);
    }
  });
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, DATA.options);

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2019\u2018`]/g, "'").replace(/[\s\-]+/g, " ").trim();
  }
  var names = DATA.info.map(function (i) { return [i.label].concat(i.aliases || []).map(fold); });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function nodeButton(id) {
    var b = el("button", DATA.info[id].label, "link");
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function safeUrl(url) {
    try {
      var u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }
  function fmt(x) { return typeof x === "number" ? x.toFixed(2) : String(x); }

  function describeEvidence(list, parent) {
    parent.appendChild(el("h3", T.evidence));
    if (!list || !list.length) { parent.appendChild(el("p", T.no_evidence, "hint")); return; }
    list.forEach(function (ev) {
      parent.appendChild(el("blockquote", ev.quote));
      var src = el("p", null, "source");
      var art = DATA.articles[ev.article] || null;
      src.appendChild(document.createTextNode(T.article + ": "));
      var name = art ? (art.headline || art.id) : (ev.article || "?");
      var url = art && art.url ? safeUrl(art.url) : null;
      if (url) {
        var a = el("a", name);
        a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
        src.appendChild(a);
      } else {
        src.appendChild(document.createTextNode(name));
      }
      var bits = [];
      if (art && art.id) { bits.push(art.id); }
      if (art && art.date) { bits.push(art.date); }
      if (ev.start !== undefined) { bits.push(T.characters + " " + ev.start + "–" + ev.end); }
      if (ev.confidence !== undefined) { bits.push(T.confidence.toLowerCase() + " " + fmt(ev.confidence)); }
      if (ev.rule) { bits.push(T.rule + " " + ev.rule); }
      if (bits.length) { src.appendChild(document.createTextNode(" (" + bits.join(", ") + ")")); }
      parent.appendChild(src);
    });
  }

  function header(title, kind) {
    details.textContent = "";
    details.appendChild(el("h2", title));
    if (kind) {
      var badge = el("span", kindLabel[kind] || kind, "kind");
      badge.style.background = kindColor[kind] || "#6b7280";
      details.appendChild(badge);
    }
  }

  function showNode(id) {
    var info = DATA.info[id];
    if (!info) { return; }
    header(info.label, info.kind);
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", k)); var dd = el("dd"); if (v instanceof Node) { dd.appendChild(v); } else { dd.textContent = v; } dl.appendChild(dd); }
    row(T.type, (info.classes || []).join(", ") || info.kind);
    if (info.aliases && info.aliases.length) { row(T.aliases, info.aliases.join(" · ")); }
    if (info.date) { row(T.date, info.date); }
    if (info.confidence !== undefined) { row(T.confidence, fmt(info.confidence)); }
    row(T.iri, info.iri);
    details.appendChild(dl);
    var links = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    if (links.length) {
      details.appendChild(el("h3", T.links));
      var ul = el("ul");
      links.slice(0, 200).forEach(function (e) {
        var li = el("li");
        var other = e.from === id ? e.to : e.from;
        var rel = DATA.relationLabels[e.rel] || e.rel;
        var arrow = e.arrows === "to" ? (e.from === id ? " → " : " ← ") : " — ";
        li.appendChild(document.createTextNode(rel + arrow));
        li.appendChild(nodeButton(other));
        var b = el("button", T.why, "link why");
        b.type = "button";
        b.addEventListener("click", function () { pinned = { edge: e.id }; network.selectEdges([e.id]); showEdge(e.id); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    if (info.kind === "event" || info.evidence) { describeEvidence(info.evidence, details); }
  }

  function showEdge(id) {
    var e = edges.get(id);
    var x = DATA.edgeInfo[id];
    if (!e || !x) { return; }
    header(DATA.relationLabels[x.rel] || x.rel, null);
    var p = el("p");
    p.appendChild(nodeButton(e.from));
    p.appendChild(document.createTextNode(e.arrows === "to" ? "  →  " : "  —  "));
    p.appendChild(nodeButton(e.to));
    if (e.arrows !== "to") { p.appendChild(document.createTextNode("  (" + T.symmetric + ")")); }
    details.appendChild(p);
    var dl = el("dl");
    if (x.confidence !== undefined) { dl.appendChild(el("dt", T.confidence)); dl.appendChild(el("dd", fmt(x.confidence))); }
    if (x.channels && x.channels.length) {
      dl.appendChild(el("dt", T.channel));
      var dd = el("dd");
      x.channels.forEach(function (c) { if (typeof c === "number") { dd.appendChild(nodeButton(c)); } else { dd.appendChild(document.createTextNode(String(c))); } });
      dl.appendChild(dd);
    }
    details.appendChild(dl);
    describeEvidence(x.evidence, details);
  }

  var pinned = null;
  function showPinned() {
    if (pinned && pinned.node !== undefined) { showNode(pinned.node); }
    else if (pinned && pinned.edge !== undefined) { showEdge(pinned.edge); }
    else { header(T.details, null); details.appendChild(el("p", T.hint, "hint")); }
  }
  network.on("hoverNode", function (p) { showNode(p.node); });
  network.on("hoverEdge", function (p) { showEdge(p.edge); });
  network.on("blurNode", showPinned);
  network.on("blurEdge", showPinned);
  network.on("click", function (p) {
    if (p.nodes.length) { pinned = { node: p.nodes[0] }; }
    else if (p.edges.length) { pinned = { edge: p.edges[0] }; }
    else { pinned = null; }
    showPinned();
  });

  function updateCounts() {
    counts.textContent = nodesView.length + " / " + nodes.length + " " + T.nodes + " · " +
      edgesView.length + " / " + edges.length + " " + T.edges + " " + T.shown;
  }
  function refresh() { nodesView.refresh(); edgesView.refresh(); updateCounts(); }

  function setKindShown(kind, shown) {
    if (shown) { shownKinds.add(kind); } else { shownKinds.delete(kind); }
    var box = document.querySelector('input[data-kind="' + CSS.escape(kind) + '"]');
    if (box) { box.checked = shown; }
    refresh();
  }
  function setRelationShown(rel, shown) {
    if (shown) { shownRelations.add(rel); } else { shownRelations.delete(rel); }
    var box = document.querySelector('input[data-relation="' + CSS.escape(rel) + '"]');
    if (box) { box.checked = shown; }
    refresh();
  }
  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () { setKindShown(box.dataset.kind, box.checked); });
  });
  document.querySelectorAll("input[data-relation]").forEach(function (box) {
    box.addEventListener("change", function () { setRelationShown(box.dataset.relation, box.checked); });
  });

  function search(text) {
    var q = fold(text);
    if (!q) { return []; }
    var exact = [], starts = [], inside = [];
    names.forEach(function (list, id) {
      if (list.indexOf(q) >= 0) { exact.push(id); }
      else if (list.some(function (n) { return n.indexOf(q) === 0; })) { starts.push(id); }
      else if (list.some(function (n) { return n.indexOf(q) >= 0; })) { inside.push(id); }
    });
    return exact.concat(starts, inside);
  }
  function focusNode(id) {
    if (!shownKinds.has(kindOf[id])) { setKindShown(kindOf[id], true); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: DATA.nodes.length <= 2000 ? { duration: 300 } : false });
    pinned = { node: id };
    showNode(id);
    results.hidden = true;
  }
  var active = -1, found = [];
  function showResults() {
    results.textContent = "";
    found = search(searchBox.value).slice(0, 20);
    active = found.length ? 0 : -1;
    if (!searchBox.value.trim()) { results.hidden = true; return; }
    if (!found.length) { results.appendChild(el("li", T.no_match)); }
    found.forEach(function (id, i) {
      var li = el("li", DATA.info[id].label);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.appendChild(el("small", kindLabel[DATA.info[id].kind] || DATA.info[id].kind));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); if (!found.length) { showResults(); } if (found.length) { focusNode(found[Math.max(active, 0)]); } }
    else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!found.length) { return; }
      active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      Array.prototype.forEach.call(results.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  searchBox.addEventListener("blur", function () { results.hidden = true; });

  var view = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    ready: false, readyAt: null, search: search, focusNode: focusNode, showNode: showNode, showEdge: showEdge,
    setKindShown: setKindShown, setRelationShown: setRelationShown,
    drawnNodeIds: function () { return network.body.nodeIndices.slice(); },
    drawnEdgeIds: function () {
      return network.body.edgeIndices.filter(function (id) { var e = network.body.edges[id]; return e && e.connected; });
    }
  };
  window.coopkgView = view;
  function markReady() {
    if (view.ready) { return; }
    view.ready = true;
    view.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
    if (DATA.focus !== null && DATA.focus !== undefined) { focusNode(DATA.focus); }
  }
  updateCounts();
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }
  network.redraw();
})();
