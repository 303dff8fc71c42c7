"""The ``aikg`` command: serve, export, validate."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from api.limits import Limits
from api.settings import Settings
from graph import InvalidData, KnowledgeGraph
from graph.export import write_turtle_file
from ontology import data_files, shapes_file


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; return the process exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except InvalidData as error:
        print(f"aikg: error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aikg", description="A knowledge graph of AI concepts.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve GraphQL, Turtle and health over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (each holds the graph)")
    defaults = Settings()
    serve.add_argument("--max-depth", type=int, default=defaults.limits.max_depth, help="GraphQL query depth")
    serve.add_argument("--max-aliases", type=int, default=defaults.limits.max_aliases, help="aliases per document")
    serve.add_argument("--max-tokens", type=int, default=defaults.limits.max_tokens, help="tokens per document")
    serve.add_argument("--max-page-size", type=int, default=defaults.limits.max_page_size, help="largest `first`")
    serve.add_argument("--max-body-bytes", type=int, default=defaults.max_body_bytes, help="request body size")
    serve.add_argument("--timeout", type=float, default=defaults.timeout_s, help="seconds per GraphQL request")
    _data_argument(serve)
    _store_argument(serve)
    serve.set_defaults(run=_serve)

    load = commands.add_parser("load", help="import RDF files into an on-disk store (all or nothing)")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--store", type=Path, required=True, metavar="PATH", help="store directory")
    load.add_argument(
        "--strict", action="store_true", help="also refuse concepts without a label and shared labels"
    )
    load.set_defaults(run=_load)

    export = commands.add_parser("export", help="write the graph as deterministic Turtle")
    export.add_argument(
        "--format", choices=["turtle", "sssom"], default="turtle",
        help="turtle: the whole graph; sssom: the mappings to other vocabularies as SSSOM TSV",
    )
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    _data_argument(export)
    _store_argument(export)
    export.set_defaults(run=_export)

    validate = commands.add_parser("validate", help="check SHACL shapes, cycles and references")
    _data_argument(validate)
    _store_argument(validate)
    validate.add_argument("--shapes", type=Path, help="SHACL shapes (default: the bundled ones)")
    validate.set_defaults(run=_validate)
    return parser


def _data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="RDF files to use instead of the bundled ontology (format from the extension)",
    )


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="an on-disk Oxigraph store (made with `aikg load`, or on first `serve` from --data "
        "or the bundled ontology); reopened with its saved index",
    )


def _graph(args: argparse.Namespace) -> KnowledgeGraph:
    store = getattr(args, "store", None)
    if store is None:
        return KnowledgeGraph.from_files(args.data or data_files())
    if not (store / "oxigraph").exists():
        return KnowledgeGraph.from_files(args.data or data_files(), store)
    if args.data:
        raise InvalidData(str(store), "the store exists already; add files with `aikg load --store`")
    return KnowledgeGraph.open(store)


def _load(args: argparse.Namespace) -> int:
    import time

    started = time.perf_counter()
    graph = KnowledgeGraph.from_files(args.files, args.store, guarded=True, strict=args.strict)
    took = time.perf_counter() - started
    print(f"{args.store}: {len(graph.store):,} triples, {len(graph):,} concepts ({took:.1f} s)", file=sys.stderr)
    graph.store.close()
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = Settings(
        host=args.host,
        port=args.port,
        data=tuple(p.resolve() for p in args.data),
        store=None if args.store is None else args.store.resolve(),
        limits=Limits(args.max_depth, args.max_aliases, args.max_tokens, args.max_page_size),
        max_body_bytes=args.max_body_bytes,
        timeout_s=args.timeout,
    )
    graph = _graph(args)  # a bad file fails here, before anything is served
    if args.workers > 1:
        os.environ["AIKG_SETTINGS"] = settings.to_json()
        del graph
        uvicorn.run(
            "api.app:create_app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level="warning",
        )
    else:
        uvicorn.run(create_app(settings, graph), host=settings.host, port=settings.port)
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.format == "sssom":
        from graph.sssom import sssom_lines

        lines = sssom_lines(_graph(args))
        if args.output is None:
            sys.stdout.writelines(lines)
        else:
            with args.output.open("w", encoding="utf-8") as stream:
                stream.writelines(lines)
        return 0
    write_turtle_file(_graph(args).store, args.output or sys.stdout)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from graph.validation import validate

    shapes = args.shapes or (None if args.data else shapes_file())
    problems = validate(_graph(args), shapes)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("valid: no problems found.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
