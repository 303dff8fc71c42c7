"""The Turtle writer's one pass over N-Triples: lines in, one Turtle block per subject out.

:class:`LineScan` reads the lines in this process. :class:`SpreadScan` cuts what it is given
at subject boundaries and shares the pieces between a ``LineScan`` here and one in a helper
process (this file run as a script), so that two cores format blocks while the GIL would let
two threads use only one. The helper imports nothing but the standard library: it starts in
about 50 ms and is only started once the export is large enough to gain from it.

The bytes out are those of :meth:`graph.store.turtle._Writer._block`; the tests hold the
two ways of writing to the same bytes.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import IO

#: A local name that needs no escaping in a prefixed name.
LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: The most entries each formatting cache keeps (the most frequent terms come early).
CACHE_SIZE = 1 << 16
#: How many bytes of N-Triples are read in this process before a helper process is started.
SPREAD_FROM = 8 << 20
#: Pieces waiting for the helper beyond which this process reads the next piece itself.
_HELPER_BACKLOG = 2
#: How the helper is started: this file, run by this Python, without site packages or paths.
HELPER_COMMAND = [sys.executable, "-I", __file__]

Rank = tuple[int, str]
Verb = tuple[Rank, str]
Scanned = tuple[dict[str, str | None], list[str], dict[str, int]]


class PrefixedNames:
    """IRIs written as prefixed names under the longest namespace giving a valid local name."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        #: The namespaces an IRI may start with, by the IRI's part up to its last ``/`` or ``#``.
        self._namespaces_by_head: dict[str, list[tuple[str, str]]] = {}
        #: Namespaces no other one extends: an IRI under one, with a valid local name, needs no
        #: search.
        self._unextended = {
            ns
            for _, ns in self.prefixes
            if not any(o != ns and o.startswith(ns) for _, o in self.prefixes)
        }
        #: The last such namespace used, and its prefix with the colon (never matches at first).
        self.last_namespace, self.last_prefix = "\x00", ""

    def text(self, iri: str) -> str:
        """A prefixed name under the longest namespace giving a valid local name, else ``<iri>``."""
        namespace = self.last_namespace  # neighbouring IRIs mostly share one
        if iri.startswith(namespace) and LOCAL_NAME.match(iri, len(namespace)):
            return self.last_prefix + iri[len(namespace) :]
        head = iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]
        candidates = self._namespaces_by_head.get(head)
        if candidates is None:
            # A namespace is a prefix of the IRI only if it is a prefix of ``head`` or extends it.
            candidates = [
                (p, ns) for p, ns in self.prefixes if head.startswith(ns) or ns.startswith(head)
            ]
            if len(self._namespaces_by_head) < CACHE_SIZE:
                self._namespaces_by_head[head] = candidates
        for prefix, namespace in candidates:
            if iri.startswith(namespace) and LOCAL_NAME.match(iri, len(namespace)):
                if namespace in self._unextended:
                    self.last_namespace, self.last_prefix = namespace, prefix + ":"
                return f"{prefix}:{iri[len(namespace) :]}"
        return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


class PredicateOrder:
    """Where a predicate goes in a block: ``first`` in their order, then the rest by IRI, then
    ``last``; ``type_iri`` is written ``a``."""

    def __init__(self, first: Sequence[str], last: Collection[str], type_iri: str) -> None:
        self.first, self.last, self.type_iri = list(first), sorted(last), type_iri
        self._ranks = {iri: rank for rank, iri in enumerate(self.first)}

    def rank(self, predicate: str) -> Rank:
        """The sort key of a predicate."""
        if predicate in self.last:
            return (len(self._ranks) + 1, predicate)
        return (self._ranks.get(predicate, len(self._ranks)), predicate)


def block_of_pairs(head: str, pairs: list[tuple[Verb, str]]) -> str:
    """A block from (verb, object text) pairs: predicates in order, objects sorted, once each."""
    pairs.sort()
    last, previous = pairs[0]
    out = ["\n", head, "\n    ", last[1], " ", previous]
    for verb, text in pairs[1:]:
        if verb is not last:
            out += (" ;\n    ", verb[1], " ", text)
            last = verb
        elif text != previous:
            out += (",\n        ", text)
        previous = text
    out.append(" .\n")
    return "".join(out)


