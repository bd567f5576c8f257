"""Settings of the qcluster that tests/jobs/test_cluster_kill.py starts in a subprocess: the test settings, the
test's own database (XIANJIE_CLUSTER_DB names it), a real (not sync) cluster that re-delivers a task whose
cluster died after RETRY seconds (ORM broker) or uses Redis (XIANJIE_CLUSTER_REDIS), and the folder backend."""

import os

from xianjie.settings.test import *  # noqa: F403
from xianjie.settings.test import DATABASES

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["XIANJIE_CLUSTER_DB"]}}
EMAIL_BACKEND = "tests.jobs.backends.FolderBackend"

Q_CLUSTER = {
    "name": os.environ.get("XIANJIE_CLUSTER_NAME", "xianjie-test"),
    "workers": 2,
    "timeout": 10,
    "retry": 15,  # a task dequeued by a killed cluster comes back after 15 s (ORM broker)
    "max_attempts": 0,
    "catch_up": False,
    "poll": 0.1,
    "sync": False,
}
if os.environ.get("XIANJIE_CLUSTER_REDIS"):
    Q_CLUSTER["redis"] = os.environ["XIANJIE_CLUSTER_REDIS"]
else:
    Q_CLUSTER["orm"] = "default"
