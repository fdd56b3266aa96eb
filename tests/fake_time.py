"""A clock and sleep for the transport's test seams, so retries and backoff cost no real time."""

import time
from typing import Any


class FakeTime:
    def __init__(self) -> None:
        self.now = time.time()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def fast_http() -> dict[str, Any]:
    """`http_options` for `fetch_works` / `send_one`: backoff advances a fake clock."""
    fake = FakeTime()
    return {"sleep": fake.sleep, "clock": fake.clock}
