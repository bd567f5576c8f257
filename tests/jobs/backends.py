"""E-mail backends for the job tests.

- `CrashingBackend` (locmem): lets PASS["through"] messages reach mail.outbox, then raises an SMTP error for the
  next FAIL["left"] messages: a worker dying between the claim and the send, after part of a batch went out.
- `RefusingBackend` (locmem): refuses every message to an address in REFUSED as a server refuses an unknown
  mailbox (SMTPRecipientsRefused, 550, the address in the exception's text) and counts the refusals in REFUSALS.
- `FolderBackend`: the real cluster's backend. Each message becomes one file in XIANJIE_MAIL_DIR (the name never
  dedupes: a counter, the pid and a random part), written atomically. Gated: once XIANJIE_MAIL_GATE_AFTER files
  exist and the file XIANJIE_MAIL_GATE exists, it waits until that file disappears before writing the next one.
"""

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend

CRASH = {"through": 0, "left": 0, "accepted": False}


def crash_after(through, failures, accepted=False):
    """The next `through` messages go out, then `failures` messages fail: before the SMTP server took them, or
    (accepted=True) after it took them, as when the worker dies between the SMTP reply and the commit."""
    CRASH.update(through=through, left=failures, accepted=accepted)


class CrashingBackend(EmailBackend):
    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if CRASH["through"] > 0:
                CRASH["through"] -= 1
            elif CRASH["left"] > 0:
                CRASH["left"] -= 1
                if CRASH["accepted"]:
                    super().send_messages([message])
                raise smtplib.SMTPServerDisconnected("test: the SMTP connection died")
            sent += super().send_messages([message])
        return sent


REFUSED = set()
REFUSALS = []


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        sent = 0
        for message in messages:
            refused = {address: (550, b"5.1.1 no such user") for address in message.recipients() if address in REFUSED}
            if refused:
                REFUSALS.extend(refused)
                raise smtplib.SMTPRecipientsRefused(refused)
            sent += super().send_messages([message])
        return sent


class FolderBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["XIANJIE_MAIL_DIR"])
        gate = os.environ.get("XIANJIE_MAIL_GATE")
        gate_after = int(os.environ.get("XIANJIE_MAIL_GATE_AFTER", "0"))
        for message in messages:
            if gate:
                while Path(gate).exists() and len(list(folder.glob("*.eml"))) >= gate_after:
                    time.sleep(0.05)
            data = message.message().as_bytes()
            name = f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex}"
            (folder / f"{name}.tmp").write_bytes(data)
            os.replace(folder / f"{name}.tmp", folder / f"{name}.eml")
        return len(messages)
