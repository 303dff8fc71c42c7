"""The explorer page at ``/``: served with its files, and used in a real headless Chromium.

The browser tests start ``aikg serve`` in a subprocess (the benchmark's server helper, as the
conformance tests do) and drive Debian's ``chromium`` with Playwright (``executable_path``,
``--no-sandbox``; Playwright's own browser downloads are never used). They are skipped, with the
reason, only when chromium is not installed; ``.ci/run`` installs it, so CI runs them.
"""

from __future__ import annotations

import glob
import hashlib
import re
import shutil
import struct
import sys
import tomllib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from api.app import create_app
from api.web.explorer import STATIC
from benchmarks.http import free_port
from benchmarks.http import server as running_server
from graph import KnowledgeGraph

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
)
TIMEOUT_MS = 15_000


# --- served, without a browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def client(bundled: KnowledgeGraph) -> TestClient:
    return TestClient(create_app(graph=bundled))


def test_the_page_is_served_at_the_root_with_a_strict_content_security_policy(
    client: TestClient,
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert 'src="static/vendor/cytoscape.min.js"' in response.text
    assert client.head("/").status_code == 200


def test_the_page_loads_nothing_from_another_origin() -> None:
    page = (STATIC / "index.html").read_text()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses, "no src or href found in index.html"
    assert [a for a in addresses if re.match(r"[a-z]+://|//", a)] == []


def test_the_vendored_cytoscape_and_the_page_files_are_served(client: TestClient) -> None:
    library = client.get("/static/vendor/cytoscape.min.js")
    assert library.status_code == 200
    assert "javascript" in library.headers["content-type"]
    assert "The Cytoscape Consortium" in library.text[:200]
    assert client.get("/static/explorer.js").status_code == 200
    assert client.get("/static/explorer.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/missing.js").status_code == 404


#: The explorer's vendored scripts, in the order the page loads them, and the licence of each.
EXPLORER_VENDORED = {
    "cytoscape.min.js": "cytoscape.LICENSE",
    "layout-base.js": "layout-base.LICENSE",
    "cose-base.js": "cose-base.LICENSE",
    "cytoscape-fcose.js": "cytoscape-fcose.LICENSE",
}


def test_the_page_loads_cytoscape_and_its_layout_extension_in_dependency_order(
    client: TestClient,
) -> None:
    page = (STATIC / "index.html").read_text()
    scripts = re.findall(r'<script src="static/vendor/([^"]+)"', page)
    assert scripts == list(EXPLORER_VENDORED)
    for name in scripts:
        response = client.get(f"/static/vendor/{name}")
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]


def test_every_vendored_script_has_its_licence_version_and_checksum_in_the_notes() -> None:
    vendor = STATIC / "vendor"
    notes = (vendor / "README.md").read_text()
    for name, licence in EXPLORER_VENDORED.items():
        assert "Permission is hereby granted, free of charge" in (vendor / licence).read_text()
        assert re.search(rf"`{re.escape(name)}` \|[^|]+\| \d+\.\d+\.\d+ \|", notes), name
        digest = hashlib.sha256((vendor / name).read_bytes()).hexdigest()
        assert f"| `{name}` | `{digest}` |" in notes, name


def test_every_static_file_is_package_data() -> None:
    """Wheels and editable installs carry api/static: every file matches a package-data pattern
    (globbed as setuptools does, with ``**`` spanning folders)."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["api"]
    shipped = {
        name
        for pattern in patterns
        for name in glob.glob(pattern, root_dir=STATIC.parent, recursive=True)
    }
    files = {
        path.relative_to(STATIC.parent).as_posix() for path in STATIC.rglob("*") if path.is_file()
    }
    assert len(files) >= 6, files
    assert files - shipped == set()


# --- screenshots -------------------------------------------------------------------------------


def png_rgb(png: bytes) -> np.ndarray:
    """The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes), as RGB."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A), not interlaced"
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8).reshape(
        height, stride + 1
    )
    pixels = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = int(raw[y, 0]), raw[y, 1:]
        if kind == 0:
            pixels[y] = line
        elif kind == 1:  # Sub: a running sum along each channel
            pixels[y] = (
                np.cumsum(line.reshape(width, bpp), axis=0, dtype=np.uint64)
                .astype(np.uint8)
                .reshape(stride)
            )
        elif kind == 2:  # Up
            pixels[y] = line + prior
        else:  # Average and Paeth depend on the byte just decoded
            pixels[y] = _unfilter_sequential(kind, line.tolist(), prior.tolist(), bpp)
        prior = pixels[y]
    return pixels.reshape(height, width, bpp)[:, :, :3]


