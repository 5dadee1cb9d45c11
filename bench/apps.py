from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling, kept apart from the product: `manage.py
    generate_newsroom` builds synthetic newsrooms (bench/synthetic.py) for the
    benchmarks in this folder. No models, no URLs, nothing a reader reaches."""

    name = "bench"
    verbose_name = "Benchmarks"
