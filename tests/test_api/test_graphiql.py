"""GraphiQL at ``/graphql``: served from the package's own files, and used offline in Chromium.

The browser test starts ``aikg serve`` on loopback and drives Debian's chromium with Playwright
(as tests/test_api/test_explorer.py does), with every request to a host other than 127.0.0.1
refused as if the network were down: the page must render and run a query all the same.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from api.app import create_app
from api.settings import Settings
from api.web.explorer import STATIC
from graph import KnowledgeGraph

# The explorer's own server and browser fixtures (module-scoped: one of each here too).
from tests.test_api.test_explorer import (  # noqa: F401 - fixtures are used by name
    ARTIFACTS,
    TIMEOUT_MS,
    browser,
    needs_chromium,
    server,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
VENDORED = {  # each vendored file of the page and the licence kept beside it
    "react.production.min.js": "react.LICENSE",
    "react-dom.production.min.js": "react-dom.LICENSE",
    "graphiql.min.js": "graphiql.LICENSE",
    "graphiql.min.css": "graphiql.LICENSE",
    "graphiql-plugin-explorer.umd.js": "graphiql-explorer.LICENSE",
    "graphiql-plugin-explorer.css": "graphiql-explorer.LICENSE",
}
QUERY = (
    '{ isA(subject: "GPT-4", object: "foundation model") { holds } concept(id: "LLM") { label } }'
)


@pytest.fixture(scope="module")
def client(bundled: KnowledgeGraph) -> TestClient:
    return TestClient(create_app(graph=bundled))


def page_addresses(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', html)


# --- served, without a browser -----------------------------------------------------------------


def test_browsers_get_the_packaged_graphiql_page_with_a_policy_that_keeps_it_local(
    client: TestClient,
) -> None:
    response = client.get("/graphql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (STATIC / "graphiql.html").read_text()
    header = response.headers["content-security-policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no other host
    assert policy["connect-src"] == "'self'"
    assert "http" not in header


def test_the_page_names_only_files_of_this_server_and_each_is_served(client: TestClient) -> None:
    html = (STATIC / "graphiql.html").read_text()
    addresses = page_addresses(html)
    assert [a for a in addresses if re.match(r"[a-z]+:|//|/", a) and a != "data:,"] == []
    files = [a for a in addresses if a.startswith("static/")]
    assert {f"static/vendor/{name}" for name in VENDORED} <= set(files)
    for address in files:
        response = client.get(f"/{address}")
        assert response.status_code == 200, address
        kind = "text/css" if address.endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], address


def test_every_vendored_file_has_its_licence_and_is_named_with_its_version() -> None:
    vendor = STATIC / "vendor"
    notes = (vendor / "README.md").read_text()
    for name, licence in VENDORED.items():
        assert (vendor / name).stat().st_size > 500, name
        assert "MIT License" in (vendor / licence).read_text(), licence
        assert re.search(rf"`{re.escape(name)}` \|[^|]+\| \d+\.\d+\.\d+ \|", notes), name
    assert "react@18.3.1" in notes and "graphiql@3.8.3" in notes
    bundled = (vendor / "graphiql.THIRD-PARTY.LICENSES").read_text()  # what graphiql.min.js holds
    assert "codemirror@" in bundled and "graphql@" in bundled and "entities@" in bundled


def test_graphql_requests_to_the_same_address_still_get_json(client: TestClient) -> None:
    by_get = client.get("/graphql", params={"query": '{ concept(id: "LLM") { id } }'})
    assert by_get.status_code == 200
    assert by_get.json()["data"] == {"concept": {"id": "large-language-model"}}
    by_post = client.post(
        "/graphql", json={"query": '{ concept(id: "LLM") { id } }'}, headers={"Accept": BROWSER}
    )
    assert by_post.json()["data"] == {"concept": {"id": "large-language-model"}}
    no_query = client.get("/graphql", headers={"Accept": "application/json"})
    assert no_query.status_code == 400 and "graphiql" not in no_query.text.lower()


def test_without_graphiql_browsers_get_a_404(bundled: KnowledgeGraph) -> None:
    client = TestClient(create_app(Settings(graphiql=False), graph=bundled))
    assert client.get("/graphql", headers={"Accept": BROWSER}).status_code == 404


# --- in the browser, offline -------------------------------------------------------------------


@pytest.mark.slow
@needs_chromium
def test_graphiql_renders_and_runs_a_query_with_no_other_host_reachable(
    browser: Browser,  # noqa: F811 - the imported fixtures, requested by name
    server: str,  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page: Page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    requested: list[str] = []
    refused: list[str] = []
    problems: list[str] = []

    def offline(route: Route) -> None:
        url = route.request.url
        requested.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:  # what a browser without a network gets
            refused.append(url)
            route.abort("internetdisconnected")

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"{message.type}: {message.text}")

    page.route("**/*", offline)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    try:
        page.goto(f"{server}/graphql")
        editor = page.locator(".graphiql-query-editor .CodeMirror")
        expect(editor).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Execute query"))).to_be_visible()

        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(QUERY)
        expect(editor).to_contain_text('isA(subject: "GPT-4"')
        page.get_by_role("button", name=re.compile("^Execute query")).click()
        result = page.get_by_role("region", name="Result Window")
        expect(result).to_contain_text('"holds": true')
        expect(result).to_contain_text('"label": "large language model"')
        assert "q=" in page.url  # the query is kept in the address, to share as a link
        page.get_by_role("button", name="Show GraphiQL Explorer").click()  # the vendored plugin
        expect(page.locator(".graphiql-explorer-root")).to_contain_text("concept")

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "graphiql.png")
    finally:
        context.close()
    assert refused == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requested)
    assert any(url.endswith("/static/vendor/graphiql.min.js") for url in requested)
    assert problems == []
