"""A real server process whose bus runs the test notifier (the fault tests start it).

``python notifier_server.py PORT USER [DELAY_MS]``: the app as ``plataforma serve`` runs it,
on the database and bus of the ``PLATAFORMA_*`` environment, plus the durable consumer
``test-notifier`` that tells USER of every person record event (sleeping DELAY_MS per event,
so a test can kill it mid-batch).
"""

from __future__ import annotations

import sys
import time

import uvicorn
from realtime_helpers import notifier

from plataforma.context import Platform
from plataforma.realtime.events import RecordEvent
from plataforma.web.app import create_app


def main() -> None:
    port, user = int(sys.argv[1]), sys.argv[2]
    delay = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0
    platform = Platform.open()
    name, deliver = notifier(platform, user)

    def handle(event: RecordEvent) -> None:
        if delay:
            time.sleep(delay)
        deliver(event)

    platform.start_realtime([(name, handle)])
    uvicorn.run(create_app(platform), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
