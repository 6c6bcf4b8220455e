"""Static files as production serves them: compressed, fingerprinted, cached for a year."""

from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware


def test_static_files_are_compressed_and_cached_for_good(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"

    serve = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    response = serve(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert int(response["Content-Length"]) < (tmp_path / "css" / "site.css").stat().st_size
