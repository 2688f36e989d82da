# syntax=docker/dockerfile:1
# The RKK bot as a container: slim Python, the pinned runtime requirements, a non-root user, GET /healthz as the
# HEALTHCHECK. The build steps are deploy/image-steps.sh, which CI runs too. How to run it: docs/deploy.md.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY requirements.txt deploy/image-steps.sh ./
RUN sh image-steps.sh deps /opt/venv
COPY . .
RUN sh deploy/image-steps.sh app /src /app && sh deploy/image-steps.sh check /opt/venv /app

FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home rkkbot \
    && install -d -o rkkbot -g rkkbot /app /app/data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RKKBOT_LOG_FORMAT=json
USER 10001:10001
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["python", "app.py", "serve", "--port", "3978"]
