"""Weighs the student playlist page as a phone on a school LAN loads it: HTML + CSS + JS, gzip-compressed,
and lists every resource it would fetch from another host (there must be none).

Run: uv run python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from urllib.parse import urlparse

RESOURCE = re.compile(
    r"<(?:script|link|img|iframe|video|audio|source)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.I
)


def main() -> int:
    os.environ["FLIPMASTERY_DATA_DIR"] = tempfile.mkdtemp(prefix="flipmastery-bench-")
    os.environ.pop("FLIPMASTERY_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipmastery.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from flipmastery.demo.services import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
    client = Client()
    assert client.login(username="chem01", password="student")
    page = client.get("/", follow=True)
    html = page.content
    print(f"student playlist page ({page.request['PATH_INFO']}), demo student chem01, Gas Laws")
    total = len(gzip.compress(html, 9))
    print(f"  {'HTML':<40} {len(html):>8} B  gzip {total:>7} B")
    foreign = []
    for url in RESOURCE.findall(html.decode()):
        parsed = urlparse(url)
        if parsed.netloc:
            foreign.append(url)
            continue
        if not url.startswith("/static/"):
            continue
        body = b"".join(client.get(url).streaming_content)
        size = len(gzip.compress(body, 9))
        total += size
        print(f"  {url:<40} {len(body):>8} B  gzip {size:>7} B")
    print(f"  total compressed: {total / 1024:.1f} KB (target ≤ 30 KB)")
    print(f"  resources from other hosts: {len(foreign)}" + "".join(f"\n    {u}" for u in foreign))
    return 0 if not foreign else 1


if __name__ == "__main__":
    sys.exit(main())
