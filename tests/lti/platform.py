"""A small LTI 1.3 platform for the tests: its own RSA key and JWKS, real HTTP on 127.0.0.1 (token endpoint
checking our client assertion against our JWKS, AGS line items and scores, NRPS memberships, and the openid
configuration and registration endpoint of dynamic registration). It signs launches as an LMS does."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from jwcrypto.jwk import JWK

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


def new_key() -> tuple[JWK, str]:
    key = JWK.generate(kty="RSA", size=2048)
    return key, key.export_to_pem(private_key=True, password=None).decode()


@dataclass
class TestPlatform:
    __test__ = False  # not a test class: the LMS of the tests
    client_id: str = "flip-client"
    deployment_id: str = "dep-1"
    tool_jwks: dict[str, Any] = field(default_factory=dict)  # ours, as the LMS admin pasted its URL
    down: bool = False  # answer 503 to every service call
    line_items: list[dict[str, Any]] = field(default_factory=list)
    scores: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (line item id, score)
    members: list[dict[str, Any]] = field(default_factory=list)
    tokens_issued: int = 0
    registrations: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key, self.pem = new_key()
        self.kid = self.key.thumbprint()
        self.tokens: set[str] = set()
        handler = type("Handler", (_Handler,), {"platform": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the admin pastes into our registration form -----------------------------------------------

    @property
    def issuer(self) -> str:
        return self.url

    def registration(self) -> dict[str, str]:
        return {
            "name": "Test LMS",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": self.deployment_id,
            "auth_login_url": self.url + "/auth",
            "auth_token_url": self.url + "/token",
            "key_set_url": self.url + "/jwks",
        }

    # --- launches ---------------------------------------------------------------------------------------

    def id_token(
        self,
        *,
        nonce: str,
        sub: str,
        role: str,
        context_id: str = "course-7",
        message_type: str = "LtiResourceLinkRequest",
        resource_link: str = "link-1",
        custom: dict[str, str] | None = None,
        lineitem: str = "",
        aud: Any = None,
        exp: int | None = None,
        pem: str | None = None,
        kid: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id if aud is None else aud,
            "sub": sub,
            "exp": exp if exp is not None else now + 300,
            "iat": now,
            "nonce": nonce,
            "name": f"Person {sub}",
            "given_name": "Person",
            "family_name": sub,
            "email": f"{sub}@school.test",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": "http://testserver/lti/launch/",
            LTI + "roles": [role],
            LTI + "context": {"id": context_id, "title": "Chemistry 11 (LMS)", "label": "CHEM11"},
            LTI + "launch_presentation": {"return_url": self.url + "/course/return"},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": AGS_SCOPES,
                "lineitems": f"{self.url}/{context_id}/lineitems",
                **({"lineitem": lineitem} if lineitem else {}),
            },
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.url}/{context_id}/memberships",
                "service_versions": ["2.0"],
            },
        }
        if message_type == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": resource_link, "title": "flipmastery"}
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": self.url + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-data-7",
            }
        if custom:
            claims[LTI + "custom"] = custom
        claims.update(extra or {})
        return jwt.encode(claims, pem or self.pem, algorithm="RS256", headers={"kid": kid or self.kid})

    def rotate(self) -> None:
        """The LMS makes a new key and publishes only it."""
        self.key, self.pem = new_key()
        self.kid = self.key.thumbprint()

    def jwks(self) -> dict[str, Any]:
        return {
            "keys": [{**json.loads(self.key.export_public()), "kid": self.kid, "alg": "RS256", "use": "sig"}]
        }

    def check_assertion(self, assertion: str) -> dict[str, Any]:
        """The tool's client assertion, verified with its published key (by kid) as an LMS does."""
        kid = jwt.get_unverified_header(assertion)["kid"]
        found = next(k for k in self.tool_jwks["keys"] if k["kid"] == kid)
        public = jwt.PyJWK(found).key
        return jwt.decode(assertion, public, algorithms=["RS256"], audience=self.url + "/token")


class _Handler(BaseHTTPRequestHandler):
    platform: TestPlatform

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorized(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        return token in self.platform.tokens

    def do_GET(self) -> None:
        p, path = self.platform, urlsplit(self.path).path
        if path == "/jwks":
            return self._send(200, p.jwks())
        if path == "/openid-configuration":
            return self._send(
                200,
                {
                    "issuer": p.issuer,
                    "authorization_endpoint": p.url + "/auth",
                    "token_endpoint": p.url + "/token",
                    "jwks_uri": p.url + "/jwks",
                    "registration_endpoint": p.url + "/register",
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "moodle"
                    },
                },
            )
        if p.down:
            return self._send(503, {"error": "down for maintenance"})
        if not self._authorized():
            return self._send(401, {"error": "no token"})
        if path.endswith("/lineitems"):
            return self._send(200, p.line_items, "application/vnd.ims.lis.v2.lineitemcontainer+json")
        if path.endswith("/memberships"):
            return self._send(
                200,
                {"id": p.url + path, "members": p.members},
                "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
            )
        return self._send(404, {})

    def do_POST(self) -> None:
        p, path = self.platform, urlsplit(self.path).path
        body = self._body()
        if path == "/register":
            p.registrations.append(json.loads(body))
            return self._send(
                200,
                {
                    "client_id": "dyn-client-1",
                    "https://purl.imsglobal.org/spec/lti-tool-configuration": {"deployment_id": "dyn-dep-1"},
                },
            )
        if p.down:
            return self._send(503, {"error": "down for maintenance"})
        if path == "/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            try:
                claims = p.check_assertion(form["client_assertion"])
            except Exception as e:
                return self._send(401, {"error": "invalid_client", "why": str(e)})
            if claims["iss"] != p.client_id or form.get("grant_type") != "client_credentials":
                return self._send(401, {"error": "invalid_client"})
            token = uuid.uuid4().hex
            p.tokens.add(token)
            p.tokens_issued += 1
            return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})
        if not self._authorized():
            return self._send(401, {"error": "no token"})
        if path.endswith("/lineitems"):
            item = {**json.loads(body), "id": f"{p.url}{path}/{len(p.line_items) + 1}"}
            p.line_items.append(item)
            return self._send(201, item, "application/vnd.ims.lis.v2.lineitem+json")
        if path.endswith("/scores"):
            p.scores.append((p.url + path.removesuffix("/scores"), json.loads(body)))
            return self._send(200, {})
        return self._send(404, {})
