"""Collective-decision forecast models (shared/models/forecast-models.md §2 and §3.1).

Every module in `accord.forecast.models` registers its models in `MODELS` on import; this
package imports them all, so ``MODELS.names()`` lists every built-in model.
"""

from __future__ import annotations

import importlib
import pkgutil

from accord.forecast import models as _models
from accord.forecast.base import MODELS, Forecast, Model

for _info in sorted(pkgutil.iter_modules(_models.__path__), key=lambda m: m.name):
    importlib.import_module(f"{_models.__name__}.{_info.name}")

__all__ = ["MODELS", "Forecast", "Model"]
