"""Which addresses the crawler may be steered to, decided by the IP a host resolves to.

Three classes:

- ``forbidden``: link-local (169.254.0.0/16, fe80::/10) and cloud metadata endpoints.
  Never reached through a redirect or a discovered link.
- ``private``: loopback, RFC 1918, unique-local, carrier-grade NAT and anything else not
  globally routable. Reached through a redirect or link only from a page that was itself
  private (an intranet crawl), never from a public page.
- ``public``: the rest.

A URL the user typed (command line, config) is trusted and skips these checks, unless
``[fetch] block_private`` is on: then it must resolve to public addresses only. The policy is a plain function so
tests can call 127.0.0.1 "public" and still exercise the real checks for everything else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from typing import Literal

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressClass = Literal["public", "private", "forbidden"]
AddressPolicy = Callable[[IPAddress], AddressClass]
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS IPv6 metadata
    )
)
LINK_LOCAL = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))


def unmap(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside ::ffff:a.b.c.d (and 6to4/NAT64 tricks are left to is_global)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def classify(ip: IPAddress) -> AddressClass:
    """The default policy: real ipaddress checks."""
    ip = unmap(ip)
    if ip in METADATA_ADDRESSES or any(ip in net for net in LINK_LOCAL if ip.version == net.version):
        return "forbidden"
    if not ip.is_global:
        return "private"
    return "public"


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def worst(classes: list[tuple[IPAddress, AddressClass]]) -> tuple[IPAddress, AddressClass]:
    """The most restricted address of a host: one forbidden answer taints the whole name."""
    order = {"forbidden": 0, "private": 1, "public": 2}
    return min(classes, key=lambda item: order[item[1]])
