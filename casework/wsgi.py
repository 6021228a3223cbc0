import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
application = get_wsgi_application()

from casework.common.startup import heap_freeze  # noqa: E402 - needs Django set up first

heap_freeze()
