"""Conformance and fuzzing against the real server: ``aikg serve`` in a subprocess on 127.0.0.1.

- The GraphQL-over-HTTP audit of the npm package ``graphql-http`` (``tests/conformance/``, run
  with node): no MUST audit may fail, and every SHOULD and MAY audit passes too.
- Property-based fuzzing of every Query field with schemathesis (hypothesis-graphql underneath):
  a fixed seed and a bounded number of examples, so a run is reproducible; no response may be a
  5xx, a crash masked as "Unexpected error." or a broken non-null contract.

Nothing is skipped: without node or ``tests/conformance/node_modules`` (CI installs them with
``npm ci --prefix tests/conformance``) the audit fails and says how to install them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from benchmarks.http import free_port
from benchmarks.http import server as running_server

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO / "tests" / "conformance"
AUDIT = CONFORMANCE / "audit.mjs"
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

# The Query fields of the committed contract (test_schema_contract.py keeps it equal to the
# live schema); test_fuzzing_covers_every_query_field checks the live server has no other.
QUERY_FIELDS = list(
    graphql.build_schema((REPO / "api" / "schema.graphql").read_text()).query_type.fields
)

# The audits that failed before api/app.py negotiated application/graphql-response+json and
# answered request errors with 400 and no "data" entry in it.
FIXED_AUDITS = {
    "22EB": "SHOULD accept application/graphql-response+json and match the content-type",
    "865D": (
        "SHOULD use 4xx or 5xx status codes on document parsing failure (graphql-response+json)"
    ),
    "556A": "SHOULD use 400 status code on document parsing failure (graphql-response+json)",
    "D586": "SHOULD not contain the data entry on document parsing failure (graphql-response+json)",
    "51FE": (
        "SHOULD use 4xx or 5xx status codes on document validation failure (graphql-response+json)"
    ),
    "74FF": "SHOULD use 400 status code on document validation failure (graphql-response+json)",
    "5E5B": (
        "SHOULD not contain the data entry on document validation failure (graphql-response+json)"
    ),
    "86EE": "SHOULD use a status code of 400 on variable coercion failure (graphql-response+json)",
}

FUZZ_SEED = 20261129
FUZZ_EXAMPLES = {GenerationMode.POSITIVE: 150, GenerationMode.NEGATIVE: 50}
DOMAIN_ERROR_CODES = {
    "CONCEPT_NOT_FOUND",
    "AMBIGUOUS_CONCEPT",
    "PREDICATE_NOT_FOUND",
    "BAD_USER_INPUT",
}


# --- the server ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`python -m api.cli serve` (bundled ontology) on a free loopback port; yields its base URL.

    Started and stopped by the benchmark's own helper; if it exits or never answers /health,
    the fixture fails with the end of the server's log.
    """
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running_server(command, port, timeout_s=90, cwd=REPO) as running:
        yield running.url


