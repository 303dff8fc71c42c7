"""The ``aikg`` command: serve, load, export, validate.

Every command builds one :class:`~api.settings.Settings` and asks :mod:`api.wiring` for its
backend; every error ``graph`` raises on purpose (an :class:`~graph.errors.AikgError`: bad
data, an unreachable endpoint or one that refused a request, a busy writer, a server that
cuts its answers short) is printed as one line, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from api.auth import parse_tokens, read_token_file
from api.graphql.limits import Limits
from api.settings import Settings
from api.wiring import (
    import_files,
    knowledge_graph,
    live_graph,
    live_graph_per_worker,
    save_in_use_at_shutdown,
)
from graph import InvalidData
from graph.errors import AikgError
from graph.explore.skos import write_turtle_export
from ontology import shapes_file


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; return the process exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except AikgError as error:
        print(f"aikg: error: {' '.join(str(error).split())}", file=sys.stderr)  # one line
        return 2


class _WithDefaults(argparse.HelpFormatter):
    """Help that ends each option with its default, where it has one and does not say it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return f"{text} (default: %(default)s)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aikg", description="A knowledge graph of AI concepts.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve GraphQL, Turtle and health over HTTP",
        formatter_class=_WithDefaults,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes, forked after one load (they share the graph's memory)",
    )
    defaults = Settings()
    serve.add_argument(
        "--max-depth", type=int, default=defaults.limits.max_depth, help="GraphQL query depth"
    )
    serve.add_argument(
        "--max-aliases", type=int, default=defaults.limits.max_aliases, help="aliases per document"
    )
    serve.add_argument(
        "--max-tokens", type=int, default=defaults.limits.max_tokens, help="tokens per document"
    )
    serve.add_argument(
        "--max-page-size", type=int, default=defaults.limits.max_page_size, help="largest `first`"
    )
    serve.add_argument(
        "--max-body-bytes", type=int, default=defaults.max_body_bytes, help="request body size"
    )
    serve.add_argument(
        "--timeout", type=float, default=defaults.timeout_s, help="seconds per GraphQL request"
    )
    _admission_arguments(serve, defaults)
    _data_argument(serve)
    _store_argument(serve)
    _sparql_arguments(serve)
    serve.add_argument(
        "--refresh-ms",
        type=int,
        default=1000,
        metavar="MS",
        help="with --sparql: how often to ask the endpoint whether another worker wrote",
    )
    serve.add_argument(
        "--write-token-file",
        type=Path,
        metavar="FILE",
        help="enable GraphQL mutations for the bearer tokens in FILE, one 'name:token' a line "
        "(or set AIKG_WRITE_TOKENS='name:token,...'); the name is recorded with every edit",
    )
    serve.set_defaults(run=_serve)

    mcp = commands.add_parser(
        "mcp", help="answer MCP (Model Context Protocol) over stdio, for agents"
    )
    for add in (_data_argument, _store_argument, _sparql_arguments):
        add(mcp)
    mcp.set_defaults(run=_mcp)

    load = commands.add_parser(
        "load", help="import RDF files into an on-disk store or an endpoint (all or nothing)"
    )
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--store", type=Path, metavar="PATH", help="store directory")
    _sparql_arguments(load)
    load.add_argument(
        "--wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="with --sparql: how long to wait while other writers hold the endpoint (default 60)",
    )
    load.add_argument(
        "--strict",
        action="store_true",
        help="also refuse concepts without a label and shared labels",
    )
    load.set_defaults(run=_load)

    export = commands.add_parser("export", help="write the graph as deterministic Turtle")
    export.add_argument(
        "--format",
        choices=["turtle", "sssom"],
        default="turtle",
        help="turtle: the whole graph; sssom: the mappings to other vocabularies as SSSOM TSV",
    )
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.add_argument(
        "--no-skos",
        dest="skos",
        action="store_false",
        help="leave out the SKOS view (concept scheme, skos:broader/narrower, top concepts)",
    )
    _data_argument(export)
    _store_argument(export)
    _sparql_arguments(export)
    export.set_defaults(run=_export)

    validate = commands.add_parser("validate", help="check SHACL shapes, cycles and references")
    _data_argument(validate)
    _store_argument(validate)
    _sparql_arguments(validate)
    validate.add_argument("--shapes", type=Path, help="SHACL shapes (default: the bundled ones)")
    validate.set_defaults(run=_validate)
    return parser


