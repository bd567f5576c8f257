"""A mail backend for the benches that counts the messages it is given and keeps none of them.

Django's local-memory backend keeps every message in `mail.outbox`: over a national ladder pass of some 90,000
notices that list, not the code measured, would dominate the memory figures.
"""

from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    sent = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()  # rendered as for sending, then dropped
        CountingBackend.sent += len(email_messages)
        return len(email_messages)
