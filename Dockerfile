# Production image: gunicorn (gunicorn.conf.py) serves the app behind nginx, whitenoise the static
# files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; fonts for the PDF report.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN for dir in locale */locale plauen_digital/*/locale; do \
      if [ -d "$dir/de" ]; then pybabel -q compile -d "$dir" -D django || exit 1; fi; done \
    && PRODUCTION=true SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app && mkdir -p /app/var/files && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "plauen_digital.wsgi:application"]
