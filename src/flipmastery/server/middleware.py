"""What a node behind a load balancer adds: its name on each answer, the client's address from the proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

NODE_HEADER = "X-Flipmastery-Node"


class NodeName:
    """Every answer says which node made it (FLIPMASTERY_NODE_NAME): school IT sees where a request went,
    and a test of several nodes counts that each one served. Not installed without a name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not settings.NODE_NAME:
            raise MiddlewareNotUsed
        self.get_response, self.name = get_response, settings.NODE_NAME

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers[NODE_HEADER] = self.name
        return response


class ProxiedAddress:
    """Behind nginx every request comes from nginx's address, so counts per address (wrong join, guardian
    and card codes) would count the whole district together. With FLIPMASTERY_PROXY_REAL_IP=1 the address
    is the one the proxy puts in X-Real-IP, which it must overwrite whatever a client sends (deploy/'s
    configuration does). Not installed otherwise: a client could then name any address it likes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not settings.PROXY_REAL_IP:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.META.get("HTTP_X_REAL_IP", "").strip()
        if given:
            request.META["REMOTE_ADDR"] = given
        return self.get_response(request)
