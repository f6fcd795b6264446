"""A tiny SMTP server on 127.0.0.1 for tests: records what it accepts, can be slow or refuse.

Enough of RFC 5321 for smtplib (and so Django's SMTP backend): EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT. A message counts as accepted when the server answers 250 to its DATA.
"""

from __future__ import annotations

import re
import socketserver
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Accepted:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class FakeSMTPServer:
    """`delay`: seconds the server thinks before answering MAIL (a slow server).
    `refuse_with`: e.g. "451 4.3.0 Prøv igen senere", the answer to every MAIL."""

    delay: float = 0.0
    refuse_with: str | None = None
    accepted: list[Accepted] = field(default_factory=list)
    attempts: int = 0  # MAIL commands received
    busy: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> FakeSMTPServer:
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._converse(self.rfile, self.wfile)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def count(self) -> int:
        with self._lock:
            return len(self.accepted)

    def recipients(self) -> list[str]:
        with self._lock:
            return [address for mail in self.accepted for address in mail.recipients]

    def _converse(self, rfile, wfile) -> None:  # noqa: C901 -- one small protocol loop
        def reply(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        sender, recipients = "", []
        try:
            reply("220 fake.example.dk ESMTP klar")
            while line := rfile.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    reply("250-fake.example.dk")
                    reply("250-8BITMIME")
                    reply("250 SMTPUTF8")
                elif verb == "HELO":
                    reply("250 fake.example.dk")
                elif verb == "MAIL":
                    with self._lock:
                        self.attempts += 1
                    if self.delay:
                        self.busy.set()
                        time.sleep(self.delay)
                        self.busy.clear()
                    if self.refuse_with:
                        reply(self.refuse_with)
                        continue
                    sender, recipients = _address(command), []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(_address(command))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 Send data, slut med <CRLF>.<CRLF>")
                    data = self._read_data(rfile)
                    with self._lock:
                        self.accepted.append(Accepted(sender, recipients, data))
                    reply("250 OK: modtaget")
                elif verb in {"RSET", "NOOP"}:
                    sender, recipients = "", []
                    reply("250 OK")
                elif verb == "QUIT":
                    reply("221 Farvel")
                    return
                else:
                    reply("502 Kender ikke kommandoen")
        except (ConnectionError, OSError):
            return  # the client went away (or was killed)

    @staticmethod
    def _read_data(rfile) -> bytes:
        lines = []
        while (line := rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


def _address(command: str) -> str:
    """The address in 'MAIL FROM:<a@b.dk> SIZE=10' or 'RCPT TO:<a@b.dk>'."""
    found = re.search(r"<([^>]*)>", command)
    return found.group(1) if found else ""
