"""Forecast model implementations; each module registers its models on import."""
