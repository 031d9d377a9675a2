import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")

from skm.startup import compose

application = compose(get_asgi_application())
