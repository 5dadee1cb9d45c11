"""The Celery app: `celery -A config worker` and `celery -A config beat`.

Configuration comes from Django settings under the CELERY_ namespace
(config/settings.py). Without a broker (no CELERY_BROKER_URL, no REDIS_URL)
tasks run in-process, eagerly, so the demo needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("veraz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
