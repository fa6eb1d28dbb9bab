"""The development e-mail backend: says that a letter would have gone, never what it says.

Letters of the notification job name children and families; a console or a log file is no
place for them (issue 11, point 6). Configure `EMAIL_URL` to send real mail.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class RedactedConsoleBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            sys.stdout.write(
                f"[e-mail not sent: EMAIL_URL is not set] to {len(message.to)} "
                f"recipient(s), {len(message.body)} characters (content withheld)\n"
            )
        sys.stdout.flush()
        return len(email_messages)
