"""`python -m bench.middleware_worker ROUNDS`: what Lodestar's middleware costs a request.

Run by bench/middleware.py with the bench database in DATABASE_URL and a signed-in session in
BENCH_SESSIONID. The same signed-in GET of a constant page (bench/floor_urls.py) goes through
settings.MIDDLEWARE and through the seven middleware `startproject` writes, in alternating
rounds so that drift of the machine falls on both; prints the medians as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import django

# What `django-admin startproject` installs: the floor every Django site pays.
DJANGO_DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
PATH = "/bench-floor/"


def main() -> int:
    rounds = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.conf import settings
    from django.test import Client, override_settings

    def client(middleware: list[str]) -> Client:
        with override_settings(MIDDLEWARE=middleware):
            made = Client(HTTP_HOST="127.0.0.1")
            made.handler.load_middleware()
        made.cookies[settings.SESSION_COOKIE_NAME] = os.environ["BENCH_SESSIONID"]
        return made

    with override_settings(ROOT_URLCONF="bench.floor_urls"):
        stacks = {
            "full": client(list(settings.MIDDLEWARE)),
            "bare": client(DJANGO_DEFAULT_MIDDLEWARE),
        }
        times: dict[str, list[float]] = {name: [] for name in stacks}
        for name, made in stacks.items():
            response = made.get(PATH)  # warm: caches, the session's remembered state
            if response.status_code != 200 or response.content != b"signed in":
                raise SystemExit(f"{name}: GET {PATH} answered {response.status_code}")
        for _ in range(rounds):
            for name, made in stacks.items():
                for _ in range(20):
                    started = time.perf_counter()
                    made.get(PATH)
                    times[name].append(time.perf_counter() - started)
    full, bare = (statistics.median(times[name]) * 1000 for name in ("full", "bare"))
    print(json.dumps({"full_ms": full, "bare_ms": bare}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
