import os

from django.core.wsgi import get_wsgi_application

from skm.api.wsgi import AnswerEntry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")

# Django's handler, with POST /api/v1/answers answered ahead of it (skm/api/wsgi.py).
application = AnswerEntry(get_wsgi_application())
