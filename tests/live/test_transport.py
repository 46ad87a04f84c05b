"""The live transport itself: what the websocket handshake agrees to."""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlsplit


def _upgrade(url: str, extra_headers: str) -> str:
    """Open a Socket.IO websocket by hand and return the server's handshake answer."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {parts.hostname}:{parts.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"{extra_headers}\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.partition(b"\r\n\r\n")[0].decode("latin-1")


def test_websocket_declines_compression(server):
    """Browsers offer permessage-deflate; the server declines it, so that a live event is
    not deflated once per recipient (hub.live.events.without_websocket_compression)."""
    head = _upgrade(
        server.url, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    )
    assert head.startswith("HTTP/1.1 101"), head
    assert "sec-websocket-extensions" not in head.lower(), head


def test_websocket_without_offer_still_upgrades(server):
    head = _upgrade(server.url, "")
    assert head.startswith("HTTP/1.1 101"), head
