"""`registry serve` / `registry up`: gunicorn, the production server, also for a first look.

Werkzeug's development server answers some bad requests with its own HTML pages; gunicorn
hands everything to the app, which answers problem+json. Its own request-line and header
limits are lifted (it would answer those with HTML); the app refuses over-long URLs itself.

Each worker listens on a socket of its own (`reuse_port`, SO_REUSEPORT: the kernel spreads
new connections over them). On one shared socket the worker that wakes first accepts a
whole burst of connections: 8 keep-alive clients connecting at once all landed in one of
two workers in 4 of 24 tries on the 2-core reference machine, which then answered cost
requests at 517 and 558 a second against 930 to 1,189 when they were split (README,
Performance). The price: connections still waiting in a worker's queue when it exits are
reset.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from registry.app import serving_app

        return serving_app()


def serve(host: str, port: int, *, workers: int, threads: int = 4) -> None:
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "accesslog": "-",
            "limit_request_line": 0,
            "limit_request_field_size": 0,
            "timeout": 120,
            "reuse_port": True,
        }
    ).run()