def _unfilter_sequential(kind: int, line: list[int], prior: list[int], bpp: int) -> list[int]:
    row = [0] * len(line)
    for i, value in enumerate(line):
        left = row[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 3:
            row[i] = (value + ((left + up) >> 1)) & 255
            continue
        corner = prior[i - bpp] if i >= bpp else 0
        guess = left + up - corner
        d_left, d_up, d_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
        best = left if d_left <= d_up and d_left <= d_corner else up if d_up <= d_corner else corner
        row[i] = (value + best) & 255
    return row


def distinct_colours(png: bytes) -> int:
    return len(np.unique(png_rgb(png).reshape(-1, 3), axis=0))


# --- in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`python -m api.cli serve` (bundled ontology) on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running_server(command, port, timeout_s=90, cwd=REPO) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class Explorer:
    """A page of the explorer, with every console error and uncaught exception it reported."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def open(self, hash_: str = "") -> None:
        self.page.goto(f"{self.base}/{hash_}")

    def shows(self, concept_id: str) -> None:
        expect(self.page.locator("body")).to_have_attribute("data-concept", concept_id)
        expect(self.page.locator("body")).to_have_attribute("data-state", "ready")

    def graph(self, expression: str) -> object:
        return self.page.evaluate(
            f"(() => {{ const cy = window.aikgExplorer.cy; return {expression}; }})()"
        )


@pytest.fixture
def explorer(browser: Browser, server: str) -> Iterator[Explorer]:
    context = browser.new_context(viewport={"width": 1280, "height": 960})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    explorer = Explorer(page, server)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            explorer.problems.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: explorer.problems.append(f"uncaught: {error}"))
    yield explorer
    context.close()


def neighbourhood_ids(server: str, concept_id: str) -> set[str]:
    query = "query($id: String!) { neighbourhood(id: $id, depth: 1, first: 60) { nodes { id } } }"
    answer = httpx.post(
        f"{server}/graphql", json={"query": query, "variables": {"id": concept_id}}
    ).json()
    return {node["id"] for node in answer["data"]["neighbourhood"]["nodes"]}


@pytest.mark.slow
@needs_chromium
def test_search_llm_click_through_to_gpt4_and_prove_it_is_a_foundation_model(
    explorer: Explorer,
) -> None:
    page = explorer.page
    explorer.open()
    page.get_by_label("Search a concept").press_sequentially("LLM")
    page.get_by_role("option", name=re.compile(r"^large language model")).click()
    explorer.shows("large-language-model")
    expect(page.locator("#concept h2")).to_have_text("large language model")
    expect(page.locator("#concept .definition")).not_to_be_empty()
    # One breadcrumb per path to the root: an LLM is a foundation model and a language model.
    breadcrumbs = page.get_by_role("list", name="From the root AI model")
    expect(breadcrumbs.filter(has_text="foundation model")).to_have_count(1)
    expect(breadcrumbs.filter(has_text=re.compile(r"AI model\s*language model"))).to_have_count(1)

    page.get_by_role("list", name="Named examples").get_by_role(
        "link", name="GPT-4", exact=True
    ).click()
    explorer.shows("gpt-4")
    assert page.url.endswith("#gpt-4")
    expect(page.locator("#concept .badge")).to_have_text("named example")
    expect(page.get_by_role("list", name="developed by", exact=True)).to_have_text("OpenAI")
    drawn = set(explorer.graph("cy.nodes().map((node) => node.id())"))  # type: ignore[arg-type]
    assert len(drawn) >= 5
    assert drawn == neighbourhood_ids(explorer.base, "gpt-4")
    assert explorer.graph("cy.$('node.focus').id()") == "gpt-4"

    expect(page.get_by_label("Is", exact=True)).to_have_value("GPT-4")
    page.get_by_label("a", exact=True).fill("foundation model")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#is-a-answer .verdict")).to_contain_text("Yes.")
    steps = page.get_by_role("list", name="Proof").get_by_role("listitem")
    expect(steps).to_have_text(
        ["GPT-4 —example of→ large language model", "large language model —is a→ foundation model"]
    )
    proof_edges = explorer.graph(
        "cy.edges('.proof').map((edge) => [edge.source().id(), edge.target().id()])"
    )
    assert proof_edges == [
        ["gpt-4", "large-language-model"],
        ["large-language-model", "foundation-model"],
    ]
    assert explorer.graph("cy.getElementById('foundation-model').hasClass('proof')") is True

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "explorer.png"
    page.screenshot(path=screenshot)
    assert distinct_colours(screenshot.read_bytes()) > 500
    assert distinct_colours(page.locator("#graph").screenshot()) > 100  # the canvas drew the graph
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_a_no_answer_says_no_and_draws_how_the_two_are_connected(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open("#gpt-4")
    explorer.shows("gpt-4")
    page.get_by_label("a", exact=True).fill("Whisper")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#is-a-answer .verdict")).to_contain_text("No.")
    expect(page.get_by_role("list", name="Proof")).to_have_count(0)
    connection = page.get_by_role("list", name="Connection").get_by_role("listitem")
    expect(connection).to_have_count(2)
    expect(connection.first).to_contain_text("GPT-4")
    expect(connection.last).to_contain_text("Whisper")
    assert explorer.graph("cy.edges('.proof').length") == 2
    assert explorer.graph("cy.getElementById('whisper').hasClass('proof')") is True
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_search_results_are_usable_from_the_keyboard(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open()
    search = page.get_by_label("Search a concept")
    search.press_sequentially("whisp")
    expect(page.get_by_role("option").first).to_contain_text("Whisper")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "search-option-0")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    explorer.shows("whisper")
    expect(search).to_have_attribute("aria-expanded", "false")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_clicking_a_graph_node_moves_there_and_back_and_forward_work(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open("#gpt-4")
    explorer.shows("gpt-4")
    x, y = explorer.graph("Object.values(cy.getElementById('openai').renderedPosition())")  # type: ignore[misc]
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    explorer.shows("openai")
    assert explorer.graph("cy.$('node.focus').id()") == "openai"
    page.go_back()
    explorer.shows("gpt-4")
    page.go_forward()
    explorer.shows("openai")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_an_unknown_concept_shows_the_did_you_mean_message(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open("#GTP-4")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Unknown concept 'GTP-4'. Did you mean: GPT-4")
    alert.get_by_role("link", name="GPT-4", exact=True).click()
    explorer.shows("gpt-4")
    expect(alert).to_be_hidden()
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_a_blank_screenshot_counts_as_blank(explorer: Explorer) -> None:
    """The non-blank check can fail: one colour decodes to exactly that colour."""
    explorer.page.set_viewport_size({"width": 320, "height": 200})
    explorer.page.set_content('<body style="margin:0;background:#123456"></body>')
    pixels = png_rgb(explorer.page.screenshot())
    assert pixels.shape == (200, 320, 3)
    assert np.unique(pixels.reshape(-1, 3), axis=0).tolist() == [[0x12, 0x34, 0x56]]


# --- legible large neighbourhoods, the start page, the typo case, errors that clear ----------

#: How many elements (nodes and edges) a large neighbourhood may show before a cluster is opened.
VISIBLE_BOUND = 30
#: The smallest rendered label, in CSS pixels.
READABLE_PX = 11
#: The font size of every visible label as drawn: Cytoscape's style times the zoom.
RENDERED_LABEL_PX = (
    "cy.elements(':visible').filter((e) => e.style('label'))"
    ".map((e) => parseFloat(e.style('font-size')) * cy.zoom())"
)
#: Pairs of visible, non-compound nodes whose drawn bodies overlap.
OVERLAPS = """(() => {
  const boxes = cy.nodes(':visible').filter((n) => !n.isParent())
    .map((n) => [n.id(), n.boundingBox({ includeLabels: false })]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) hits.push([a, b]);
  }
  return hits;
})()"""


def ask(server: str, query: str, **variables: object) -> dict[str, Any]:
    answer = httpx.post(f"{server}/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def root_kinds(server: str) -> list[str]:
    """Each root kind as the start page lists it, largest first (examples and sub-kinds)."""
    query = (
        "query($after: String) { concepts(kind: CLASS, first: 100, after: $after) { "
        "pageInfo { hasNextPage endCursor } nodes { label parents(first: 1) { id } "
        "descendantCount exampleCount(transitive: true) } } }"
    )
    roots, after = [], None
    while True:
        page = ask(server, query, after=after)["concepts"]
        roots += [kind for kind in page["nodes"] if not kind["parents"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    roots.sort(
        key=lambda kind: (-kind["exampleCount"] - kind["descendantCount"], kind["label"].lower())
    )
    return [
        f"{kind['label']} {plural(kind['exampleCount'], 'named example')}, "
        f"{plural(kind['descendantCount'], 'sub-kind')}"
        for kind in roots
    ]


def relation_groups(server: str, concept_id: str) -> dict[str, tuple[str, str, int]]:
    """Each relation phrase read from the concept's side ("author of"), with the edge's
    direction, its predicate's label ("authored by") and how many edges it has."""
    query = (
        "query($id: String!) { concept(id: $id) { relations(first: 100) { "
        "direction phrase predicateLabel } } }"
    )
    groups: dict[str, tuple[str, str, int]] = {}
    for edge in ask(server, query, id=concept_id)["concept"]["relations"]:
        _, _, count = groups.get(edge["phrase"], ("", "", 0))
        groups[edge["phrase"]] = (edge["direction"], edge["predicateLabel"], count + 1)
    return groups


