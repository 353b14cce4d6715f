import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armscontrol.settings")
# Marks a web process: its database connections get the statement timeout (settings.py).
os.environ.setdefault("ARMSCONTROL_WEB_PROCESS", "true")

application = get_wsgi_application()
