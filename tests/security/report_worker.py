"""A real Celery worker for the fault tests (tests/workers.py starts it as a subprocess).

The same worker as `celery -A plauen_digital worker`, with two test hooks from the environment:
REPORT_TEST_RENDER_DELAY (seconds) slows the PDF rendering down, so that the test can kill the
worker in the middle of a report; REPORT_TEST_VISIBILITY_TIMEOUT shortens the time after which
Redis hands a message that was taken but never acknowledged to another worker (otherwise it is
the one derived from TASK_TIME_LIMIT in the settings).
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plauen_digital.settings")
django.setup()

from plauen_digital.celery import app  # noqa: E402
from plauen_digital.reports import pdf  # noqa: E402

delay = float(os.environ.get("REPORT_TEST_RENDER_DELAY", "0"))
if delay:
    render = pdf.render_pdf

    def slow_render_pdf(html):
        time.sleep(delay)
        return render(html)

    pdf.render_pdf = slow_render_pdf

if "REPORT_TEST_VISIBILITY_TIMEOUT" in os.environ:
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": float(os.environ["REPORT_TEST_VISIBILITY_TIMEOUT"]),
        "unacked_restore_throttle": 1,
    }

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
