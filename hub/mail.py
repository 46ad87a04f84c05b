"""Outgoing mail, sent by the outbox drain (console backend in development)."""

from __future__ import annotations

import logging

from flask_mailman import EmailMessage

from hub import outbox

log = logging.getLogger("hub.mail")


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send a mail after the current transaction commits."""
    outbox.emit("mail", to=to, subject=subject, body=body)


def init_app(app) -> None:
    outbox.register("mail", send_mail_batch)


def send_mail_batch(payloads: list[dict]) -> None:
    for mail in payloads:
        EmailMessage(subject=mail["subject"], body=mail["body"], to=[mail["to"]]).send()
        log.info("mail sent", extra={"to": mail["to"], "subject": mail["subject"]})
