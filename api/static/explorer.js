// The aikg explorer: search a concept, read it, walk its neighbourhood, ask "is X a Y?".
//
// Plain JavaScript, no build step. Every request is a POST to the GraphQL endpoint with the
// user's text in variables, never in the query string. Every piece of text from the graph
// reaches the page through textContent, never innerHTML. The location hash holds the concept
// shown (#gpt-4), so pages can be linked and back/forward work.

const GRAPHQL_URL = new URL("graphql", document.baseURI);
const SEARCH_DELAY_MS = 150;
const GRAPH_NODES = 60;
const MAX_FIT_ZOOM = 1.1;

const CONCEPT_QUERY = `query Concept($id: String!, $nodes: Int!) {
  concept(id: $id) {
    id iri label altLabels definition kind source released
    parents { id label }
    types { id label }
    ancestors { id label parents { id } }
    allTypes { id label parents { id } }
    childCount children(first: 100) { id label }
    exampleCount(transitive: false) allExampleCount: exampleCount(transitive: true)
    examples(transitive: false, first: 100) { id label }
    relationCount relations(first: 100) { subject { id label } predicate predicateLabel object { id label } }
  }
  neighbourhood(id: $id, depth: 1, first: $nodes) {
    totalNodes
    nodes { id label kind }
    edges { subject { id } predicate predicateLabel object { id } }
  }
}`;

const SOURCE_QUERY = `query Source($id: String!) { concept(id: $id) { id label } }`;

const SEARCH_QUERY = `query Search($text: String!) {
  search(text: $text, first: 8) { id label kind altLabels }
}`;

const EDGE_FIELDS = "subject { id label kind } predicate predicateLabel object { id label kind }";
const IS_A_QUERY = `query IsA($subject: String!, $object: String!) {
  isA(subject: $subject, object: $object) { holds path { ${EDGE_FIELDS} } }
}`;
const PATH_QUERY = `query Path($from: String!, $to: String!) {
  path(from: $from, to: $to, maxLength: 6) { ${EDGE_FIELDS} }
}`;

const $ = (id) => document.getElementById(id);

// --- GraphQL -------------------------------------------------------------------------------

class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join(" "));
    this.errors = errors;
  }
}

