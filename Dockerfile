# Production image for web, worker, beat and migrate (docker-compose.yml): the runtime lock only
# (requirements-runtime.lock, no test tools), WeasyPrint's libraries and a font for the status
# PDFs, collected static files, a user without root rights, gunicorn.
# Bookworm pinned: the Debian package names below are bookworm's.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango (with its FreeType backend) and HarfBuzz's subsetter; the print
# stylesheet names DejaVu Sans, and a PDF is drawn with local fonts only (status/pdf.py).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements-runtime.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements-runtime.lock

COPY . .
# Static files are collected (hashed names) and stay root's; the user may write in var/ itself
# (beat's schedule) and in var/media (uploaded seminar materials, a volume in docker-compose).
# Settings made a broker folder there during the build: Redis is the broker.
RUN useradd --system --uid 10001 --home-dir /app lkt \
 && STATIC_MANIFEST=True SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && rm -rf /app/var/broker \
 && mkdir -p /app/var/media \
 && chown lkt /app/var /app/var/media
USER lkt
ENV STATIC_MANIFEST=True
EXPOSE 8000
CMD ["gunicorn", "lkt_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
