# The production image: gunicorn serves the app, WhiteNoise its static files.
# Built and run by docker-compose.yml, which provides the environment (see README, Production).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

# Dependencies before the code, so that editing the code does not reinstall them.
# pip 25.1 is the first to install a dependency group (PEP 735) from pyproject.toml.
COPY pyproject.toml ./
RUN pip install "pip>=25.1" && pip install --group run

COPY . .

# Settings refuse DEBUG off without a SECRET_KEY and ALLOWED_HOSTS, and start an embedded
# database when DATABASE_URL is unset; collectstatic needs neither a secret nor a database,
# so these are build-time placeholders (the URL is only parsed), never used to serve.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-at-build-time-only \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    python manage.py collectstatic --no-input

RUN useradd --system --no-create-home app
USER app

EXPOSE 8000
# docker-compose.yml runs migrations and the seed data once, in its `migrate` service, before
# the web containers start. gunicorn replaces the shell so that it receives the stop signal;
# WEB_CONCURRENCY (read by gunicorn) sets the worker processes, 3 by default.
CMD ["sh", "-c", "exec gunicorn armscontrol.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
