"""django-axes for the test suite only (settings/test.py)."""

from axes.backends import AxesStandaloneBackend


class TestClientAxesBackend(AxesStandaloneBackend):
    """Django's test `Client.login()` authenticates without a request, which django-axes refuses; let that
    through. Every login through the real form passes the request and is counted as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
