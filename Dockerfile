# Lodestar production image: the web app (gunicorn) and its Celery workers run from it.
# See docs/deployment.md. Build: docker build -t lodestar .
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint's system libraries (the same list config/runner.py asks developers to install)
# and the PostgreSQL client tools. Every dependency installs from a binary wheel, so no
# compiler is needed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The app runs as this user. It has a home because fontconfig (WeasyPrint) keeps its cache
# there and gunicorn puts its control socket in ~/.gunicorn.
RUN groupadd --system --gid 1000 lodestar \
    && useradd --system --uid 1000 --gid lodestar --create-home --home-dir /home/lodestar \
        --shell /usr/sbin/nologin lodestar

# The main dependencies only (not the `embedded` or `dev` extras), exactly as locked, with
# their hashes checked. This layer is rebuilt only when the lock changes, not on every code
# change.
COPY requirements-deploy.lock /tmp/lodestar/requirements-deploy.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/lodestar/requirements-deploy.lock \
    && rm -rf /tmp/lodestar

WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Where the settings look for static and uploaded/generated files. MEDIA_ROOT is the one
# directory the app writes to; docker-compose.yml mounts a named volume on it, and Docker
# copies this directory's owner into a new, empty named volume.
ENV STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media
RUN mkdir -p "$MEDIA_ROOT" && chown lodestar:lodestar "$MEDIA_ROOT"

# Settings are read at import, so collectstatic needs a (throwaway) key and database/Redis
# URLs. Nothing connects to them: collectstatic only copies files. With DATABASE_URL set,
# the embedded development server is never started.
RUN SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python scripts/compile-messages

USER lodestar
EXPOSE 8000

# gunicorn reads its default worker count from WEB_CONCURRENCY and its other options from
# GUNICORN_CMD_ARGS, so both can be changed at run time without rebuilding. Sync workers:
# PDF rendering and other slow work happens in Celery, not in the request. --preload: the master
# imports and warms the app once (config/warm.py), and every worker, recycled ones included, is
# forked warm instead of making its first visitors wait.
ENV WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --access-logfile - --preload --worker-tmp-dir /dev/shm --max-requests 1000 --max-requests-jitter 100 --graceful-timeout 30"
CMD ["gunicorn", "config.wsgi"]
