"""PyLTI1p3's view of our registrations: the Platform rows, signed with our current key."""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from flipmastery.lti import keys
from flipmastery.lti.models import Platform


def registration_of(platform: Platform) -> Registration:
    key = keys.current()
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        .set_tool_private_key(key.private_pem)
        .set_tool_public_key(key.public_pem)
    )


class ToolConf(ToolConfAbstract[Any]):
    """Every issuer may have several client ids (two registrations of one Moodle)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: Platform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> Platform | None:
        found = Platform.objects.filter(issuer=iss)
        if client_id:
            found = found.filter(client_id=client_id)
        elif found.count() > 1:
            return None  # which registration is meant cannot be known
        self.found = found.first()
        return self.found

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        platform = self._platform(iss, None)
        return registration_of(platform) if platform else None  # type: ignore[return-value]

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration:
        platform = self._platform(iss, client_id)
        return registration_of(platform) if platform else None  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = self._platform(iss, client_id or None)
        if platform is None or deployment_id not in [str(d) for d in platform.deployment_ids]:
            return None
        return Deployment().set_deployment_id(deployment_id)
