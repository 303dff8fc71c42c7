// The explorer's graph: a Cytoscape.js drawing of a neighbourhood (or of the root kinds) that
// stays legible. Large neighbourhoods fold their neighbours into clusters, one per predicate and
// direction ("16 × developed by", or "26 of 32 × authored by" when only the nearest are drawn),
// that open on click; the fCoSE layout (a vendored Cytoscape extension) keeps nodes from
// overlapping; labels are never drawn smaller than READABLE_PX.

/** Above this many concepts, neighbours are folded into clusters. */
export const CLUSTER_ABOVE = 25;
/** A group of at least this many neighbours is folded when the neighbourhood is large. */
const CLUSTER_MIN = 5;
/** The smallest rendered label, in CSS pixels: the initial zoom never goes below it. */
export const READABLE_PX = 11;
const NODE_FONT_PX = 13;
const EDGE_FONT_PX = 12;
const MIN_ZOOM = READABLE_PX / EDGE_FONT_PX;
const MAX_FIT_ZOOM = 1.1;

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)", "font-size": NODE_FONT_PX, color: "#1d2330", "text-valign": "bottom",
      "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 120,
      "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2,
      "min-zoomed-font-size": READABLE_PX, width: 20, height: 20, "border-width": 1, "border-color": "#1d2330",
    },
  },
  { selector: "node.class", style: { shape: "round-rectangle", "background-color": "#2f7d5b" } },
  { selector: "node.example", style: { shape: "ellipse", "background-color": "#5159c9" } },
  {
    selector: "node.focus",
    style: { width: 34, height: 34, "border-width": 5, "border-color": "#111111", "font-size": 14, "font-weight": "bold" },
  },
  {
    selector: "node.cluster",
    style: {
      shape: "round-rectangle", width: 44, height: 30, "background-color": "#fde68a", "border-width": 2,
      "border-color": "#92400e", "border-style": "dashed", "font-weight": "bold",
    },
  },
  {
    selector: "node.group",
    style: {
      shape: "round-rectangle", "background-color": "#fef3c7", "background-opacity": 0.45,
      "border-color": "#92400e", "border-style": "dashed", "border-width": 2, padding: 12,
      "text-valign": "top", "text-halign": "center", "text-margin-y": -4, "font-weight": "bold",
    },
  },
  { selector: "node.root", style: { "text-max-width": 150 } },
  {
    selector: "edge",
    style: {
      width: 1.5, "curve-style": "bezier", "line-color": "#98a2b3", "target-arrow-color": "#98a2b3",
      "target-arrow-shape": "triangle", label: "data(label)", "font-size": EDGE_FONT_PX, color: "#475467",
      "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.85,
      "min-zoomed-font-size": READABLE_PX,
    },
  },
  // Edges between two neighbours are drawn without a label: the focus's own edges carry the story.
  { selector: "edge.among", style: { label: "", width: 1, "line-color": "#d0d5dd", "target-arrow-color": "#d0d5dd" } },
  // Inside an open cluster the frame names the relation: its edges need no label each.
  { selector: "edge.in-cluster", style: { label: "" } },
  { selector: "edge.to-cluster", style: { width: 3, "line-style": "dashed", "line-color": "#92400e", "target-arrow-color": "#92400e" } },
  { selector: ".folded", style: { display: "none" } },
  { selector: ".faded", style: { opacity: 0.3 } },
  {
    selector: "edge.proof",
    style: {
      width: 5, "line-color": "#c2410c", "target-arrow-color": "#c2410c", label: "data(stepLabel)",
      "font-size": 13, "font-weight": "bold", color: "#7c2d12", "z-index": 10,
    },
  },
  { selector: "node.proof", style: { "border-width": 5, "border-style": "double", "border-color": "#c2410c", "z-index": 10 } },
];

