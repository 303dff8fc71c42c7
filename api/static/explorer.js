// The aikg explorer: search a concept, read it, walk its neighbourhood, ask "is X a Y?".
//
// Plain JavaScript, no build step. Every request is a POST to the GraphQL endpoint with the
// user's text in variables, never in the query string. Every piece of text from the graph
// reaches the page through textContent, never innerHTML. The location hash holds the concept
// shown (#gpt-4), so pages can be linked and back/forward work; no hash is the start page.

import { clearGraph, currentGraph, drawNeighbourhood, drawRoots, highlightChain, predicateName } from "./graph-view.js";

const GRAPHQL_URL = new URL("graphql", document.baseURI);
const SEARCH_DELAY_MS = 150;
const GRAPH_NODES = 60;
const EXAMPLES_PAGE = 100;

const CONCEPT_QUERY = `query Concept($id: String!, $nodes: Int!) {
  concept(id: $id) {
    id iri label altLabels definition kind source
    mappings { relation iri }
    facts { predicateLabel value language }
    identifiers { scheme value url }
    parameters activeParameters contextLength trainingTokens
    parents { id label }
    types { id label }
    ancestors { id label parents { id } }
    allTypes { id label parents { id } }
    childCount children(first: 100) { id label }
    exampleCount(transitive: false) allExampleCount: exampleCount(transitive: true)
    examples(transitive: false, first: 100) { id label }
    relationCount relations(first: 100) { direction predicate phrase other { id label } }
  }
  neighbourhood(id: $id, depth: 1, first: $nodes) {
    totalNodes
    nodes { id label kind }
    edges { subject { id } predicate predicateLabel object { id } }
  }
}`;

// The root kinds (no parent) are found by paging through the kinds: the API has no roots field.
const ROOTS_QUERY = `query Roots($after: String) {
  concepts(kind: CLASS, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id label kind parents(first: 1) { id } descendantCount allExampleCount: exampleCount(transitive: true) }
  }
}`;

// Enter and Go: the concept the text names (id, IRI, label), else the top match of the search.
const OPEN_QUERY = `query Open($text: String!) {
  concept(id: $text) { id }
  search(text: $text, first: 1) { id }
}`;