def _admission_arguments(serve: argparse.ArgumentParser, defaults: Settings) -> None:
    """The cost limit, the slots and the budget.

    See api/graphql/cost.py, api/scheduling.py and api/budget.py.
    """
    serve.add_argument(
        "--max-cost",
        type=int,
        default=defaults.limits.max_cost,
        help="objects a GraphQL query could return, from its `first` arguments",
    )
    serve.add_argument(
        "--slots",
        type=int,
        default=defaults.slots,
        help="costly GraphQL queries and SPARQL queries running at once, off the event loop",
    )
    serve.add_argument(
        "--queue", type=int, default=defaults.queue, help="requests waiting for a slot (then 503)"
    )
    serve.add_argument(
        "--inline-cost",
        type=int,
        default=defaults.inline_cost,
        help="GraphQL queries up to this cost run on the event loop at once",
    )
    serve.add_argument(
        "--budget",
        type=int,
        default=defaults.budget_points,
        metavar="POINTS",
        help="cost points per client (bearer token, else address) per window; 0: no budget",
    )
    serve.add_argument(
        "--budget-window", type=float, default=defaults.budget_window_s, metavar="SECONDS"
    )
    serve.add_argument("--budget-loopback", action="store_true", help="charge loopback clients too")


def _admission_settings(args: argparse.Namespace) -> dict[str, object]:
    return {
        "slots": args.slots,
        "queue": args.queue,
        "inline_cost": args.inline_cost,
        "budget_points": args.budget,
        "budget_window_s": args.budget_window,
        "budget_loopback": args.budget_loopback,
    }


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


def _sparql_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sparql",
        metavar="URL",
        help="a SPARQL 1.1 query endpoint holding the graph (instead of --store)",
    )
    parser.add_argument(
        "--sparql-update", metavar="URL", help="its SPARQL 1.1 update endpoint (needed to write)"
    )
    parser.add_argument(
        "--graph",
        metavar="IRI",
        help="with --sparql: the named graph holding the triples (default: the endpoint's "
        "default graph; Virtuoso needs one, its default graph is the union of all graphs)",
    )
    parser.add_argument(
        "--changes-graph",
        metavar="IRI",
        help="with --sparql: the named graph of the revision and change log "
        "(default: GRAPH/changes/ with --graph, else https://w3id.org/aikg/changes/)",
    )


def _settings(args: argparse.Namespace, **more: object) -> Settings:
    """The settings a command's backend arguments (--data, --store, --sparql...) name."""
    data = getattr(args, "data", None) or ()
    store = getattr(args, "store", None)
    if (getattr(args, "graph", None) or getattr(args, "changes_graph", None)) and not getattr(
        args, "sparql", None
    ):
        raise InvalidData("--graph", "names a graph of an endpoint: use it with --sparql URL")
    return Settings(
        data=tuple(p.resolve() for p in data),
        store=None if store is None else store.resolve(),
        sparql=getattr(args, "sparql", None),
        sparql_update=getattr(args, "sparql_update", None),
        graph=getattr(args, "graph", None),
        changes_graph=getattr(args, "changes_graph", None),
        **more,  # type: ignore[arg-type]
    )


def _load(args: argparse.Namespace) -> int:
    import time

    started = time.perf_counter()
    with _progress_bar(args.files):
        done = import_files(_settings(args), args.files, args.strict, args.wait)
    took = time.perf_counter() - started
    print(
        f"{done.where}: {done.triples:,} triples, {done.concepts:,} concepts ({took:.1f} s)",
        file=sys.stderr,
    )
    if done.changed:
        print(
            f"aikg: warning: the endpoint holds {len(done.changed)} literal(s) "
            "in another form than the files wrote them:",
            file=sys.stderr,
        )
        for line in done.changed:
            print(f"  {line}", file=sys.stderr)
    return 0


