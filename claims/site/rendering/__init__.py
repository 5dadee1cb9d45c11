"""The reader site's pages are Jinja2 templates (templates/jinja2/), rendered
by Django's Jinja2 backend with the environment built in `environment`; the
admin and the emails keep Django's own template language (README, "Reader
templates in Jinja2")."""
