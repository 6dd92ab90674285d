"""Settings of the load run (`make bench`): the project's settings plus a minimal page.

Only `bench/run_bench.sh` uses them (DJANGO_SETTINGS_MODULE=bench.settings for gunicorn); the
application itself never imports this module.
"""

from plauen_digital.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