def drawn_groups(server: str, concept_id: str) -> dict[tuple[str, str], int]:
    """How many of the neighbours the graph draws (the first 60, GRAPH_NODES) are joined to the
    concept by each (direction, predicate label): a neighbour joined in several ways counts in
    its first group, as the explorer folds them. Anthropic has more relations than are drawn."""
    query = (
        "query($id: String!) { neighbourhood(id: $id, depth: 1, first: 60) { "
        "edges { subject { id } predicateLabel object { id } } } }"
    )
    groups: dict[tuple[str, str], int] = {}
    placed = {concept_id}
    for edge in ask(server, query, id=concept_id)["neighbourhood"]["edges"]:
        subject, obj = edge["subject"]["id"], edge["object"]["id"]
        if concept_id not in (subject, obj):
            continue
        direction, other = ("OUT", obj) if subject == concept_id else ("IN", subject)
        if other in placed:
            continue
        placed.add(other)
        key = (direction, edge["predicateLabel"])
        groups[key] = groups.get(key, 0) + 1
    return groups


def concept_counts(server: str, concept_id: str) -> dict[str, int]:
    query = (
        "query($id: String!) { concept(id: $id) { exampleCount(transitive: false) "
        "all: exampleCount(transitive: true) } "
        "neighbourhood(id: $id, depth: 1, first: 60) { nodes { id } "
        "edges { subject { id } predicateLabel object { id } } } }"
    )
    data = httpx.post(
        f"{server}/graphql", json={"query": query, "variables": {"id": concept_id}}
    ).json()["data"]
    return {
        "direct": data["concept"]["exampleCount"],
        "all": data["concept"]["all"],
        "neighbours": len(data["neighbourhood"]["nodes"]),
        # The graph draws the first 60 neighbours (GRAPH_NODES): the examples among them.
        "drawn examples": sum(
            e["object"]["id"] == concept_id and e["predicateLabel"] == "example of"
            for e in data["neighbourhood"]["edges"]
        ),
    }


