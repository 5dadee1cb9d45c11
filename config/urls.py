from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from claims.api.views import ApiDocsView
from config import views as site_views

admin.site.site_header = _("Veraz newsroom")
admin.site.site_title = _("Veraz newsroom")
admin.site.index_title = _("Claims, sources and verdicts")
# The left-hand model list would take 300 of a laptop's 1366 pixels from the
# claims list on every page; the admin's home page and breadcrumbs lead there.
admin.site.enable_nav_sidebar = False

handler500 = "config.views.server_error"

urlpatterns = [
    path("healthz", site_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API's
    # JSON, files): the site's one icon answers.
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("readyz", site_views.readyz, name="readyz"),
    path(".well-known/security.txt", site_views.security_txt, name="security-txt"),
    # --- REST API
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # --- Machine-readable site files (sitemap, robots)
    path("", include("claims.site.machine_urls")),
]

# Reader pages: English at /claims/…, Spanish at /es/claims/… (one canonical
# URL per language, so pages cache cleanly and ClaimReview URLs are stable).
# The newsroom's admin likewise: /admin/ in English, /es/admin/ in Spanish.
urlpatterns += i18n_patterns(
    # The newsroom user's own pages (settings, API token), under the admin's login.
    path("admin/account/", include("claims.admin.account")),
    path("admin/", admin.site.urls),
    path("sources/", include("sources.urls")),
    path("", include("claims.site.urls")),
    prefix_default_language=False,
)