class LineScan:
    """N-Triples as Oxigraph writes them (``write``), read line by line into blocks.

    Each named subject's block (None: describe it again), the blank subjects and how often
    each blank node is an object: a block is made when the subject changes; a subject seen
    again later (a store that does not keep a subject's triples together) or with a
    blank-node object gets None. Oxigraph writes every term as N-Triples, so a line splits
    at its first two spaces, and a literal is already escaped as the writer escapes it.
    """

    def __init__(self, names: PrefixedNames, order: PredicateOrder) -> None:
        self._names, self._order = names, order
        self._rest = b""
        self.blocks: dict[str, str | None] = {}
        self.blanks: dict[str, None] = {}
        self.references: dict[str, int] = {}
        #: A predicate's N-Triples form → (its rank, its text in the block).
        self._verbs: dict[str, Verb] = {}
        #: IRI objects' texts, for those outside the last namespace (the most frequent come early).
        self._objects: dict[str, str] = {}
        #: A literal's datatype as N-Triples writes it ("<iri>") → what follows the lexical form.
        self._datatypes: dict[str, str] = {}
        # The last namespace of the objects, and of the subjects, as in PrefixedNames.text (kept
        # apart: they alternate): the namespace, its prefix with the colon, and where the local
        # name starts (in "<iri> ." for objects, in the IRI for subjects).
        self._object_namespace: tuple[str, str, int] = ("\x00", "", 2)
        self._subject_namespace: tuple[str, str, int] = ("\x00", "", 1)
        self._current = ""
        self._pairs: list[tuple[Verb, str]] = []
        self._plain = True

    def write(self, data: bytes) -> int:
        """Take the next bytes; every whole line among them is read at once."""
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            self._rest += data
        else:
            self._lines((self._rest + data[:cut]).decode("utf-8").split("\n"))
            self._rest = data[cut:]
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered that a flush could push on (Oxigraph calls it at the end)."""

    def finish(self) -> Scanned:
        """The blocks, the blank subjects and the blank references, once every line is read."""
        if self._rest.strip():
            self._lines([*self._rest.decode("utf-8").split("\n"), ""])
        self._rest = b""
        if self._current:
            self._close(self._current, self._pairs, self._plain)
        self._current = ""
        return self.blocks, list(self.blanks), self.references

    def _lines(self, lines: list[str]) -> None:
        """Read whole lines (the last item, after the last newline, is empty)."""
        lines.pop()
        verbs, objects, references = self._verbs, self._objects, self.references
        datatypes, names = self._datatypes, self._names
        iri_text, local_name = names.text, LOCAL_NAME.match
        namespace, prefix, start = self._object_namespace
        current, pairs, plain = self._current, self._pairs, self._plain
        for line in lines:
            subject, predicate, obj = line.split(" ", 2)
            if subject != current:
                if current:
                    self._close(current, pairs, plain)
                current, pairs, plain = subject, [], True
            try:
                verb = verbs[predicate]
            except KeyError:
                verb = verbs[predicate] = self._verb(predicate[1:-1])
            first = obj[0]
            if first == "<":  # "<iri> ."
                if obj.startswith(namespace, 1):  # under the last namespace, as in text()
                    local = obj[start:-3]
                    if (local.isascii() and local.isalnum()) or local_name(local):
                        pairs.append((verb, prefix + local))
                        continue
                value = obj[1:-3]
                text = objects.get(value)  # type: ignore[assignment]
                if text is None:
                    text = iri_text(value)
                    if len(objects) < CACHE_SIZE:
                        objects[value] = text
                    namespace, prefix = names.last_namespace, names.last_prefix
                    start = len(namespace) + 1
            elif first == '"':
                text = obj[:-2]  # '"lexical"@tag .', '"lexical" .' or '"lexical"^^<iri> .'
                if text[-1] == ">":  # a datatype other than xsd:string, written prefixed
                    end = text.rindex('"^^<') + 1
                    datatype = text[end + 2 :]
                    written = datatypes.get(datatype)
                    if written is None:
                        written = "^^" + iri_text(datatype[1:-1])
                        if len(datatypes) < CACHE_SIZE:
                            datatypes[datatype] = written
                    text = text[:end] + written
            else:  # a blank node, "_:id ."
                key = obj[:-2]
                references[key] = references.get(key, 0) + 1
                plain = False
                continue
            pairs.append((verb, text))
        self._current, self._pairs, self._plain = current, pairs, plain
        self._object_namespace = (namespace, prefix, start)

    def _verb(self, iri: str) -> Verb:
        return (
            self._order.rank(iri),
            "a" if iri == self._order.type_iri else self._names.text(iri),
        )

    def _close(self, subject: str, pairs: list[tuple[Verb, str]], plain: bool) -> None:
        """Make the block of the subject just read (or mark it to be described again)."""
        blocks = self.blocks
        if subject[0] != "<":
            self.blanks[subject] = None
            return
        iri = subject[1:-1]
        namespace, prefix, cut = self._subject_namespace
        if not plain or iri in blocks:
            blocks[iri] = None
        elif iri.startswith(namespace) and (
            ((local := iri[cut:]).isascii() and local.isalnum()) or LOCAL_NAME.match(local)
        ):
            blocks[iri] = block_of_pairs(prefix + local, pairs)
        else:
            names = self._names
            blocks[iri] = block_of_pairs(names.text(iri), pairs)
            namespace = names.last_namespace
            self._subject_namespace = (namespace, names.last_prefix, len(namespace))


def subject_boundary(data: bytes, known: int = 0) -> int:
    """Where, in ``data``, the run of lines of its last whole line's subject starts; 0 when the
    whole lines are all one subject's, or there is no whole line. The first ``known`` bytes are
    already known to be whole lines of one subject (of an earlier call that returned 0), so
    that a subject with very many lines is not read again at each call.

    >>> subject_boundary(b"<a> <p> 1 .\\n<b> <p> 1 .\\n<b> <p> 2 .\\n<b> <p")
    12
    """
    end = data.rfind(b"\n") + 1
    if end == 0:
        return 0
    start = data.rfind(b"\n", 0, end - 1) + 1
    subject = data[start : data.find(b" ", start) + 1]
    while start > known:
        previous = data.rfind(b"\n", 0, start - 1) + 1
        if not data.startswith(subject, previous):
            return start
        start = previous
    return 0 if data.startswith(subject) else start


class SpreadScan:
    """A :class:`LineScan` shared with a helper process: pieces cut where the subject changes
    go to one or the other, and their blocks are merged at the end.

    The helper starts once :data:`SPREAD_FROM` bytes have come (smaller exports stay in this
    process); while it has a backlog, this process reads the next piece itself. A subject whose
    lines reach both (a store that does not keep them together) is marked to be described
    again, as ``LineScan`` marks a subject it meets twice. Use it in a ``with`` block: leaving
    it stops the helper.
    """

    def __init__(self, prefixes: Mapping[str, str], order: PredicateOrder) -> None:
        self._config = (dict(prefixes), order.first, order.last, order.type_iri)
        self._local = LineScan(PrefixedNames(prefixes), order)
        self._rest = b""
        #: How much of ``_rest`` is known to be whole lines of one subject.
        self._known = 0
        self._seen = 0
        self._turn = False
        self._helper: subprocess.Popen[bytes] | None = None
        self._helper_done = False
        #: A helper could not be started: this process reads every piece.
        self._helpless = False
        self._pieces: queue.Queue[bytes | None] = queue.Queue()
        self._feeder: threading.Thread | None = None
        self._feed_failures: list[BaseException] = []

    def __enter__(self) -> SpreadScan:
        return self

    def __exit__(self, *_: object) -> None:
        self._stop_helper()

    def write(self, data: bytes) -> int:
        """Take the next bytes: whole subjects go to this process's scan or to the helper's."""
        self._seen += len(data)
        whole = self._rest + data
        cut = subject_boundary(whole, self._known)
        self._rest = whole[cut:]
        self._known = 0 if cut else whole.rfind(b"\n") + 1
        if cut:
            self._dispatch(whole[:cut])
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered that a flush could push on (Oxigraph calls it at the end)."""

    def finish(self) -> Scanned:
        """The blocks, blank subjects and blank references of both scans, merged."""
        self._local.write(self._rest)
        self._rest = b""
        blocks, blanks, references = self._local.finish()
        if self._helper is None:
            return blocks, blanks, references
        their_blocks, their_blanks, their_references = self._helper_result()
        for iri, block in their_blocks.items():
            blocks[iri] = None if iri in blocks else block
        blanks = list(dict.fromkeys([*blanks, *their_blanks]))
        for node, count in their_references.items():
            references[node] = references.get(node, 0) + count
        return blocks, blanks, references

    def _dispatch(self, piece: bytes) -> None:
        if self._helper is None and not self._helpless and self._seen >= SPREAD_FROM:
            self._start_helper()
        self._turn = not self._turn
        if self._turn and self._helper is not None and self._pieces.qsize() < _HELPER_BACKLOG:
            self._pieces.put(piece)
        else:
            self._local.write(piece)

    def _start_helper(self) -> None:
        """Start the helper and its feeder; if no process can be started, read on alone."""
        if not Path(__file__).is_file():  # imported from an archive: nothing to run
            self._helpless = True
            return
        try:
            self._helper = subprocess.Popen(
                HELPER_COMMAND,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:  # no Python to run it (an embedded interpreter), or no processes left
            self._helpless = True
            return
        self._feeder = threading.Thread(target=self._feed, name="turtle-scan-feeder", daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        """Hand the configuration, then each piece, to the helper (blocking outside the GIL)."""
        assert self._helper is not None and self._helper.stdin is not None
        stdin = self._helper.stdin
        try:
            _send(stdin, marshal.dumps(self._config))
            while (piece := self._pieces.get()) is not None:
                _send(stdin, piece)
            _send(stdin, b"")
            stdin.close()
        except BaseException as error:  # raised again in finish()
            self._feed_failures.append(error)

    def _helper_result(self) -> Scanned:
        assert self._helper is not None and self._feeder is not None
        self._pieces.put(None)
        self._feeder.join()
        assert self._helper.stdout is not None and self._helper.stderr is not None
        output, errors = self._helper.stdout.read(), self._helper.stderr.read()
        self._helper.wait()
        self._helper_done = True
        if self._helper.returncode != 0 or self._feed_failures:
            detail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [
                repr(self._feed_failures[:1])
            ]
            raise RuntimeError(
                f"the Turtle export's helper process failed (exit {self._helper.returncode}): "
                f"{detail[0]}"
            )
        result: Scanned = marshal.loads(output)
        return result

    def _stop_helper(self) -> None:
        if self._helper is None or self._helper_done:
            return
        if self._helper.poll() is None:
            self._helper.kill()
        self._pieces.put(None)
        if self._feeder is not None:
            self._feeder.join()
        self._helper.wait()
        for stream in (self._helper.stdin, self._helper.stdout, self._helper.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):  # a piece left unsent to the killed helper
                    stream.close()


def _send(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(8, "little"))
    stream.write(data)


def _receive(stream: IO[bytes]) -> bytes:
    size = int.from_bytes(_read_exactly(stream, 8), "little")
    return _read_exactly(stream, size)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"the export's reader stopped: {len(data)} of {size} bytes came")
    return data


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The helper: the configuration, then pieces until an empty one, then the blocks."""
    prefixes, first, last, type_iri = marshal.loads(_receive(stdin))
    scan = LineScan(PrefixedNames(prefixes), PredicateOrder(first, last, type_iri))
    gc.disable()  # millions of small objects, none of them garbage until the end
    while piece := _receive(stdin):
        scan.write(piece)
    stdout.write(marshal.dumps(scan.finish()))
    stdout.flush()


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
