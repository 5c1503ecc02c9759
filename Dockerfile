# syntax=docker/dockerfile:1
# The NSSF helpdesk bot: `docker build -t nssf-bot .`, then see docker-compose.yml.

# --- build: install the package and its dependencies into a virtualenv -----------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY pyproject.toml README.md ./
COPY faq ./faq
COPY bot ./bot
COPY handlers ./handlers
COPY migrations ./migrations
# A regular (not editable) install, so the runtime stage needs only /opt/venv.
RUN pip install .

# --- runtime: the virtualenv and an unprivileged user, nothing else ----------------------
FROM python:3.11-slim AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# A fixed uid, so a bind-mounted ./data can be chowned to it on the host.
RUN groupadd --system --gid 10001 nssf \
    && useradd --system --uid 10001 --gid nssf --home-dir /app --no-create-home nssf \
    && mkdir -p /app/data \
    && chown -R nssf:nssf /app

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
USER nssf
# The SQLite default (DATABASE_URL unset) writes here; compose uses PostgreSQL instead.
VOLUME ["/app/data"]

ENTRYPOINT ["nssf-bot"]
CMD ["run"]
