"""One JSON answer from a public web service, for the ``aandacht fetch`` commands that talk HTTP themselves
(``fetch locations``: the PDOK Locatieserver; ``fetch boundaries``: the PDOK WFS of the Wijk- en Buurtkaart).

:func:`get_json` sends one GET through a ``requests`` session (the tests replace the session) and returns
the decoded JSON; every way it can fail (no network, a timeout, an HTTP error status, an answer that is no
JSON) becomes one :class:`DownloadError` that names the URL and the reason, so the command prints one line
and writes nothing.
"""

from __future__ import annotations

from ..errors import AandachtError


class DownloadError(AandachtError):
    """A request that gave no usable answer; ``url`` and ``reason`` for the caller's own message."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"cannot download {url} ({reason}); no network? Nothing was written")
        self.url = url
        self.reason = reason


def get_json(session, url: str, params: dict, timeout: float):
    """The JSON answer of ``GET url?params`` (module docstring)."""
    import requests

    try:
        reply = session.get(url, params=params, timeout=timeout)
        reply.raise_for_status()
        return reply.json()
    except requests.Timeout:
        reason = f"no answer within {timeout:g} s"
    except requests.HTTPError as error:
        status = getattr(error.response, "status_code", None)
        reason = f"HTTP {status}" if status is not None else type(error).__name__
    except requests.RequestException as error:
        reason = type(error).__name__
    except ValueError:  # the body is not JSON (an HTML error page, an XML exception report)
        reason = "the answer is not JSON"
    raise DownloadError(url, reason) from None
