"""Core metadata (METADATA / PKG-INFO) and egg-info requires.txt into a Release."""

import email.parser
import re

from .common import norm


def parse_metadata(text, rel):
    msg = email.parser.HeaderParser().parsestr(text)
    rel.requires = [r.strip() for r in msg.get_all("Requires-Dist") or []]
    rel.requires_python = (msg.get("Requires-Python") or "").strip()
    rel.extras = [e.strip() for e in msg.get_all("Provides-Extra") or []]
    rel.import_names = [e.strip() for e in msg.get_all("Import-Name") or []]
    return msg


def parse_requires_txt(text):
    """egg-info requires.txt -> PEP 508 strings (sections become markers)."""
    out, extras = [], []
    extra, marker = None, None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            sect = line.strip("[]")
            extra, _, marker = sect.partition(":")
            extra = extra.strip() or None
            marker = marker.strip() or None
            if extra and extra not in extras:
                extras.append(extra)
            continue
        conds = []
        if marker:
            conds.append("(%s)" % marker if extra else marker)
        if extra:
            conds.append('extra == "%s"' % extra)
        out.append(line + ("; " + " and ".join(conds) if conds else ""))
    return out, extras


def req_name(req):
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
    return norm(m.group(1)) if m else None