#: Files at least this large together get a progress bar while they load.
PROGRESS_BYTES = 8 << 20


@contextmanager
def _progress_bar(files: Sequence[Path]) -> Iterator[None]:
    """A progress bar (rich) over the bytes Oxigraph reads, for large imports."""
    total = sum(path.stat().st_size for path in files if path.is_file())
    if total < PROGRESS_BYTES:
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from graph.store.rdf_files import reporting_progress

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("loading", total=total)
        with reporting_progress(lambda read: progress.advance(task, read)):
            yield


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = _settings(
        args,
        host=args.host,
        port=args.port,
        limits=Limits(
            args.max_depth, args.max_aliases, args.max_tokens, args.max_page_size, args.max_cost
        ),
        max_body_bytes=args.max_body_bytes,
        timeout_s=args.timeout,
        refresh_s=args.refresh_ms / 1000,
        write_tokens=_write_tokens(args),
        **_admission_settings(args),
    )
    if args.workers > 1:
        return _serve_workers(settings, args.workers)
    live = live_graph(settings)  # a bad file or an unreachable endpoint fails here
    app = create_app(settings, live=live)
    save_in_use_at_shutdown(app, live, settings)  # what search built is kept for next time
    uvicorn.run(app, host=settings.host, port=settings.port)
    return 0


def _serve_workers(settings: Settings, workers: int) -> int:
    """Load once, then fork the workers over one socket (api/prefork.py)."""
    import socket

    import uvicorn

    from api.app import create_app
    from api.prefork import serve_forked

    if settings.write_tokens and settings.sparql is None:
        raise InvalidData(
            "--workers",
            "writes to a graph in memory or on disk need --workers 1 (each worker would edit "
            "its own copy); to scale out, serve a SPARQL endpoint with --sparql",
        )
    live_of_worker = live_graph_per_worker(settings)  # a bad file fails here, before forking

    def serve_worker(sock: socket.socket) -> None:
        app = create_app(settings, live=live_of_worker())
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])

    try:
        return serve_forked(serve_worker, settings.host, settings.port, workers)
    except OSError as error:
        raise InvalidData(
            f"{settings.host}:{settings.port}", error.strerror or str(error)
        ) from None


def _mcp(args: argparse.Namespace) -> int:
    """The graph `serve` would serve, over stdio (api/mcp); standard output carries only MCP."""
    from api.mcp.server import serve_stdio

    settings = _settings(args)
    live = live_graph(settings)
    serve_stdio(lambda: live.current, settings.limits, settings.timeout_s)
    return 0


def _write_tokens(args: argparse.Namespace) -> tuple[tuple[str, str], ...]:
    """The write tokens from --write-token-file, else from AIKG_WRITE_TOKENS (read here, not at
    import)."""
    try:
        if args.write_token_file is not None:
            return read_token_file(args.write_token_file)
        return parse_tokens(os.environ.get("AIKG_WRITE_TOKENS", ""), "AIKG_WRITE_TOKENS")
    except OSError as error:
        raise InvalidData(str(args.write_token_file), error.strerror or str(error)) from None
    except ValueError as error:
        raise InvalidData("write tokens", str(error)) from None


def _export(args: argparse.Namespace) -> int:
    if args.format == "sssom":
        from graph.explore.sssom import sssom_lines

        lines = sssom_lines(knowledge_graph(_settings(args)))
        if args.output is None:
            sys.stdout.writelines(lines)
        else:
            with args.output.open("w", encoding="utf-8") as stream:
                stream.writelines(lines)
        return 0
    write_turtle_export(knowledge_graph(_settings(args)), args.output or sys.stdout, args.skos)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from graph.quality.validate import validate

    shapes = args.shapes or (None if args.data else shapes_file())
    graph = knowledge_graph(_settings(args))
    problems = validate(graph.store, graph.index, shapes)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("valid: no problems found.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
