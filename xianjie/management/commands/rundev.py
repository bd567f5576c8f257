"""The web server and a django-q2 cluster together, for `make run`; Ctrl-C stops both."""

import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and a background-job cluster together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        manage = [sys.executable, "manage.py"]
        # The cluster gets its own process group so that one Ctrl-C reaches it only through us, once.
        cluster = subprocess.Popen([*manage, "qcluster"], start_new_session=True)  # noqa: S603
        server = subprocess.Popen([*manage, "runserver", options["addrport"]])  # noqa: S603
        try:
            server.wait()
        except KeyboardInterrupt:
            server.wait()
        finally:
            cluster.send_signal(signal.SIGTERM)
            try:
                cluster.wait(timeout=15)
            except subprocess.TimeoutExpired:
                cluster.kill()
