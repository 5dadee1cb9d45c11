"""The demo newsroom: data in `newsroom.json`, the seed reports it comes from
in `seeds/`, and the loader that takes it through the services."""

from claims.demo.loader import SEEDS_DIR, DemoNewsroom, demo_users, seed_text

__all__ = ["SEEDS_DIR", "DemoNewsroom", "demo_users", "seed_text"]