@pytest.fixture(scope="module")
def audit(server: str) -> dict[str, dict[str, Any]]:
    """Every audit of graphql-http's `auditServer` against /graphql, by audit id."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not installed: the GraphQL-over-HTTP audit needs node >= 18 (CI has node 20)"
        )
    if not (CONFORMANCE / "node_modules" / "graphql-http").is_dir():
        pytest.fail(
            "tests/conformance/node_modules is missing: run "
            "`npm ci --prefix tests/conformance --no-audit --no-fund` (as .ci/run does)"
        )
    done = subprocess.run(
        [node, str(AUDIT), f"{server}/graphql"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        pytest.fail(f"audit.mjs exited with {done.returncode}:\n{done.stderr}")
    results = json.loads(done.stdout)
    assert results, "graphql-http ran no audit"
    return {result["id"]: result for result in results}


def _failures(results: dict[str, dict[str, Any]], level: str) -> str:
    failed = [r for r in results.values() if r["level"] == level and r["status"] != "ok"]
    return "\n".join(
        f"{r['id']} {r['name']}: {r['status']}: {r.get('reason')}\n"
        f"    response: {json.dumps(r.get('response'))}"
        for r in failed
    )


def test_no_must_audit_fails(audit: dict[str, dict[str, Any]]) -> None:
    assert any(r["level"] == "MUST" for r in audit.values())
    assert not _failures(audit, "MUST"), "MUST audits failed:\n" + _failures(audit, "MUST")


def test_every_should_audit_passes(audit: dict[str, dict[str, Any]]) -> None:
    assert not _failures(audit, "SHOULD"), "SHOULD audits failed:\n" + _failures(audit, "SHOULD")


def test_every_may_audit_passes(audit: dict[str, dict[str, Any]]) -> None:
    assert not _failures(audit, "MAY"), "MAY audits failed:\n" + _failures(audit, "MAY")


@pytest.mark.parametrize("audit_id", sorted(FIXED_AUDITS))
def test_graphql_response_json_audits_pass(audit: dict[str, dict[str, Any]], audit_id: str) -> None:
    """The audits the media-type negotiation in api/app.py made pass, named one by one."""
    assert audit_id in audit, (
        f"graphql-http no longer has audit {audit_id} ({FIXED_AUDITS[audit_id]})"
    )
    result = audit[audit_id]
    assert result["status"] == "ok", (
        f"{audit_id} {result['name']}: {result.get('reason')} {result.get('response')}"
    )


# --- media-type negotiation beyond what the audit covers --------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (JSON, JSON),
        ("*/*", JSON),
        (None, JSON),
    ],
)
@pytest.mark.parametrize(
    ("query", "request_error"),
    [
        ('{ concept(id: "LLM") { id } }', False),
        # a field error: execution started, data is null
        ('{ isA(subject: "no such concept", object: "LLM") { holds } }', False),
        ("{ concept(id: 1) { id } }", True),  # a validation error: nothing was executed
        ("{ concept(", True),  # a syntax error
    ],
)
def test_media_type_and_status_follow_the_accept_header(
    server: str, accept: str | None, media_type: str, query: str, request_error: bool
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.post(f"{server}/graphql", json={"query": query}, headers=headers, timeout=10)
    body = response.json()
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == JSON or not request_error:
        assert response.status_code == 200 and "data" in body
    else:
        assert response.status_code == 400 and "data" not in body and body["errors"]


# --- schemathesis fuzzing of every Query field -----------------------------------------------


@pytest.fixture(scope="module")
def fuzz_schema(server: str) -> Any:
    """The live schema by introspection, with the concepts' ids, labels, alternative labels and
    page cursors as a dictionary for String arguments (else random text almost never names a
    concept and the resolvers below the lookup are never reached)."""
    page = httpx.post(
        f"{server}/graphql",
        json={
            "query": "{ concepts(first: 1000) { edges { cursor node { id label altLabels } } } }"
        },
        timeout=30,
    ).json()["data"]["concepts"]["edges"]
    values = sorted(
        {edge["cursor"] for edge in page[::10]}
        | {value for edge in page for value in (edge["node"]["id"], edge["node"]["label"])}
        | {alt for edge in page for alt in edge["node"]["altLabels"]}
    )
    config = SchemathesisConfig.from_dict(
        {
            "dictionaries": {"concepts": {"values": values}},
            "generation": {
                "dictionaries": {"string": {"dictionary": "concepts", "probability": 0.5}}
            },
        }
    )
    return schemathesis.graphql.from_url(f"{server}/graphql", config=config)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as client:
        yield client


def test_the_committed_contract_has_query_fields_to_fuzz() -> None:
    assert {"concept", "isA", "exampleOf"} <= set(QUERY_FIELDS)


def test_fuzzing_covers_every_query_field(fuzz_schema: Any) -> None:
    assert sorted(fuzz_schema["Query"]) == sorted(QUERY_FIELDS)


@pytest.mark.slow  # 200 fuzzed queries per field: about 20 s in all
@pytest.mark.parametrize("mode", list(FUZZ_EXAMPLES), ids=lambda mode: mode.value)
@pytest.mark.parametrize("field", QUERY_FIELDS)
def test_fuzzed_queries_never_crash_the_server(
    fuzz_schema: Any, session: requests.Session, field: str, mode: GenerationMode
) -> None:
    """Positive cases are valid queries (random and real arguments, random selections); negative
    ones break the schema (missing arguments, wrong types). Each is sent asking for
    application/json or application/graphql-response+json."""
    strategy = fuzz_schema["Query"][field].as_strategy(generation_mode=mode)

    @seed(FUZZ_SEED)
    @settings(
        max_examples=FUZZ_EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(case=strategy, accept=st.sampled_from([JSON, GRAPHQL_RESPONSE]))
    def fuzz(case: Any, accept: str) -> None:
        response = case.call(session=session, headers={"Accept": accept}, timeout=30)
        _check(case.body, accept, mode, response)

    fuzz()


def _check(query: str, accept: str, mode: GenerationMode, response: Any) -> None:
    """Judge one schemathesis ``Response`` (headers are lists of values, the body is bytes)."""
    text = response.content.decode("utf-8", errors="replace")
    where = f"\nquery:\n{query}\nAccept: {accept}\nstatus {response.status_code}: {text[:2000]}"
    assert response.status_code < 500, "server error" + where
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.split(";")[0] == accept, "wrong content-type" + where
    body = json.loads(text)
    assert isinstance(body, dict) and ("data" in body or body.get("errors")), (
        "not a GraphQL response" + where
    )
    errors = body.get("errors") or []
    codes = [(error.get("extensions") or {}).get("code") for error in errors]
    assert "INTERNAL_SERVER_ERROR" not in codes, "a crash, masked as 'Unexpected error.'" + where
    broken = [e for e in errors if "Cannot return null for non-nullable field" in e["message"]]
    assert not broken, "a non-null field resolved to null" + where
    request_error = (
        bool(errors) and body.get("data") is None and not any("path" in error for error in errors)
    )
    if accept == GRAPHQL_RESPONSE and request_error:
        assert response.status_code == 400 and "data" not in body, "request error not a 400" + where
    else:
        assert response.status_code == 200, "unexpected status" + where
    if mode is GenerationMode.NEGATIVE:
        assert request_error, "an invalid query was not rejected" + where
    else:
        field_errors = [code for error, code in zip(errors, codes, strict=True) if "path" in error]
        assert set(field_errors) <= DOMAIN_ERROR_CODES, (
            "a field error without a domain code" + where
        )