async function graphql(query, variables) {
  let response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new Error(`The server could not be reached (${error.message}).`);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The server answered ${response.status} ${response.statusText} without JSON.`);
  }
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
  if (!response.ok) throw new Error(`The server answered ${response.status} ${response.statusText}.`);
  return body.data;
}

// --- small DOM helpers ---------------------------------------------------------------------

/** An element with text content and attributes; children are appended in order. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function hashFor(id) {
  return "#" + encodeURIComponent(id);
}

/** A link that shows a concept of the graph. */
function conceptLink(concept) {
  return h("a", { href: hashFor(concept.id), "data-id": concept.id }, concept.label);
}

/** An outside link, only for http(s) addresses: data never becomes a javascript: URL. */
function safeHref(iri) {
  try {
    const url = new URL(iri);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The readable name of an edge's predicate, else the local name of its IRI (skos:related → related). */
function predicateName(edge) {
  return edge.predicateLabel || edge.predicate.split(/[#/]/).filter(Boolean).pop() || edge.predicate;
}

function kindName(kind) {
  return kind === "CLASS" ? "kind" : "named example";
}

function setState(state) {
  document.body.dataset.state = state;
}

// --- errors --------------------------------------------------------------------------------

function showError(error) {
  const box = $("error");
  box.replaceChildren(h("strong", {}, "Error: "), error.message);
  // "Did you mean" labels of an unknown concept, or the ids an ambiguous label could mean.
  const extensions = (error.errors || []).map((e) => e.extensions || {});
  const references = [...new Set(extensions.flatMap((e) => [...(e.suggestions || []), ...(e.candidates || [])]))];
  if (references.length) {
    const list = h("ul", { class: "suggestions", "aria-label": "Suggestions" });
    for (const reference of references) list.append(h("li", {}, h("a", { href: hashFor(reference) }, reference)));
    box.append(list);
  }
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").replaceChildren();
}

// --- the graph -----------------------------------------------------------------------------

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)", "font-size": 13, color: "#1d2330", "text-valign": "bottom",
      "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 110,
      "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2,
      width: 20, height: 20, "border-width": 1, "border-color": "#1d2330",
    },
  },
  { selector: "node.class", style: { shape: "round-rectangle", "background-color": "#2f7d5b" } },
  { selector: "node.example", style: { shape: "ellipse", "background-color": "#5159c9" } },
  {
    selector: "node.focus",
    style: { width: 34, height: 34, "border-width": 5, "border-color": "#111111", "font-size": 14, "font-weight": "bold" },
  },
  {
    selector: "edge",
    style: {
      width: 1.5, "curve-style": "bezier", "line-color": "#98a2b3", "target-arrow-color": "#98a2b3",
      "target-arrow-shape": "triangle", label: "data(label)", "font-size": 10, color: "#475467",
      "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.85,
    },
  },
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

let cy = null;

function edgeId(edge) {
  return `${edge.subject.id} ${edge.predicate} ${edge.object.id}`;
}

function nodeElement(node) {
  return { group: "nodes", data: { id: node.id, label: node.label }, classes: node.kind === "CLASS" ? "class" : "example" };
}

function edgeElement(edge) {
  return {
    group: "edges",
    data: { id: edgeId(edge), source: edge.subject.id, target: edge.object.id, label: predicateName(edge) },
  };
}

/**
 * Rings around the concept shown: its neighbours fill rings of 8, 16, 24... (a disc, not one
 * long circle, when there are many), and anything a proof brought in goes on the outside.
 */
function layout() {
  const focus = cy.nodes(".focus");
  const ring = new Map();
  let capacity = 8;
  let level = 1;
  let used = 0;
  for (const node of cy.nodes().not(focus)) {
    if (!node.edgesWith(focus).length) continue;
    if (used === capacity) {
      level += 1;
      capacity += 8;
      used = 0;
    }
    ring.set(node.id(), level);
    used += 1;
  }
  cy.layout({
    name: "concentric",
    concentric: (node) => (node.hasClass("focus") ? 100 : 100 - (ring.get(node.id()) ?? level + 1)),
    levelWidth: () => 1,
    minNodeSpacing: 60,
    spacingFactor: 1.3,
    padding: 20,
    animate: false,
  }).run();
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM); // a few nodes would otherwise be drawn huge
    cy.center();
  }
}

/**
 * A new Cytoscape instance for these elements. Reusing one instance for the next graph left
 * some labels drawn from stale, blurry texture caches; a fresh instance per graph does not.
 */
function createGraph(elements, focusId) {
  if (cy !== null) cy.destroy();
  cy = window.cytoscape({
    container: $("graph"),
    elements,
    style: STYLE,
    layout: { name: "preset" },
    minZoom: 0.2,
    maxZoom: 3,
  });
  cy.on("tap", "node", (event) => {
    if (!event.target.hasClass("focus")) navigate(event.target.id());
  });
  cy.on("mouseover", "node", () => ($("graph").style.cursor = "pointer"));
  cy.on("mouseout", "node", () => ($("graph").style.cursor = ""));
  cy.getElementById(focusId).addClass("focus");
  layout();
}

function drawGraph(focusId, subgraph) {
  createGraph([...subgraph.nodes.map(nodeElement), ...subgraph.edges.map(edgeElement)], focusId);
  const focus = subgraph.nodes.find((node) => node.id === focusId);
  const more = subgraph.totalNodes > subgraph.nodes.length ? ` (the nearest ${subgraph.nodes.length} of ${subgraph.totalNodes})` : "";
  $("graph-summary").textContent =
    `${focus ? focus.label : focusId} and the ${subgraph.nodes.length - 1} concepts one edge away${more}, ` +
    `with ${subgraph.edges.length} edges among them. Click a concept to move there; the same ` +
    `neighbours are listed under Relations.`;
}

/** Add a chain of edges to the graph (with any missing nodes), numbered and highlighted. */
function highlightChain(edges) {
  if (cy === null) return;
  const missing = new Map();
  for (const edge of edges) {
    for (const node of [edge.subject, edge.object]) {
      if (cy.getElementById(node.id).empty()) missing.set(node.id, nodeElement(node));
    }
    if (cy.getElementById(edgeId(edge)).empty()) missing.set(edgeId(edge), edgeElement(edge));
  }
  if (missing.size) {
    const focusId = cy.nodes(".focus").id();
    createGraph([...cy.elements().jsons(), ...missing.values()], focusId);
  }
  cy.elements().removeClass("proof faded");
  edges.forEach((edge, index) => {
    const element = cy.getElementById(edgeId(edge));
    element.data("stepLabel", `${index + 1}. ${predicateName(edge)}`);
    element.addClass("proof");
    element.connectedNodes().addClass("proof");
  });
  if (edges.length) cy.elements().not(".proof").addClass("faded");
}

// --- the concept panel ---------------------------------------------------------------------

/** Chains from the concept up to a root, one per direct parent (kinds) or type (examples). */
function pathsToRoot(concept) {
  const starts = concept.kind === "CLASS" ? concept.parents : concept.types;
  const known = new Map((concept.kind === "CLASS" ? concept.ancestors : concept.allTypes).map((c) => [c.id, c]));
  return starts.map((start) => {
    const chain = [];
    const seen = new Set();
    let current = known.get(start.id) || { ...start, parents: [] };
    while (current && !seen.has(current.id)) {
      chain.push(current);
      seen.add(current.id);
      current = current.parents.length ? known.get(current.parents[0].id) : null;
    }
    return chain.reverse();
  });
}

function section(title, ...content) {
  return h("section", { class: "facet" }, h("h3", {}, title), ...content);
}

function linkList(concepts, label) {
  const list = h("ul", { class: "links", "aria-label": label });
  for (const concept of concepts) list.append(h("li", {}, conceptLink(concept)));
  return list;
}

function hierarchySection(concept) {
  const paths = pathsToRoot(concept);
  if (!paths.length) return section("Place in the hierarchy", h("p", {}, "A root: it is not under any kind."));
  const lists = paths.map((chain) => {
    const list = h("ol", { class: "breadcrumb", "aria-label": `From the root ${chain[0].label}` });
    for (const step of chain) list.append(h("li", {}, conceptLink(step)));
    list.append(h("li", { "aria-current": "page" }, h("strong", {}, concept.label)));
    return list;
  });
  const note = concept.kind === "CLASS" ? "is a" : "example of";
  return section("Place in the hierarchy", h("p", { class: "help" }, `Each line runs from a root down, by “${note}”.`), ...lists);
}

function relationItem(concept, edge) {
  const predicate = h("span", { class: "predicate" }, predicateName(edge));
  if (edge.subject.id === concept.id) return h("li", {}, predicate, " ", conceptLink(edge.object));
  return h("li", {}, conceptLink(edge.subject), " ", predicate, " ", h("em", {}, "this"));
}

function countNote(shown, total) {
  return total > shown ? h("p", { class: "help" }, `The first ${shown} of ${total}.`) : null;
}

function renderConcept(concept) {
  const panel = $("concept");
  const header = h(
    "header",
    { class: "concept-header" },
    h("h2", { id: "concept-heading" }, concept.label),
    h("span", { class: `badge ${concept.kind.toLowerCase()}` }, kindName(concept.kind)),
  );
  const parts = [header];
  if (concept.altLabels.length) parts.push(h("p", { class: "alt-labels" }, "Also: ", concept.altLabels.join(", ")));
  parts.push(h("p", { class: "definition" }, concept.definition || "No definition yet."));

  const facts = h("dl", { class: "facts" }, h("dt", {}, "IRI"), h("dd", {}, h("code", {}, concept.iri)));
  if (concept.released) facts.append(h("dt", {}, "Released"), h("dd", {}, concept.released));
  if (concept.source) {
    const source = h("dd", { id: "source" }, sourceLink(concept.source, concept.source));
    facts.append(h("dt", {}, "Source"), source);
    resolveSource(concept.source, source);
  }
  parts.push(facts, hierarchySection(concept));

  if (concept.kind === "CLASS") {
    parts.push(
      section(
        `Sub-kinds (${concept.childCount})`,
        concept.children.length ? linkList(concept.children, "Sub-kinds") : h("p", {}, "None."),
        countNote(concept.children.length, concept.childCount),
      ),
    );
    const all = concept.allExampleCount > concept.exampleCount ? `; ${concept.allExampleCount} with its sub-kinds` : "";
    parts.push(
      section(
        `Named examples (${concept.exampleCount}${all})`,
        concept.examples.length ? linkList(concept.examples, "Named examples") : h("p", {}, "None directly."),
        countNote(concept.examples.length, concept.exampleCount),
      ),
    );
  }
  const relations = h("ul", { class: "relations", "aria-label": "Relations" });
  for (const edge of concept.relations) relations.append(relationItem(concept, edge));
  parts.push(
    section(
      `Relations (${concept.relationCount})`,
      concept.relations.length ? relations : h("p", {}, "None."),
      countNote(concept.relations.length, concept.relationCount),
    ),
  );
  panel.replaceChildren(...parts);
}

function sourceLink(iri, text) {
  const href = safeHref(iri);
  return href ? h("a", { href, rel: "noopener noreferrer" }, text) : h("code", {}, text);
}

/** Show the source as the concept it names, when the graph holds it (the lesson, a paper). */
async function resolveSource(iri, target) {
  try {
    const data = await graphql(SOURCE_QUERY, { id: iri });
    if (data.concept && target.isConnected) target.replaceChildren(conceptLink(data.concept));
  } catch {
    // An outside source stays a plain link.
  }
}

// --- navigation ----------------------------------------------------------------------------

let current = null; // the concept shown
let loading = 0; // the latest load wins

function navigate(id) {
  const hash = hashFor(id);
  if (location.hash === hash) load(id);
  else location.hash = hash; // a history entry; hashchange loads it
}

function idFromHash() {
  const raw = location.hash.slice(1);
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function load(id) {
  const token = ++loading;
  setState("loading");
  clearError();
  try {
    const data = await graphql(CONCEPT_QUERY, { id, nodes: GRAPH_NODES });
    if (token !== loading) return;
    if (data.concept === null) throw new Error(`Unknown concept '${id}'.`);
    current = data.concept;
    renderConcept(current);
    drawGraph(current.id, data.neighbourhood);
    document.title = `${current.label} — aikg explorer`;
    if (idFromHash() !== current.id) history.replaceState(null, "", hashFor(current.id));
    $("is-a-subject").value = current.label;
    $("is-a-answer").replaceChildren();
    document.body.dataset.concept = current.id;
    setState("ready");
  } catch (error) {
    if (token !== loading) return;
    showError(error);
    setState("error");
  }
}

window.addEventListener("hashchange", () => {
  const id = idFromHash();
  if (id) load(id);
});

// --- search with autocomplete (an ARIA combobox) -------------------------------------------

const search = $("search");
const results = $("search-results");
let matches = [];
let active = -1;
let searchTimer = null;
let searchToken = 0;

function closeResults() {
  results.hidden = true;
  search.setAttribute("aria-expanded", "false");
  search.removeAttribute("aria-activedescendant");
  active = -1;
}

function setActive(index) {
  active = index;
  [...results.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  if (index >= 0) {
    search.setAttribute("aria-activedescendant", results.children[index].id);
    results.children[index].scrollIntoView({ block: "nearest" });
  } else {
    search.removeAttribute("aria-activedescendant");
  }
}

function choose(concept) {
  closeResults();
  search.value = concept.label;
  navigate(concept.id);
}

function showResults(found, text) {
  matches = found;
  results.replaceChildren();
  if (!found.length) {
    results.append(h("li", { class: "empty", role: "option", "aria-disabled": "true" }, `Nothing matches “${text}”.`));
  }
  found.forEach((concept, index) => {
    const also = concept.altLabels.find((alt) => alt.toLowerCase().startsWith(text.toLowerCase()));
    const option = h(
      "li",
      { id: `search-option-${index}`, role: "option", "aria-selected": "false", "data-id": concept.id },
      h("span", { class: "label" }, concept.label),
      also && also !== concept.label ? h("span", { class: "also" }, ` (${also})`) : null,
      h("span", { class: `badge ${concept.kind.toLowerCase()}` }, kindName(concept.kind)),
    );
    option.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the box
    option.addEventListener("click", () => choose(concept));
    results.append(option);
  });
  results.hidden = false;
  search.setAttribute("aria-expanded", "true");
  active = -1;
}

async function runSearch(text) {
  const token = ++searchToken;
  try {
    const data = await graphql(SEARCH_QUERY, { text });
    if (token === searchToken && search.value.trim() === text) showResults(data.search, text);
  } catch (error) {
    if (token === searchToken) showError(error);
  }
}

search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  const text = search.value.trim();
  if (!text) {
    closeResults();
    return;
  }
  searchTimer = setTimeout(() => runSearch(text), SEARCH_DELAY_MS);
});

search.addEventListener("keydown", (event) => {
  const open = !results.hidden && matches.length > 0;
  if (event.key === "ArrowDown" && open) {
    event.preventDefault();
    setActive((active + 1) % matches.length);
  } else if (event.key === "ArrowUp" && open) {
    event.preventDefault();
    setActive(active <= 0 ? matches.length - 1 : active - 1);
  } else if (event.key === "Escape") {
    closeResults();
  } else if (event.key === "Enter" && open && active >= 0) {
    event.preventDefault();
    choose(matches[active]);
  }
});

search.addEventListener("blur", () => setTimeout(closeResults, 100));

// Enter without a highlighted match: open the text as a reference (the server resolves ids,
// labels and alternative labels, and says "did you mean" when nothing matches).
$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = search.value.trim();
  if (!text) return;
  closeResults();
  navigate(text);
});

// --- is X a Y? -----------------------------------------------------------------------------

function chainList(edges, label) {
  const list = h("ol", { class: "proof", "aria-label": label });
  for (const edge of edges) {
    list.append(
      h("li", {}, conceptLink(edge.subject), " ", h("span", { class: "predicate" }, `—${predicateName(edge)}→`), " ", conceptLink(edge.object)),
    );
  }
  return list;
}

async function askIsA(subject, object) {
  const answer = $("is-a-answer");
  answer.replaceChildren(h("p", {}, "Asking…"));
  clearError();
  try {
    const data = await graphql(IS_A_QUERY, { subject, object });
    const { holds, path } = data.isA;
    if (holds) {
      const first = path[0].subject.label;
      const last = path[path.length - 1].object.label;
      answer.replaceChildren(
        h("p", { class: "verdict yes" }, h("strong", {}, "Yes. "), `${first} is a ${last}, in ${path.length} step${path.length === 1 ? "" : "s"}:`),
        chainList(path, "Proof"),
      );
      highlightChain(path);
      return;
    }
    answer.replaceChildren(h("p", { class: "verdict no" }, h("strong", {}, "No. "), `${subject} is neither a sub-kind of ${object} nor an example of it.`));
    highlightChain([]);
    const connection = await graphql(PATH_QUERY, { from: subject, to: object });
    if (connection.path && connection.path.length) {
      answer.append(h("p", {}, "They are connected by other relations, though:"), chainList(connection.path, "Connection"));
      highlightChain(connection.path);
    }
  } catch (error) {
    answer.replaceChildren();
    showError(error);
  }
}

$("is-a-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const subject = $("is-a-subject").value.trim();
  const object = $("is-a-object").value.trim();
  if (subject && object) askIsA(subject, object);
});

// --- start ---------------------------------------------------------------------------------

// For tests and the curious: the Cytoscape instance drawing the neighbourhood.
window.aikgExplorer = {
  get cy() {
    return cy;
  },
};

const start = idFromHash();
if (start) load(start);
