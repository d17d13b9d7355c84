"""A TCP proxy that can be cut and restored: a database that goes away and comes back,
without touching the real server other tests use."""

from __future__ import annotations

import contextlib
import socket
import threading


class Proxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break the open ones, as a stopped server does."""
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            # Shut down, not closed: each connection's pipe threads close its sockets once
            # both have stopped. Closed here, a socket's descriptor could be reused (by
            # the driver's next connection, in this same process) while a pipe thread was
            # still about to read the old one, and that thread would then swallow the new
            # connection's replies: a query waiting forever (the outage test hung so).
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                # Accepted just before a cut: broken like the others, not left open
                # past it (a connection that outlived the cut hung a test once).
                if self._listener is not listener:
                    for sock in (client, upstream):
                        sock.close()
                    continue
                self._open |= {client, upstream}
            running = [2]  # the connection's pipe threads still running
            for a, b in ((client, upstream), (upstream, client)):
                args = (a, b, running)
                threading.Thread(target=self._pipe, args=args, daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, running: list[int]) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):  # wakes the other direction
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self._lock:
                running[0] -= 1
                last = running[0] == 0
                if last:
                    self._open -= {source, sink}
            if last:  # no thread uses them any more: their descriptors may be reused
                for sock in (source, sink):
                    sock.close()