def assert_legible(explorer: Explorer) -> None:
    """At most VISIBLE_BOUND elements, labels of READABLE_PX or more, no node over another."""
    visible = explorer.graph("cy.elements(':visible').length")
    assert isinstance(visible, int) and 0 < visible <= VISIBLE_BOUND, visible
    sizes = explorer.graph(RENDERED_LABEL_PX)
    assert isinstance(sizes, list) and sizes, "no label drawn"
    assert min(sizes) >= READABLE_PX, sorted(sizes)[:5]
    assert explorer.graph(OVERLAPS) == []


def screenshot(explorer: Explorer, name: str) -> None:
    """Save the page as tests/artifacts/<name>.png (docs/screenshots.py copies them to docs/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    explorer.page.screenshot(path=path)
    assert distinct_colours(path.read_bytes()) > 500


@pytest.mark.slow
@needs_chromium
def test_the_large_language_model_page_folds_its_examples_into_a_cluster_that_opens(
    explorer: Explorer,
) -> None:
    page = explorer.page
    counts = concept_counts(explorer.base, "large-language-model")
    assert counts["neighbours"] > 25  # the case the clusters are for
    explorer.open("#large-language-model")
    explorer.shows("large-language-model")
    assert_legible(explorer)
    cluster = "cy.nodes('.cluster:visible')"
    assert counts["direct"] > counts["drawn examples"] > 25  # more than the graph draws
    assert explorer.graph(f"{cluster}.map((n) => n.data('label'))") == [
        f"{counts['drawn examples']} of {counts['direct']} × example of"
    ]
    screenshot(explorer, "explorer-large-language-model")

    x, y = explorer.graph(f"Object.values({cluster}[0].renderedPosition())")  # type: ignore[misc]
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    shown = "cy.nodes(':visible').filter((n) => !n.isParent() && !n.hasClass('cluster')).length"
    everyone = counts["neighbours"]
    page.wait_for_function(
        f"(() => {{ const cy = window.aikgExplorer.cy; return {shown}; }})() === {everyone}"
    )
    assert explorer.graph("cy.getElementById('gpt-4').visible()") is True
    assert explorer.graph("cy.nodes('.group:visible').length") == 1
    assert explorer.graph(OVERLAPS) == []
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_the_anthropic_page_groups_its_relations_and_folds_its_papers_and_models(
    explorer: Explorer,
) -> None:
    page = explorer.page
    explorer.open("#anthropic")
    explorer.shows("anthropic")
    assert_legible(explorer)
    groups = relation_groups(explorer.base, "anthropic")
    assert {"author of", "developer of"} <= set(groups)  # its papers and its models
    labels = explorer.graph("cy.nodes('.cluster:visible').map((n) => n.data('label'))")
    joined = {(direction, label): total for direction, label, total in groups.values()}
    drawn = drawn_groups(explorer.base, "anthropic")
    assert any(joined[key] > count for key, count in drawn.items() if count >= 5)  # cut short
    assert sorted(labels) == sorted(  # type: ignore[arg-type]
        f"{of} × {label}" if direction == "IN" else f"{label}: {of}"
        for (direction, label), count in drawn.items()
        if count >= 5
        for of in [
            f"{count} of {joined[direction, label]}"
            if joined[direction, label] > count
            else f"{count}"
        ]
    )
    headings = page.get_by_role("list", name="Relations").locator(".relation-heading")
    expect(headings).to_have_count(len(groups))  # example-of is the hierarchy's, not a relation
    for name, (_, _, count) in groups.items():
        expect(headings.filter(has_text=f"{name} ({count})")).to_have_count(1)
        expect(
            page.get_by_role("list", name=name, exact=True).get_by_role("listitem")
        ).to_have_count(count)
    expect(page.get_by_role("list", name="developer of")).to_contain_text("Claude 3 Opus")
    expect(page.get_by_role("list", name="example of", exact=True)).to_have_count(0)
    screenshot(explorer, "explorer-anthropic")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_examples_are_counted_through_sub_kinds_and_listed_on_demand(explorer: Explorer) -> None:
    page = explorer.page
    counts = concept_counts(explorer.base, "large-language-model")
    assert counts["all"] > counts["direct"]
    explorer.open("#large-language-model")
    explorer.shows("large-language-model")
    expect(page.locator("#concept h3", has_text="Named examples")).to_have_text(
        f"Named examples ({counts['direct']} directly, {counts['all']} with its sub-kinds)"
    )
    page.get_by_role("button", name=f"List all {counts['all']} named examples").click()
    listed = page.get_by_role("list", name="All named examples")
    pages = -(-counts["all"] // 100)  # the list comes 100 at a time (EXAMPLES_PAGE)
    for shown in range(100, 100 * pages, 100):
        expect(listed.get_by_role("listitem")).to_have_count(shown)
        page.get_by_role("button", name=f"{counts['all'] - shown} more").click()
    expect(listed.get_by_role("listitem")).to_have_count(counts["all"])
    expect(page.locator("button.more")).to_have_count(0)
    expect(listed).to_contain_text("DeepSeek-R1")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_the_start_page_browses_the_root_kinds_with_their_counts(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open()
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    expected = root_kinds(explorer.base)
    assert len(expected) > 12  # more than the graph shows before its cluster opens
    roots = page.get_by_role("list", name="Root kinds").get_by_role("listitem")
    expect(roots).to_have_text(expected)
    assert_legible(explorer)
    screenshot(explorer, "explorer-start")
    more = "cy.nodes('.more')"
    x, y = explorer.graph(f"Object.values({more}[0].renderedPosition())")  # type: ignore[misc]
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function(f"window.aikgExplorer.cy.nodes(':visible').length === {len(expected)}")
    roots.filter(has_text="model family").get_by_role("link").click()
    explorer.shows("model-family")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("key", ["Enter", "Go"])
def test_enter_or_go_on_a_typo_opens_the_top_match(explorer: Explorer, key: str) -> None:
    page = explorer.page
    explorer.open()
    search = page.get_by_label("Search a concept")
    search.fill("chinchila")
    if key == "Enter":
        search.press("Enter")
    else:
        page.get_by_role("button", name="Go").click()
    explorer.shows("chinchilla")
    assert page.url.endswith("#chinchilla")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    if key == "Enter":
        screenshot(explorer, "explorer-typo")
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_go_on_text_that_matches_nothing_says_so(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open()
    page.get_by_label("Search a concept").fill("qzxqzx")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.get_by_role("alert")).to_contain_text("Unknown concept 'qzxqzx'")


@pytest.mark.slow
@needs_chromium
def test_an_error_clears_the_concept_and_its_proof_and_the_next_concept_clears_the_error(
    explorer: Explorer,
) -> None:
    page = explorer.page
    explorer.open("#gpt-4")
    explorer.shows("gpt-4")
    page.get_by_label("a", exact=True).fill("foundation model")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#is-a-answer .verdict")).to_contain_text("Yes.")
    assert explorer.graph("cy.edges('.proof').length") == 2

    explorer.open("#no-such-concept")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.get_by_role("alert")).to_contain_text("Unknown concept")
    expect(page.locator("#is-a-answer")).to_be_empty()
    expect(page.locator("#concept h2")).to_have_text("No concept shown")
    assert explorer.graph("cy") is None
    assert page.locator("body").get_attribute("data-concept") is None
    screenshot(explorer, "explorer-error")

    explorer.open("#whisper")
    explorer.shows("whisper")
    expect(page.get_by_role("alert")).to_be_hidden()
    assert explorer.problems == []


@pytest.mark.slow
@needs_chromium
def test_a_proof_is_cleared_when_the_concept_changes(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open("#gpt-4")
    explorer.shows("gpt-4")
    page.get_by_label("a", exact=True).fill("foundation model")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("list", name="Proof")).to_be_visible()
    page.get_by_role("list", name="developed by", exact=True).get_by_role("link").click()
    explorer.shows("openai")
    expect(page.locator("#is-a-answer")).to_be_empty()
    assert explorer.graph("cy.edges('.proof').length") == 0
    assert explorer.graph("cy.elements('.faded').length") == 0
    assert explorer.problems == []


FOLD = """async ([nodeCount, sizes]) => {
  const { groupsToFold } = await import("./static/graph-view.js");
  const groups = sizes.map((size, i) => ({
    key: `g${i}`, members: Array.from({ length: size }, (_, j) => `${i}-${j}`),
  }));
  return groupsToFold(nodeCount, groups).map((group) => group.members.length);
}"""


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize(
    ("node_count", "sizes", "folded"),
    [
        (25, [20, 4], []),  # at most 25 concepts: nothing folds
        (40, [20, 6, 4, 3, 3, 2, 1], [20, 6]),  # over 25: every group of five or more
        (30, [4, 4, 4, 4, 4, 4, 4, 1], [4, 4]),  # then the largest others until 25 remain
        (30, [1] * 29, []),  # single neighbours never fold
    ],
)
def test_the_fold_rule(
    explorer: Explorer, node_count: int, sizes: list[int], folded: list[int]
) -> None:
    explorer.open()
    assert explorer.page.evaluate(FOLD, [node_count, sizes]) == folded


COUNT = """async ([size, total]) => {
  const { memberCount } = await import("./static/graph-view.js");
  const group = { members: Array.from({ length: size }, (_, i) => `n${i}`) };
  return memberCount(group, total ?? undefined);
}"""


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize(
    ("size", "total", "shown"),
    [
        (26, 32, "26 of 32"),  # the nearest concepts drawn hold 26 of the 32 joined that way
        (26, 26, "26"),  # every concept joined that way is drawn
        (26, None, "26"),  # the total is not known (more relations than the page fetched)
    ],
)
def test_a_cluster_says_how_many_of_the_concepts_joined_that_way_it_holds(
    explorer: Explorer, size: int, total: int | None, shown: str
) -> None:
    explorer.open()
    assert explorer.page.evaluate(COUNT, [size, total]) == shown


@pytest.mark.slow
@needs_chromium
def test_facts_identifiers_and_numbers_are_shown_when_the_api_has_them(explorer: Explorer) -> None:
    page = explorer.page
    query = (
        "query($id: String!) { concept(id: $id) { facts { value } "
        "identifiers { scheme value url } } }"
    )
    paper = ask(explorer.base, query, id="scaling-laws-for-neural-language-models")["concept"]
    assert paper["identifiers"] and paper["facts"]
    explorer.open("#scaling-laws-for-neural-language-models")
    explorer.shows("scaling-laws-for-neural-language-models")
    facts = page.locator("#concept .facts")
    for fact in paper["facts"]:
        expect(facts).to_contain_text(fact["value"])
    for identifier in paper["identifiers"]:
        link = facts.get_by_role("link", name=identifier["value"], exact=True)
        expect(link).to_have_attribute("href", identifier["url"])

    explorer.open("#mixtral-8x7b")
    explorer.shows("mixtral-8x7b")
    numbers = facts.locator("dt.number-name")
    expect(numbers).to_have_text(["parameters", "active parameters", "context length"])
    expect(facts.locator("dd.number")).to_have_text(
        ["46.7 billion", "12.9 billion", "32,768 tokens"]
    )

    # An organisation's homepage is its url identifier, linked like any other (the link's
    # address as the browser writes it: a bare host gets its root path).
    explorer.open("#openai")
    explorer.shows("openai")
    homepage = facts.get_by_role("link", name="https://openai.com", exact=True)
    expect(homepage).to_have_attribute("href", "https://openai.com/")
    assert explorer.problems == []
