# EfA service-sharing registry: gunicorn serving the app (registry serve), migrations applied at start.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REGISTRY_MIGRATIONS_DIR=/app/migrations \
    REGISTRY_SEED_DIR=/app/seed \
    REGISTRY_OPENAPI_DIR=/app/openapi \
    REGISTRY_INSTANCE_DIR=/app/instance

WORKDIR /app

# Pango and HarfBuzz for WeasyPrint (the business case as PDF); Debian bookworm's versions.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0=1.50.12+ds-1* \
        libpangoft2-1.0-0=1.50.12+ds-1* \
        libharfbuzz-subset0=6.0.0+dfsg-3* \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home registry

COPY pyproject.toml README.md ./
COPY registry ./registry
RUN pip install --no-cache-dir . \
    && mkdir -p /app/instance \
    && chown 10001:10001 /app/instance
COPY migrations ./migrations
COPY seed ./seed
COPY openapi ./openapi

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status == 200 else 1)"]

# Migrations run on every start (idempotent); then gunicorn serves the stateless app, with
# the settings of `registry serve` (registry/server.py): threaded workers with a socket each,
# gunicorn's request-line limits lifted so that the app answers problem+json, not HTML.
CMD ["sh", "-c", "registry db upgrade && exec registry serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
