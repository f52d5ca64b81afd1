"""Trainer integrations, imported lazily: ``runcast.integrations.hf``, ``runcast.integrations.lightning``."""
