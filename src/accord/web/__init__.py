"""The web app behind `accord serve`: pages, a JSON API, storage in SQLite, background runs.

>>> import tempfile
>>> from accord.web import create_app
>>> app = create_app(tempfile.mkdtemp())
>>> app.title
'accord'

FastAPI and uvicorn are the ``web`` extra (``pip install accord[web]``); see docs/web.md.
"""

from __future__ import annotations

from accord.web.app import create_app, default_data_dir
from accord.web.jobs import JobLimits
from accord.web.workers import WorkLimits

__all__ = ["JobLimits", "WorkLimits", "create_app", "default_data_dir"]
