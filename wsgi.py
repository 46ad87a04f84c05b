"""The WSGI entry point: `gunicorn wsgi:app` (production defaults) or `flask --app wsgi`."""

import os
import sys

# Under gunicorn the hub runs as production unless HUB_ENV says otherwise.
os.environ.setdefault("HUB_ENV", "production" if "gunicorn" in sys.argv[0] else "development")

from hub import create_app  # noqa: E402

app = create_app()
