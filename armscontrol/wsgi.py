import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armscontrol.settings")
# Marks a web process: its database connections get the statement timeout (settings.py).
os.environ.setdefault("ARMSCONTROL_WEB_PROCESS", "true")

application = get_wsgi_application()

# The 120,000 objects of a loaded Django stay for the life of the process: frozen, the
# garbage collector stops walking them, and its rare full collections, which took some 60 ms
# in the middle of a request, take a fraction of a millisecond.
gc.collect()
gc.freeze()