/** The readable name of an edge's predicate, else the local name of its IRI (skos:related → related). */
export function predicateName(edge) {
  return edge.predicateLabel || edge.predicate.split(/[#/]/).filter(Boolean).pop() || edge.predicate;
}

export function edgeId(edge) {
  return `${edge.subject.id} ${edge.predicate} ${edge.object.id}`;
}

export function nodeElement(node, parent) {
  const data = parent ? { id: node.id, label: node.label, parent } : { id: node.id, label: node.label };
  return { group: "nodes", data, classes: node.kind === "CLASS" ? "class" : "example" };
}

function edgeElement(edge, focusId) {
  const touchesFocus = edge.subject.id === focusId || edge.object.id === focusId;
  return {
    group: "edges",
    data: { id: edgeId(edge), source: edge.subject.id, target: edge.object.id, label: predicateName(edge) },
    classes: touchesFocus ? "" : "among",
  };
}

/**
 * The neighbours of the focus grouped by how they are joined to it: one group per predicate and
 * direction, in the order the edges come. A neighbour joined in several ways joins its first group.
 */
export function groupNeighbours(focusId, edges) {
  const groups = new Map();
  const placed = new Set([focusId]);
  for (const edge of edges) {
    const outgoing = edge.subject.id === focusId;
    if (!outgoing && edge.object.id !== focusId) continue;
    const other = outgoing ? edge.object.id : edge.subject.id;
    if (placed.has(other)) continue;
    placed.add(other);
    const key = `${outgoing ? "out" : "in"} ${edge.predicate}`;
    if (!groups.has(key)) groups.set(key, { key, outgoing, predicate: edge.predicate, label: predicateName(edge), members: [] });
    groups.get(key).members.push(other);
  }
  return [...groups.values()];
}

/**
 * Which groups to fold: none when the neighbourhood has at most CLUSTER_ABOVE concepts; else
 * every group of CLUSTER_MIN or more, then the largest of the rest until CLUSTER_ABOVE concepts
 * (counting each fold as one) remain.
 */
export function groupsToFold(nodeCount, groups) {
  if (nodeCount <= CLUSTER_ABOVE) return [];
  const bySize = [...groups].filter((group) => group.members.length > 1).sort((a, b) => b.members.length - a.members.length);
  const folded = bySize.filter((group) => group.members.length >= CLUSTER_MIN);
  let visible = nodeCount - folded.reduce((sum, group) => sum + group.members.length - 1, 0);
  for (const group of bySize) {
    if (visible <= CLUSTER_ABOVE) break;
    if (folded.includes(group)) continue;
    folded.push(group);
    visible -= group.members.length - 1;
  }
  return folded;
}

/**
 * How many neighbours a group holds: "26" when it holds every concept joined that way, "26 of 32"
 * when the neighbourhood drawn (its nearest concepts only) holds fewer than `total`.
 */
export function memberCount(group, total) {
  const count = group.members.length;
  return total !== undefined && total > count ? `${count} of ${total}` : `${count}`;
}

function clusterLabel(group, focusLabel, count) {
  return group.outgoing ? `${focusLabel} ${group.label}: ${count}` : `${count} × ${group.label} ${focusLabel}`;
}

/** The elements of a folded group: a compound node holding its members, and the closed cluster. */
function clusterElements(group, focusId, focusLabel, total) {
  const id = `cluster ${group.key}`;
  const count = memberCount(group, total);
  const label = clusterLabel(group, focusLabel, count);
  return {
    compound: { group: "nodes", data: { id: `group ${group.key}`, label, cluster: id }, classes: "group folded" },
    cluster: { group: "nodes", data: { id, label: group.outgoing ? `${group.label}: ${count}` : `${count} × ${group.label}`, title: label, group: `group ${group.key}` }, classes: "cluster" },
    edge: {
      group: "edges",
      data: {
        id: `${id} edge`,
        source: group.outgoing ? focusId : id,
        target: group.outgoing ? id : focusId,
        label: `${group.label} (${count})`,
      },
      classes: "to-cluster",
    },
  };
}

let cy = null;
let onOpen = () => {};
let onExpand = () => {};

/** The Cytoscape instance drawn last (for tests and the curious), or null. */
export function currentGraph() {
  return cy;
}

/** Remove the drawing (after an error, nothing stale stays on screen). */
export function clearGraph() {
  if (cy !== null) cy.destroy();
  cy = null;
}

/**
 * A new Cytoscape instance for these elements. Reusing one instance for the next graph left
 * some labels drawn from stale, blurry texture caches; a fresh instance per graph does not.
 */
function createGraph(container, elements) {
  clearGraph();
  cy = window.cytoscape({ container, elements, style: STYLE, layout: { name: "preset" }, minZoom: 0.2, maxZoom: 3 });
  cy.on("tap", "node", (event) => {
    const node = event.target;
    if (node.hasClass("more")) onExpand();
    else if (node.hasClass("cluster")) openCluster(node);
    else if (node.hasClass("group")) closeCluster(node);
    else if (!node.hasClass("focus")) onOpen(node.id());
  });
  cy.on("mouseover", "node", (event) => (container.style.cursor = event.target.hasClass("focus") ? "" : "pointer"));
  cy.on("mouseout", "node", () => (container.style.cursor = ""));
  return cy;
}

/** Show a folded group's members inside their compound node, with the edges they have. */
function openCluster(cluster) {
  const compound = cy.getElementById(cluster.data("group"));
  cluster.addClass("folded");
  cluster.connectedEdges().addClass("folded");
  compound.removeClass("folded");
  compound.children().removeClass("folded");
  unfoldEdges();
  arrange("fcose", compound);
}

function closeCluster(compound) {
  const cluster = cy.getElementById(compound.data("cluster"));
  compound.addClass("folded");
  compound.children().addClass("folded");
  compound.children().connectedEdges().addClass("folded");
  cluster.removeClass("folded");
  cluster.connectedEdges().removeClass("folded");
  arrange();
}

/** An edge is shown when both its ends are. */
function unfoldEdges() {
  for (const edge of cy.edges(".folded")) {
    if (edge.hasClass("to-cluster")) continue;
    if (!edge.source().hasClass("folded") && !edge.target().hasClass("folded")) edge.removeClass("folded");
  }
}

/** Lay out what is shown without overlaps, then zoom so that every label is READABLE_PX or more. */
function arrange(name = "fcose", centre = null) {
  const shown = cy.elements().not(".folded");
  const options =
    name === "fcose"
      ? { name, quality: "proof", randomize: true, animate: false, nodeRepulsion: 12000, idealEdgeLength: 150, nodeSeparation: 110, padding: 24, packComponents: true, nodeDimensionsIncludeLabels: true, numIter: 5000 }
      : { name, animate: false, padding: 24, avoidOverlap: true, avoidOverlapPadding: 20, cols: 4 };
  shown.layout(options).run();
  separate(shown.nodes());
  zoomToShow(shown, centre ?? cy.nodes(".focus"));
}

/**
 * Push apart any two nodes whose bodies still overlap after the layout (fCoSE leaves a pair
 * now and then inside a crowded cluster), each by half the overlap along the shorter axis.
 */
function separate(nodes, gap = 4, passes = 20) {
  const bodies = nodes.filter((node) => !node.isParent()).toArray();
  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    for (let i = 0; i < bodies.length; i++) {
      for (let j = i + 1; j < bodies.length; j++) {
        const [a, b] = [bodies[i], bodies[j]];
        const [p, q] = [a.boundingBox({ includeLabels: false }), b.boundingBox({ includeLabels: false })];
        const dx = Math.min(p.x2, q.x2) - Math.max(p.x1, q.x1) + gap;
        const dy = Math.min(p.y2, q.y2) - Math.max(p.y1, q.y1) + gap;
        if (dx <= 0 || dy <= 0) continue;
        const [pa, pb] = [a.position(), b.position()];
        if (dx < dy) {
          const sign = pb.x >= pa.x ? 1 : -1;
          a.position({ x: pa.x - (sign * dx) / 2, y: pa.y });
          b.position({ x: pb.x + (sign * dx) / 2, y: pb.y });
        } else {
          const sign = pb.y >= pa.y ? 1 : -1;
          a.position({ x: pa.x, y: pa.y - (sign * dy) / 2 });
          b.position({ x: pb.x, y: pb.y + (sign * dy) / 2 });
        }
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/**
 * Fit these elements, but no larger than MAX_FIT_ZOOM (a few nodes would be drawn huge) and no
 * smaller than readable labels allow: then centre on `centre`, and the rest is a pan away.
 */
function zoomToShow(elements, centre) {
  cy.fit(elements, 24);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center(elements);
  } else if (cy.zoom() < MIN_ZOOM) {
    cy.zoom(MIN_ZOOM);
    cy.center(centre.nonempty() ? centre : elements);
  }
}

/**
 * Draw a neighbourhood around the focus, folding large groups of neighbours into clusters.
 * `open(id)` is called when a concept is clicked; `totals` maps a group's key ("in " or "out "
 * and the predicate's IRI) to how many concepts the focus has joined that way, drawn or not.
 * Returns the groups folded.
 */
export function drawNeighbourhood(container, focusId, subgraph, open, totals = new Map()) {
  onOpen = open;
  const focus = subgraph.nodes.find((node) => node.id === focusId);
  const focusLabel = focus ? focus.label : focusId;
  const folded = groupsToFold(subgraph.nodes.length, groupNeighbours(focusId, subgraph.edges));
  const parentOf = new Map();
  const extra = [];
  for (const group of folded) {
    const parts = clusterElements(group, focusId, focusLabel, totals.get(group.key));
    extra.push(parts.compound, parts.cluster, parts.edge);
    for (const member of group.members) parentOf.set(member, parts.compound.data.id);
  }
  const nodes = subgraph.nodes.map((node) => {
    const element = nodeElement(node, parentOf.get(node.id));
    if (parentOf.has(node.id)) element.classes += " folded";
    if (node.id === focusId) element.classes += " focus";
    return element;
  });
  const edges = subgraph.edges.map((edge) => {
    const element = edgeElement(edge, focusId);
    if (parentOf.has(edge.subject.id) || parentOf.has(edge.object.id)) element.classes += " folded in-cluster";
    return element;
  });
  createGraph(container, [...nodes, ...extra, ...edges]);
  arrange();
  return folded;
}

/**
 * Draw the root kinds on a grid, each labelled with its counts: the largest `shown` of them,
 * and the rest folded into one cluster that, clicked, draws them all.
 */
export function drawRoots(container, roots, open, shown = 12) {
  onOpen = open;
  const label = (root) => `${root.label}\n${root.allExampleCount} examples, ${root.descendantCount} sub-kinds`;
  const elements = roots.slice(0, shown).map((root) => ({ ...nodeElement({ ...root, label: label(root) }), classes: "class root" }));
  const rest = roots.length - shown;
  if (rest > 0) {
    elements.push({ group: "nodes", data: { id: "more roots", label: `${rest} more kinds` }, classes: "cluster more" });
  }
  onExpand = () => drawRoots(container, roots, open, roots.length);
  createGraph(container, elements);
  arrange("grid");
}

/** Add a chain of edges to the graph (with any missing nodes), numbered and highlighted. */
export function highlightChain(edges) {
  if (cy === null) return;
  const missing = [];
  for (const edge of edges) {
    for (const node of [edge.subject, edge.object]) {
      const drawn = cy.getElementById(node.id);
      if (drawn.empty()) missing.push(nodeElement(node));
      else if (drawn.hasClass("folded")) openCluster(cy.getElementById(drawn.parent().data("cluster")));
    }
    if (cy.getElementById(edgeId(edge)).empty()) missing.push(edgeElement(edge, null));
  }
  const unique = [...new Map(missing.map((element) => [element.data.id, element])).values()];
  if (unique.length) {
    cy.add(unique.filter((element) => cy.getElementById(element.data.id).empty()));
    arrange();
  }
  cy.elements().removeClass("proof faded");
  edges.forEach((edge, index) => {
    const element = cy.getElementById(edgeId(edge));
    element.data("stepLabel", `${index + 1}. ${predicateName(edge)}`);
    element.removeClass("folded among in-cluster");
    element.addClass("proof");
    element.connectedNodes().addClass("proof");
  });
  if (edges.length) {
    cy.elements().not(".proof").addClass("faded");
    zoomToShow(cy.elements(".proof"), cy.nodes(".focus"));
  }
}
