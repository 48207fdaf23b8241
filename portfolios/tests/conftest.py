"""Fixtures for the portfolio tests: a lead, and the small scene of portfolios/tests/scene.py."""

from __future__ import annotations

import pytest

from portfolios.tests.scene import assess, build_scene, classify, warn

__all__ = ["assess", "classify", "warn"]


@pytest.fixture
def lead(member):
    return member("lead", full_name="Lena Lead")


@pytest.fixture
def scene(organisation):
    return build_scene(organisation)
