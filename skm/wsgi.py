"""The WSGI application `skm serve` (granian) runs: composed whole before the first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")

from skm.api.wsgi import AnswerEntry
from skm.startup import compose

# Django's handler, with POST /api/v1/answers answered ahead of it (skm/api/wsgi.py). `compose`
# loads the URLconf and every view module it names before any request is served.
application = AnswerEntry(compose(get_wsgi_application()))
