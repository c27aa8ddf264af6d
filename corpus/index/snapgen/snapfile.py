"""The snapshot file format (version 2, see README.md and src/snapshot/snapshot_format.h):
the writer, and a reader for figures and --check."""

import os
import struct
import zlib

from .common import P_VERSIONS_COMPLETE, read_bytes


class Pool:
    def __init__(self):
        self.buf = bytearray(b"\0")
        self.index = {"": 0}

    def add(self, s):
        if s is None:
            s = ""
        off = self.index.get(s)
        if off is None:
            b = s.encode("utf-8")
            if b"\0" in b:
                raise ValueError("NUL in %r" % s)
            off = len(self.buf)
            self.buf += b + b"\0"
            self.index[s] = off
        return off


SEC_STRINGS, SEC_PROJECTS, SEC_RELEASES, SEC_LISTS, SEC_MODULES, SEC_PROVENANCE, SEC_ALLNAMES = \
    range(1, 8)
MAGIC = b"DASNAP\r\n"
FORMAT_VERSION = 2


def write_snapshot(path, projects, provenance, all_names):
    """projects: sorted list of (name, rank, latest, [Release best first], flags), flags
    P_VERSIONS_COMPLETE when the releases are every version the index has (no source
    read today knows that: each list is a sample)."""
    pool = Pool()
    proj_rec, rel_rec, lists, mod_rec = bytearray(), bytearray(), [], []
    named = set()

    def add_list(items):
        first = len(lists)
        lists.extend(pool.add(x) for x in items)
        return first, len(items)

    nrel = 0
    for pi, (name, rank, latest, rels, pflags) in enumerate(projects):
        proj_rec += struct.pack("<6I", pool.add(name), rank, pool.add(latest), nrel, len(rels),
                                pflags)
        for r in rels:
            parts = [pi, pool.add(r.version), pool.add("snapshot: " + r.origin),
                     pool.add(r.requires_python), r.flags()]
            for lst in (r.requires, r.extras, r.modules, r.namespaces, r.import_names):
                parts.extend(add_list(lst))
            rel_rec += struct.pack("<15I", *parts)
            # A distribution answers for a module once, with its best release naming it
            # (releases come best first): older rows add nothing to a lookup.
            for m in r.modules:
                if (m, 0, pi) not in named:
                    named.add((m, 0, pi))
                    mod_rec.append((m, 0, nrel, rank))
            for m in r.namespaces:
                if (m, 1, pi) not in named:
                    named.add((m, 1, pi))
                    mod_rec.append((m, 1, nrel, rank))
            nrel += 1
    mod_rec.sort(key=lambda t: (t[0].encode(), t[1], t[3] == 0, t[3], t[2]))
    mods = bytearray(struct.pack("<I", len(mod_rec)))
    for m, kind, ri, _ in mod_rec:
        mods += struct.pack("<3I", pool.add(m), ri, kind)
    # The tables are stored as they are (no inflating at open: the binary points at them
    # in place); the long names list is cut into blocks compressed one by one, so a
    # lookup inflates one block.
    sections = [
        (SEC_STRINGS, bytes(pool.buf), False),
        (SEC_PROJECTS, struct.pack("<I", len(projects)) + bytes(proj_rec), False),
        (SEC_RELEASES, struct.pack("<I", nrel) + bytes(rel_rec), False),
        (SEC_LISTS, struct.pack("<I", len(lists)) + struct.pack("<%dI" % len(lists), *lists),
         False),
        (SEC_MODULES, bytes(mods), False),
        (SEC_PROVENANCE, provenance.encode() + b"\0", False),
        (SEC_ALLNAMES, names_blocks(all_names), False),
    ]
    header = MAGIC + struct.pack("<II", FORMAT_VERSION, len(sections))
    table, body = bytearray(), bytearray()
    off = len(header) + 24 * len(sections)
    for sid, raw, compress in sections:
        while (off + len(body)) % 8:
            body += b"\0"  # sections start 8-aligned so they can be read in place
        stored = zlib.compress(raw, 9) if compress else raw
        table += struct.pack("<6I", sid, 1 if compress else 0, off + len(body), len(stored),
                             len(raw), zlib.crc32(raw))
        body += stored
    data = header + bytes(table) + bytes(body)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return len(data), {sid: len(raw) for sid, raw, _ in sections}


