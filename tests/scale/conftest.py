"""The Spark session of the scale tests: local[2], one per test module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None:
        pytest.fail("Java is missing: run scripts/system-deps.sh (Debian default-jre-headless)")
    from tawthiq.scale.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()
