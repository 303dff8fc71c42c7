"""``python -m benchmarks [--sizes 10000,100000] [--json FILE]``: the side-by-side table.

For each size, a seeded synthetic taxonomy is written as Turtle, then each engine
loads it in its own process and answers the same questions; medians, p99 and the
ratios against our index are printed as one table.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.edits import edits_table, measure_edits
from benchmarks.http import http_table, load_test, measure_http, memory_table
from benchmarks.synthetic import (
    DATA_VERSION,
    LEVELS,
    company_iri,
    example_iri,
    generate,
    kind_iri,
    write_turtle,
)

ENGINES = (
    "aikg",
    "aikg-disk",
    "pyoxigraph",
    "pyoxigraph-disk",
    "rdflib",
    "aikg-oxigraph-server",
    "aikg-virtuoso",
)


def questions_for(size: int, seed: int = 42) -> dict[str, tuple[str, list[str]]]:
    """The same questions for every engine: name → (question, arguments)."""
    taxonomy = generate(size, seed)
    levels = taxonomy.level_of
    deep = max(range(size), key=lambda n: (levels[n], -n))
    chain = [deep]
    while taxonomy.parents[chain[-1]]:
        chain.append(taxonomy.parents[chain[-1]][0])
    ancestors = set(chain)
    near_root = next(n for n in range(size) if levels[n] == 1)
    unrelated = next(n for n in range(size) if levels[n] == 2 and n not in ancestors)
    shallow = next(n for n in range(size) if levels[n] == 2)
    shallow_parent = taxonomy.parents[shallow][0]
    example = next(e for e, ts in enumerate(taxonomy.example_types) if levels[ts[0]] == 11)
    example_kind = taxonomy.example_types[example][0]
    example_parent = taxonomy.parents[example_kind][0]
    example_top = example_kind
    while taxonomy.parents[example_top]:
        example_top = taxonomy.parents[example_top][0]
    deep_with_examples = next(
        k
        for k in chain
        if 5 <= sum(1 for ts in taxonomy.example_types if k in ts) or levels[k] <= 8
    )
    return {
        "is-a true, deep": ("is_a", [kind_iri(deep), kind_iri(chain[-1])]),
        "is-a true, shallow": ("is_a", [kind_iri(shallow), kind_iri(shallow_parent)]),
        "is-a false, deep": ("is_a", [kind_iri(deep), kind_iri(unrelated)]),
        "is-a false, shallow": ("is_a", [kind_iri(shallow), kind_iri(unrelated)]),
        "is-a with proof, deep": ("is_a_with_proof", [kind_iri(deep), kind_iri(chain[-1])]),
        "is-a with proof, 2 edges": (
            "is_a_with_proof",
            [example_iri(example), kind_iri(example_parent)],
        ),
        "example-of true": ("example_of", [example_iri(example), kind_iri(example_top)]),
        "ancestors, deep": ("ancestors", [kind_iri(deep)]),
        "examples of deep kind, first 50": ("examples_page", [kind_iri(deep_with_examples)]),
        "examples of deep kind, count": ("examples_count", [kind_iri(deep_with_examples)]),
        "examples near root, first 50": ("examples_page", [kind_iri(near_root)]),
        "examples near root, count": ("examples_count", [kind_iri(near_root)]),
        "search prefix": ("search", [f"kind {size // 3}"]),
        "related, first 10": ("related", [example_iri(example)]),
        # Timed once, before any other question: what the first caller after a start waits.
        "related, first 10, first call in a process": ("related", [example_iri(example)]),
        "path, example to unrelated kind": ("path", [example_iri(example), kind_iri(unrelated)]),
        "list: examples of near-root kind by a company, newest first, first 50": (
            "filtered_list",
            [kind_iri(near_root), "developed by", company_iri(0), "RELEASED_DESC"],
        ),
        "list: everything under the root, newest first, first 50": (
            "under_list",
            [kind_iri(chain[-1]), "RELEASED_DESC"],
        ),
        "list: every concept by label, first 50 after a cursor": ("ordered_list", ["LABEL"]),
    }


def run_engine(engine: str, data: Path, questions: dict[str, Any], repeat: int) -> dict[str, Any]:
    """Measure one engine in a fresh process; its peak RSS is its own."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(questions, handle)
    command = [
        sys.executable,
        "-m",
        "benchmarks.engines",
        engine,
        str(data),
        handle.name,
        str(repeat),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(done.stdout)


def table(size: int, triples: int, results: list[dict[str, Any]], questions: dict[str, Any]) -> str:
    """One Markdown table: a row per question, a column per engine, ratios against ours."""
    by_engine = {r["engine"]: r for r in results}
    ours = by_engine.get("aikg", {})
    others = [e for e in ENGINES if e in by_engine and e != "aikg"]
    head = ["question", "aikg median (p99)"] + [f"{e} median (×aikg)" for e in others]
    rows = [f"**{size:,} kinds, {triples:,} triples**", "", "| " + " | ".join(head) + " |"]
    rows.append("|" + "---|" * len(head))
    for name in questions:
        if name not in ours:
            continue
        cells = [name, f"{_us(ours[name]['median_us'])} ({_us(ours[name]['p99_us'])})"]
        for engine in others:
            theirs = by_engine[engine].get(name)
            cells.append(
                "—"
                if theirs is None
                else f"{_us(theirs['median_us'])} "
                f"({_ratio(theirs['median_us'] / ours[name]['median_us'])})"
            )
        rows.append("| " + " | ".join(cells) + " |")
    figures = [
        ("load", "load_s", "s"),
        ("peak RSS at load", "load_rss_mb", "MiB"),
        ("restart (saved store)", "restart_s", "s"),
        ("Turtle export", "export_s", "s"),
        ("pyoxigraph's own Turtle export, same store", "own_export_s", "s"),
        ("peak RSS", "peak_rss_mb", "MiB"),
    ]
    for label, key, unit in figures:
        cells = [label] + [
            _figure(by_engine[e], key, unit, ours) for e in ["aikg", *others] if e in by_engine
        ]
        rows.append("| " + " | ".join(cells) + " |")
    rows += _export_ratios(by_engine)
    return "\n".join(rows)


def _figure(result: dict[str, Any], key: str, unit: str, ours: dict[str, Any] | None = None) -> str:
    """A load or export figure, with its ratio to aikg's in the other engines' columns."""
    if "error" in result:
        return "error"
    if key not in result:
        return "—"
    text = f"{result[key]:,.1f} {unit}"
    if ours is not None and result is not ours and ours.get(key):
        text += f" ({_ratio(result[key] / ours[key])})"
    return text


def _export_ratios(by_engine: dict[str, Any]) -> list[str]:
    """Our Turtle export over pyoxigraph's own serialisation, in the same run: of the same store
    (the one our export read, in memory or on disk), and of the pyoxigraph engine's in-memory
    store."""
    engines = ["aikg", *[e for e in ENGINES if e in by_engine and e != "aikg"]]
    theirs = by_engine.get("pyoxigraph", {}).get("export_s")
    rows = []
    for label, own in [
        ("Turtle export ÷ pyoxigraph's own, same store", lambda r: r.get("own_export_s")),
        ("Turtle export ÷ pyoxigraph's own, its in-memory store", lambda _: theirs),
    ]:
        cells = [label]
        for engine in engines:
            result = by_engine.get(engine, {})
            ours, yardstick = result.get("export_s"), own(result)
            mine = engine.startswith("aikg") and ours and yardstick
            cells.append(f"{ours / yardstick:.1f}×" if mine else "—")
        if any(cell != "—" for cell in cells[1:]):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _ratio(value: float) -> str:
    return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"


def _us(value: float) -> str:
    return f"{value:,.1f} µs" if value < 1000 else f"{value / 1000:,.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of kinds")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated; empty ('') runs no engine, only the HTTP and edit rows",
    )
    parser.add_argument(
        "--repeat", type=int, default=2000, help="calls per question (fewer for slow ones)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    parser.add_argument(
        "--http-seconds", type=int, default=10, help="wrk duration per run; 0 skips HTTP"
    )
    parser.add_argument(
        "--load-seconds", type=int, default=30, help="mixed load test length; 0 skips it"
    )
    parser.add_argument(
        "--edit-pairs",
        type=int,
        default=15,
        help="edits and their inverses through HTTP, in memory and on disk; 0 skips them",
    )
    parser.add_argument(
        "--concept-pairs",
        type=int,
        default=10,
        help="concepts added and removed through HTTP, and as many loaded ones removed; 0 skips",
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "aikg-bench")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": platform.platform(),
        "sizes": {},
    }
    print(
        f"# aikg benchmark, {report['date']}, {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}\n"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        data = args.workdir / f"synthetic-v{DATA_VERSION}-{size}.ttl"
        if not data.exists():
            write_turtle(generate(size), data)
        triples = sum(1 for _ in _count_triples(data))
        questions = questions_for(size)
        engines = [e for e in args.engines.split(",") if e]
        results = [run_engine(e, data, questions, args.repeat) for e in engines]
        report["sizes"][size] = {"triples": triples, "questions": questions, "results": results}
        if results:
            print(table(size, triples, results, questions) + "\n", flush=True)
        else:
            print(f"**{size:,} kinds, {triples:,} triples**\n", flush=True)
        if args.http_seconds > 0:
            deep, root = questions["is-a with proof, deep"][1]
            example, kind = questions["is-a with proof, 2 edges"][1]
            proofs = {"2 edges": (example, kind), f"{LEVELS - 1} edges": (deep, root)}
            store = serving_store(data, args.workdir / f"serve-store-{size}")
            rows, memory = measure_http(data, deep, proofs, args.http_seconds, store)
            report["sizes"][size]["http"] = rows
            report["sizes"][size]["serving_memory"] = memory
            print(
                f"HTTP on 127.0.0.1, wrk -t2 -c32 -d{args.http_seconds}s:\n\n{http_table(rows)}\n\n"
                "Serving (`aikg serve --data`: workers forked after one load; `aikg serve "
                "--store`: each worker maps the store's saved index):\n\n"
                f"{memory_table(memory)}\n",
                flush=True,
            )
        if args.edit_pairs > 0:
            rows = measure_edits(
                data, size, args.workdir, args.edit_pairs, concept_pairs=args.concept_pairs
            )
            report["sizes"][size]["edits"] = rows
            print(f"Edits through HTTP, one at a time:\n\n{edits_table(rows)}\n", flush=True)
    if args.load_seconds > 0:
        result = load_test(args.load_seconds)
        report["load_test"] = result
        print(
            "Load test, bundled ontology, mixed queries and export, "
            f"wrk -t2 -c16 -d{args.load_seconds}s, "
            f"{result['workers']} workers: {result['requests_per_s']:,.0f} requests/s, "
            f"p50 {result['p50_ms']:.2f} ms, "
            f"p99 {result['p99_ms']:.2f} ms, {int(result['non_2xx'])} non-2xx, socket errors: "
            f"{result['socket_errors'] or 'none'}, "
            f"RSS {result['rss_before_mb']:.0f} → {result['rss_after_mb']:.0f} MiB\n"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def serving_store(data: Path, store: Path) -> Path:
    """A new on-disk store of ``data`` (``aikg load --store``, its index saved) for serving."""
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "api.cli", "load", str(data), "--store", str(store)],
        check=True,
        capture_output=True,
    )
    return store


def _count_triples(path: Path):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.parse(path=path, format=ox.RdfFormat.TURTLE)


if __name__ == "__main__":
    sys.exit(main())
