"""Which hosts a Python plugin may reach: the python runner's network guard's rule, in the ASCII form
the rest of shelfwise uses.

The manifest's permissions.network, the node runner's guard and the egress proxy all read a Unicode
name the way Node does (UTS 46, non-transitional, as browsers: "straße.de" is xn--strae-oqa.de).
Python's "idna" codec is IDNA 2003: it reads "straße.de" as strasse.de, "ςοφία.gr" with a σ, and
leaves capitals of scripts newer than Unicode 3.2 unmapped (Cherokee, Glagolitic...). Checked with
that codec, a host the node guard allows was refused here and one it refuses could pass; and the
socket module encodes with that codec, so a name checked in one form was looked up in the other.

So the guard converts a Unicode name here, the UTS 46 way (map, then Punycode per label), checks that
form, and hands that same ASCII name to the real resolver and connect(). A name this cannot read as
Node does has no form (None) and is refused: a zero-width joiner or non-joiner (Node refuses them out
of context, and the context rules are not worth a copy), a character IDNA 2003 and the current
Unicode map differently (UTS 46 disallows those), a character the IDNA tables prohibit.

Standard library only. Pure: the runner's guard (shelfwise_runner._NetworkGuard) wraps the sockets.
"""

import encodings.idna
import ipaddress
import stringprep
import unicodedata

# Kept as they are by UTS 46 non-transitional processing (IDNA 2003 maps them to ss and σ).
_DEVIATIONS = frozenset(("\u00df", "\u03c2"))
_JOINERS = frozenset(("\u200c", "\u200d"))
# Label separators UTS 46 (and IDNA 2003) read as a dot.
_DOTS = {"\u3002": ".", "\uff0e": ".", "\uff61": "."}


def _mapped(char):
    """One character as UTS 46 maps it: deleted (""), itself, or its case-folded compatibility form."""
    if char in _DEVIATIONS:
        return char
    if stringprep.in_table_b1(char):
        return ""
    try:
        encodings.idna.nameprep(char)
    except UnicodeError:
        return None  # prohibited (spaces, controls, private use...)
    mapped = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
    # A character Unicode 3.2 had whose kind changed since (U+2183 ROMAN NUMERAL REVERSED ONE HUNDRED, a
    # number then, a capital of ↄ now) would map differently under IDNA 2003: UTS 46 disallows it.
    old = unicodedata.ucd_3_2_0.category(char)
    if old != "Cn" and old != unicodedata.category(char) and mapped != char:
        return None
    return mapped


def ascii_host(host):
    """The ASCII name of `host` (lower case, no final dot), or None when it has none that Node agrees on."""
    host = host.strip()
    if all(ord(c) < 128 for c in host):
        return host.lower().rstrip(".")
    parts = []
    for char in host:
        if char in _JOINERS:
            return None
        if char in _DOTS:
            parts.append(".")
            continue
        if ord(char) < 128:
            parts.append(char.lower())
            continue
        mapped = _mapped(char)
        if mapped is None:
            return None
        parts.append(mapped)
    name = unicodedata.normalize("NFC", "".join(parts)).rstrip(".")
    labels = []
    for label in name.split("."):
        if label == "":
            return None
        if all(ord(c) < 128 for c in label):
            labels.append(label)
            continue
        try:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:
            return None
    return ".".join(labels)


def normalize(host):
    """What a host is compared as: an address in its canonical text (an IPv4-mapped IPv6 one as IPv4), a
    name in ASCII (ascii_host); None for a name that has no ASCII form, which is never allowed."""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", "replace")
    # Not lower-cased first: str.lower() makes a final Σ a ς and Ↄ an ↄ, which UTS 46 reads otherwise.
    host = str(host).strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0].lower())
    except ValueError:
        return ascii_host(host)
    mapped = getattr(ip, "ipv4_mapped", None)
    return str(mapped if mapped is not None else ip)


def allows(host, allowed, resolved=()):
    """May `host` be reached? `allowed`: normalized manifest entries; `resolved`: addresses an allowed
    name resolved to. "*.example.com" allows the names under example.com (any depth), not example.com,
    never an address: the rule of the node guard and the egress proxy (runner/net-guard.ts hostAllowed)."""
    h = normalize(host)
    if h is None:
        return False
    if h in allowed or h in resolved:
        return True
    if ":" in h or h.replace(".", "").isdigit():
        return False
    return any(entry.startswith("*.") and h.endswith(entry[1:]) and len(h) > len(entry) - 1 for entry in allowed)


def lookup_name(host):
    """The name to hand the real resolver or connect(): the ASCII form that was checked, so that Python's
    socket module does not encode a Unicode name its own (IDNA 2003) way. Anything else as it came."""
    if isinstance(host, str) and any(ord(c) > 127 for c in host):
        name = normalize(host)
        return name if name is not None else host
    return host
