# Production image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN useradd --system --home /app lkt \
 && STATIC_MANIFEST=True SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && chown -R lkt /app/var
USER lkt
ENV STATIC_MANIFEST=True
EXPOSE 8000
CMD ["gunicorn", "lkt_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