NAMES_PER_BLOCK = 2048


def names_blocks(names):
    """u32 blocks, u32 names, u32 first-names length; per block u32 first-name offset,
    data offset, stored length, raw length, CRC-32 of raw, name count; the first names
    (NUL-terminated); then each block: its names NUL-terminated, zlib-compressed."""
    blocks = [names[i:i + NAMES_PER_BLOCK] for i in range(0, len(names), NAMES_PER_BLOCK)]
    firsts = bytearray()
    first_offs = []
    for b in blocks:
        first_offs.append(len(firsts))
        firsts += b[0].encode() + b"\0"
    head_len = 12 + 24 * len(blocks) + len(firsts)
    directory, data = bytearray(), bytearray()
    for b, fo in zip(blocks, first_offs):
        raw = b"".join(n.encode() + b"\0" for n in b)
        z = zlib.compress(raw, 9)
        directory += struct.pack("<6I", fo, head_len + len(data), len(z), len(raw),
                                 zlib.crc32(raw), len(b))
        data += z
    return struct.pack("<3I", len(blocks), len(names), len(firsts)) + bytes(directory) + \
        bytes(firsts) + bytes(data)


class SnapRelease:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def read_snapshot(path):
    """{name: (rank, latest, [SnapRelease best first], project flags)} and the provenance
    text, from a snapshot file of format version 1 or 2 (version 1, the format before
    project flags, reads as flags 0: every version list a sample)."""
    d = read_bytes(path)
    if d[:8] != MAGIC:
        raise SystemExit("%s: not a depaudit snapshot" % path)
    version, nsec = struct.unpack_from("<II", d, 8)
    if version not in (1, 2):
        raise SystemExit("%s: snapshot format version %d" % (path, version))
    secs = {}
    for i in range(nsec):
        sid, flags, off, stored, raw, _ = struct.unpack_from("<6I", d, 16 + 24 * i)
        body = d[off:off + stored]
        secs[sid] = zlib.decompress(body) if flags & 1 else body
    strings = secs[SEC_STRINGS]

    def s(o):
        return strings[o:strings.index(b"\0", o)].decode()

    lists = secs[SEC_LISTS]

    def lst(first, count):
        return [s(x) for x in struct.unpack_from("<%dI" % count, lists, 4 + 4 * first)]

    prec = 24 if version == 2 else 20
    nproj = struct.unpack_from("<I", secs[SEC_PROJECTS])[0]
    nrel = struct.unpack_from("<I", secs[SEC_RELEASES])[0]
    rels = []
    for i in range(nrel):
        f = struct.unpack_from("<15I", secs[SEC_RELEASES], 4 + 60 * i)
        rels.append(SnapRelease(version=s(f[1]), origin=s(f[2]), requires_python=s(f[3]),
                                flags=f[4], requires=lst(f[5], f[6]), extras=lst(f[7], f[8]),
                                modules=lst(f[9], f[10]), namespaces=lst(f[11], f[12]),
                                import_names=lst(f[13], f[14])))
    out = {}
    for i in range(nproj):
        f = struct.unpack_from("<6I" if version == 2 else "<5I", secs[SEC_PROJECTS], 4 + prec * i)
        out[s(f[0])] = (f[1], s(f[2]), rels[f[3]:f[3] + f[4]], f[5] if version == 2 else 0)
    prov = secs[SEC_PROVENANCE].rstrip(b"\0").decode()
    return out, prov
