# The Zoom-compatible server, for the canary that goes through the Zoom sync.
from tests.zoomsync.conftest import zoom_server  # noqa: F401
