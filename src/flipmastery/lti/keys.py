"""Our RSA keys: the newest signs (deep linking answers, token requests), every kept one is published in our
JWKS so a platform still holding an older kid can check it until that key is removed.

They live in the data dir (`lti-keys/`, one PEM per key, made once), beside the secret key, and never in the
database: a copied backup of the database signs nothing. FLIPMASTERY_LTI_PRIVATE_KEY (a PEM) replaces the
newest for several nodes that share no data dir."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils.translation import gettext as _
from jwcrypto.jwk import JWK

ENV = "FLIPMASTERY_LTI_PRIVATE_KEY"


@dataclass(frozen=True)
class Key:
    kid: str
    private_pem: str
    public_pem: str
    made: float  # seconds since the epoch; the newest signs

    def jwk(self) -> dict[str, Any]:
        public = json.loads(JWK.from_pem(self.public_pem.encode()).export_public())
        return {**public, "kid": self.kid, "alg": "RS256", "use": "sig"}


class KeyError_(Exception):
    """A key command could not do what was asked (said to the admin as it is)."""


def folder() -> Path:
    return Path(settings.DATA_DIR) / "lti-keys"


def _load(pem: str, made: float) -> Key:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    kid = JWK.from_pem(public_pem.encode()).thumbprint()  # RFC 7638: the same key always has the same kid
    return Key(kid, pem, public_pem, made)


def _new_pem() -> str:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _write(pem: str) -> Key:
    made = time.time()
    key = _load(pem, made)
    here = folder()
    here.mkdir(parents=True, exist_ok=True)
    path = here / f"{int(made * 1000):015d}-{key.kid}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(pem)
    return key


def kept() -> list[Key]:
    """Every key of the data dir, newest first."""
    here = folder()
    if not here.exists():
        return []
    found = []
    for path in sorted(here.glob("*.pem"), reverse=True):
        stamp = path.name.split("-", 1)[0]
        found.append(_load(path.read_text(encoding="utf-8"), int(stamp) / 1000 if stamp.isdigit() else 0.0))
    return found


def current() -> Key:
    """The key that signs: FLIPMASTERY_LTI_PRIVATE_KEY, else the data dir's newest (made at first use)."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        return _load(configured.replace("\\n", "\n") + "\n", time.time())
    found = kept()
    return found[0] if found else _write(_new_pem())


def published() -> list[Key]:
    """The keys a platform may check our signatures with: the signing one and every older one kept."""
    signing = current()
    return [signing, *(k for k in kept() if k.kid != signing.kid)]


def jwks() -> dict[str, Any]:
    return {"keys": [k.jwk() for k in published()]}


def rotate() -> Key:
    """A new key signs from now on; the old ones stay published until removed."""
    if os.environ.get(ENV, "").strip():
        raise KeyError_(_("%(env)s is set: the signing key is that one; change it there.") % {"env": ENV})
    current()  # the first key exists before the second, so there is an old one to keep publishing
    return _write(_new_pem())


def remove(kid: str) -> None:
    """Stop publishing an old key (what we signed with it no longer checks out at the LMS)."""
    if kid == current().kid:
        raise KeyError_(_("That key signs now: make a new one first, then remove this one."))
    for path in folder().glob("*.pem"):
        if path.name.split("-", 1)[-1] == f"{kid}.pem":  # compared, not globbed: a kid is the admin's typing
            path.unlink()
            return
    raise KeyError_(_("No kept key has the kid %(kid)s.") % {"kid": kid})
