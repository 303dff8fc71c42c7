"""Running one task on several threads at once, as concurrent clients do."""

from __future__ import annotations

import threading
from collections.abc import Callable


def failures_in_parallel(
    task: Callable[[int], None], count: int, timeout_s: float
) -> list[BaseException]:
    """Run ``task(0)`` … ``task(count - 1)`` on threads started together; what they raised."""
    failures: list[BaseException] = []

    def guarded(number: int) -> None:
        try:
            task(number)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout_s)
    return failures