const EXAMPLES_QUERY = `query Examples($id: String!, $first: Int!, $offset: Int!) {
  concept(id: $id) { id exampleCount(transitive: true) examples(transitive: true, first: $first, offset: $offset) { id label } }
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

// --- the graph (drawn by graph-view.js) ---------------------------------------------------

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

/**
 * How many concepts the concept is joined to each way ("in " or "out " and the predicate's IRI,
 * the graph's group keys), drawn or not: its hierarchy's counts, and its relations by predicate
 * when the page fetched all of them.
 */
function joinedTotals(concept) {
  const totals = new Map([
    [`out ${SUBCLASS_OF}`, concept.parents.length],
    [`in ${SUBCLASS_OF}`, concept.childCount],
    [`out ${RDF_TYPE}`, concept.types.length],
    [`in ${RDF_TYPE}`, concept.exampleCount],
  ]);
  if (concept.relations.length === concept.relationCount) {
    for (const relation of concept.relations) {
      const key = `${relation.direction === "OUT" ? "out" : "in"} ${relation.predicate}`;
      totals.set(key, (totals.get(key) || 0) + 1);
    }
  }
  return totals;
}

function describeNeighbourhood(focusId, subgraph, folded) {
  const focus = subgraph.nodes.find((node) => node.id === focusId);
  const more = subgraph.totalNodes > subgraph.nodes.length ? ` (the nearest ${subgraph.nodes.length} of ${subgraph.totalNodes})` : "";
  const clusters = folded.length
    ? ` The ${folded.reduce((sum, group) => sum + group.members.length, 0)} neighbours joined the same way in large numbers ` +
      `are folded into ${folded.length} dashed cluster${folded.length === 1 ? "" : "s"}: click one to open it, click its frame to fold it again.`
    : "";
  $("graph-summary").textContent =
    `${focus ? focus.label : focusId} and the ${subgraph.nodes.length - 1} concepts one edge away${more}, ` +
    `with ${subgraph.edges.length} edges among them.${clusters} Click a concept to move there; the same ` +
    `neighbours are listed under Relations.`;
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

/**
 * The concept's edges grouped by predicate and direction, in the order they come (outgoing
 * first): [{ direction, phrase, others }], the phrase read from the concept's side.
 */
function relationGroups(concept) {
  const groups = new Map();
  for (const edge of concept.relations) {
    const key = `${edge.direction} ${edge.predicate}`;
    if (!groups.has(key)) groups.set(key, { direction: edge.direction, phrase: edge.phrase, others: [] });
    groups.get(key).others.push(edge.other);
  }
  return [...groups.values()];
}

/** One line per predicate and direction: "developed by (1): OpenAI", "author of (18): …". */
function relationGroupItem(group) {
  const heading = h("span", { class: "relation-heading" }, h("span", { class: "predicate" }, group.phrase), ` (${group.others.length})`);
  return h("li", { "data-direction": group.direction.toLowerCase() }, heading, linkList(group.others, group.phrase));
}

function relationsSection(concept) {
  const groups = relationGroups(concept);
  const list = h("ul", { class: "relations", "aria-label": "Relations" });
  for (const group of groups) list.append(relationGroupItem(group));
  return section(
    `Relations (${concept.relationCount})`,
    groups.length ? h("p", { class: "help" }, "Grouped by relation and read from this side (“developer of” for an edge “developed by” that points here), outgoing first.") : null,
    groups.length ? list : h("p", {}, "None."),
    countNote(concept.relations.length, concept.relationCount),
  );
}

/**
 * Named examples: the direct ones listed, and the count through sub-kinds with a button that
 * lists them all (a kind like transformer has none directly but many through its sub-kinds).
 */
function examplesSection(concept) {
  const direct = concept.exampleCount;
  const all = concept.allExampleCount;
  const title = all > direct ? `Named examples (${direct} directly, ${all} with its sub-kinds)` : `Named examples (${direct})`;
  const parts = [
    concept.examples.length ? linkList(concept.examples, "Named examples") : h("p", {}, "None directly."),
    countNote(concept.examples.length, direct),
  ];
  if (all > concept.examples.length) {
    const target = h("div", { class: "all-examples" });
    const button = h("button", { type: "button", class: "link-button" }, `List all ${all} named examples, through sub-kinds`);
    button.addEventListener("click", () => listAllExamples(concept.id, target, 0));
    parts.push(h("p", {}, button), target);
  }
  return section(title, ...parts);
}

async function listAllExamples(id, target, offset) {
  try {
    const data = await graphql(EXAMPLES_QUERY, { id, first: EXAMPLES_PAGE, offset });
    if (!data.concept || !target.isConnected) return;
    const { examples, exampleCount } = data.concept;
    let list = target.querySelector("ul");
    if (!list) {
      list = linkList([], "All named examples");
      target.replaceChildren(list);
    }
    for (const example of examples) list.append(h("li", {}, conceptLink(example)));
    target.querySelector(".more")?.remove();
    const shown = offset + examples.length;
    if (shown < exampleCount) {
      const more = h("button", { type: "button", class: "link-button more" }, `${exampleCount - shown} more`);
      more.addEventListener("click", () => listAllExamples(id, target, shown));
      target.append(more);
    }
  } catch (error) {
    showError(error);
  }
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
  // Every literal statement (release date, notes, licence, title…), as the API names it.
  for (const fact of concept.facts) {
    const language = fact.language && fact.language !== "en" ? h("span", { class: "language" }, ` (${fact.language})`) : null;
    facts.append(h("dt", {}, fact.predicateLabel), h("dd", { class: "fact" }, fact.value, language));
  }
  for (const [name, value] of numbers(concept)) facts.append(h("dt", { class: "number-name" }, name), h("dd", { class: "number" }, value));
  for (const identifier of concept.identifiers) {
    const href = identifier.url ? safeHref(identifier.url) : null;
    const value = href ? h("a", { href, rel: "noopener noreferrer" }, identifier.value) : h("code", {}, identifier.value);
    facts.append(h("dt", {}, identifier.scheme), h("dd", { class: "identifier" }, value));
  }
  for (const mapping of concept.mappings) {
    facts.append(h("dt", {}, `Mapped (${mapping.relation})`), h("dd", {}, sourceLink(mapping.iri, mapping.iri)));
  }
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
    parts.push(examplesSection(concept));
  }
  parts.push(relationsSection(concept));
  panel.replaceChildren(...parts);
}

const LARGE = new Intl.NumberFormat("en", { notation: "compact", compactDisplay: "long", maximumSignificantDigits: 3 });

/** A named model's numbers the API knows, in words: [["parameters", "175 billion"], …]. */
function numbers(concept) {
  const known = [
    ["parameters", concept.parameters, (n) => LARGE.format(n)],
    ["active parameters", concept.activeParameters, (n) => LARGE.format(n)],
    ["context length", concept.contextLength, (n) => `${n.toLocaleString("en")} tokens`],
    ["training tokens", concept.trainingTokens, (n) => LARGE.format(n)],
  ];
  return known.filter(([, value]) => value !== null && value !== undefined).map(([name, value, format]) => [name, format(value)]);
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

/** Forget the concept shown: its panel, graph and proof go, so nothing stale stays on screen. */
function forgetConcept(message) {
  current = null;
  delete document.body.dataset.concept;
  $("is-a-answer").replaceChildren();
  $("concept").replaceChildren(h("h2", { id: "concept-heading" }, "No concept shown"), h("p", {}, message));
  clearGraph();
  $("graph-summary").textContent = "No concept shown.";
}

async function load(id) {
  const token = ++loading;
  setState("loading");
  clearError();
  $("is-a-answer").replaceChildren(); // a proof belongs to the concept it was asked on
  try {
    const data = await graphql(CONCEPT_QUERY, { id, nodes: GRAPH_NODES });
    if (token !== loading) return;
    if (data.concept === null) throw new Error(`Unknown concept '${id}'.`);
    current = data.concept;
    renderConcept(current);
    const folded = drawNeighbourhood($("graph"), current.id, data.neighbourhood, navigate, joinedTotals(current));
    describeNeighbourhood(current.id, data.neighbourhood, folded);
    document.title = `${current.label} — aikg explorer`;
    if (idFromHash() !== current.id) history.replaceState(null, "", hashFor(current.id));
    $("is-a-subject").value = current.label;
    document.body.dataset.concept = current.id;
    setState("ready");
  } catch (error) {
    if (token !== loading) return;
    forgetConcept("Search a concept above, or pick one the message suggests.");
    showError(error);
    setState("error");
  }
}

// --- the start page: the root kinds --------------------------------------------------------

/** Every root kind (a kind under no other), largest first by its examples through sub-kinds. */
async function fetchRoots() {
  const roots = [];
  let after = null;
  do {
    const { concepts } = await graphql(ROOTS_QUERY, { after });
    roots.push(...concepts.nodes.filter((kind) => kind.parents.length === 0));
    after = concepts.pageInfo.hasNextPage ? concepts.pageInfo.endCursor : null;
  } while (after !== null);
  const size = (root) => root.allExampleCount + root.descendantCount;
  return roots.sort((a, b) => size(b) - size(a) || a.label.localeCompare(b.label));
}

function rootsSection(roots) {
  const list = h("ul", { class: "roots", "aria-label": "Root kinds" });
  for (const root of roots) {
    list.append(
      h(
        "li",
        {},
        conceptLink(root),
        h("span", { class: "counts" }, ` ${root.allExampleCount} named example${root.allExampleCount === 1 ? "" : "s"}, ${root.descendantCount} sub-kind${root.descendantCount === 1 ? "" : "s"}`),
      ),
    );
  }
  return section(`Browse the ${roots.length} root kinds`, h("p", { class: "help" }, "Each kind with its named examples counted through its sub-kinds; the largest first."), list);
}

async function loadStart() {
  const token = ++loading;
  setState("loading");
  clearError();
  current = null;
  delete document.body.dataset.concept;
  $("is-a-answer").replaceChildren();
  document.title = "aikg explorer";
  $("concept").replaceChildren(INTRO.cloneNode(true));
  try {
    const roots = await fetchRoots();
    if (token !== loading) return;
    $("concept").append(rootsSection(roots));
    drawRoots($("graph"), roots, navigate);
    $("graph-summary").textContent =
      `The ${roots.length} root kinds, labelled with their named examples (through sub-kinds) and sub-kinds; ` +
      `the smaller ones wait in a dashed cluster that shows them all on click. Click a kind to explore it.`;
    setState("ready");
  } catch (error) {
    if (token !== loading) return;
    clearGraph();
    showError(error);
    setState("error");
  }
}

const INTRO = $("intro").cloneNode(true);

function route() {
  const id = idFromHash();
  if (id) load(id);
  else loadStart();
}

window.addEventListener("hashchange", route);

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

/**
 * Enter without a highlighted match, or Go: open what the text names (an id, IRI or label),
 * else the top match of the search (so "chinchila" opens Chinchilla); with no match at all,
 * the text itself, for the server's "did you mean".
 */
async function openText(text) {
  const token = ++searchToken; // a pending autocomplete answer must not reopen the list
  clearTimeout(searchTimer);
  closeResults();
  try {
    const data = await graphql(OPEN_QUERY, { text });
    if (token !== searchToken) return;
    const found = data.concept || data.search[0];
    navigate(found ? found.id : text);
  } catch (error) {
    showError(error);
  }
}

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = search.value.trim();
  if (text) openText(text);
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
    return currentGraph();
  },
};

route();
