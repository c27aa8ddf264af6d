"""The hand-written tricky cases of import extraction, written out as files and held to CPython's ast
by oracle_imports.py (same comparison, 100% agreement required).

usage: tricky_cases.py DEPAUDIT WORKDIR

Each case is bytes, so line endings, tabs, form feeds, BOMs and encodings are exactly as
written here. A few cases CPython rejects (binary, undecodable) are included on purpose:
they are left out of the comparison, but depaudit must read them without failing.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = {
    "continuation.py": b"import os, \\\n    sys\nfrom a.b \\\n  import (c,\n    d)\nimport x \\\n .y . z\n",
    "semicolons.py": b"import a; import b; from c import d\nx = 1; import e\n",
    "match_arms.py": (
        b"match command:\n"
        b"    case 'json':\n"
        b"        import json\n"
        b"    case ['yaml', *rest]:\n"
        b"        from yaml import safe_load\n"
        b"    case _:\n"
        b"        import pickle\n"
        b"match = 3\n"
        b"import after_soft_keyword\n"
    ),
    "decorators.py": (
        b"@decorate(__import__('a'))\n"
        b"@other.thing\n"
        b"def f():\n"
        b"    import inside_decorated\n"
        b"@dataclass\n"
        b"class C:\n"
        b"    import in_class\n"
    ),
    "nested.py": (
        b"def outer():\n"
        b"    def inner():\n"
        b"        class K:\n"
        b"            def m(self):\n"
        b"                from deep.down import thing\n"
        b"        import mid\n"
        b"    return lambda: __import__('lam')\n"
    ),
    "async_def.py": (
        b"async def main():\n"
        b"    import asyncio\n"
        b"    async with x:\n"
        b"        import aiohttp\n"
        b"    async for y in z:\n"
        b"        from aio import q\n"
        b"    await asyncio.sleep(0)\n"
    ),
    "fstrings.py": (
        b"x = f\"import os {y}\"\n"
        b"z = f'{__import__(\"not_a_statement\")} from a import b'\n"
        b"w = f\"\"\"\nimport multiline\n{v!r:>{width}}\nfrom q import r\n\"\"\"\n"
        b"import real_one\n"
    ),
    "lookalikes.py": (
        b"s = 'import os'\n"
        b'd = """\nimport notreal\nfrom notreal import x\n"""\n'
        b"# import commented\n"
        b"r = r'from a import b'\n"
        b"b = b'import bytes'\n"
        b"important = 1\n"
        b"imports = [important]\n"
        b"from_ = 2\n"
        b"x = important if from_ else imports\n"
        b"import genuine  # import fake\n"
    ),
    "tabs.py": b"if x:\n\timport tabbed\n\tif y:\n\t\tfrom a import b\nelse:\n  \timport mixed\n",
    "crlf.py": b"import a\r\nif b:\r\n    import c\r\nfrom d import (e,\r\n  f)\r\n",
    "lone_cr.py": b"import a\rimport b\rx = 1\rfrom c import d\r",
    "formfeed.py": b"import a\n\x0c\nimport b\n\x0cdef f():\n    import c\n\x0c\nclass K:\n    \x0c    pass\nimport d\n",
    "bom.py": b"\xef\xbb\xbfimport with_bom\nfrom x import y\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\nimport after_latin1\nx = '\xff'; import same_line\n",
    "coding_line2.py": b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\nt = '\xa4'\nimport euro\n",
    "utf8_identifiers.py": "caf\u00e9 = 1; import os\n\u00e9t\u00e9 = '\u00e9'; from \u00e9cole import cours\n".encode(),
    "empty.py": b"",
    "only_comment.py": b"# nothing here\n",
    "no_newline.py": b"import last",
    "relative.py": b"from . import a\nfrom .. import b\nfrom ...c.d import e\nfrom . . import f\nfrom .... import g\n",
    "star_and_future.py": b"from __future__ import annotations\nfrom os.path import *\nfrom __future__ import (division,\n  print_function)\n",
    "aliases.py": b"import a.b.c as x, d, e.f as g\nfrom h import (i as j, k)\n",
    "try_forms.py": (
        b"try:\n    import a\nexcept ImportError:\n    import b\nelse:\n    import c\nfinally:\n    import d\n"
        b"try:\n    import e\nexcept* ImportError:\n    import f\n"
    ),
    "walrus_and_global.py": b"def g():\n    global x\n    import x\n    if (y := 3):\n        import z\n",
    "type_params.py": b"from typing import TypeVar\nif 1:\n    import after\n",
    "deep_nesting.py": b"x = " + b"(" * 150 + b"1" + b")" * 150 + b"\nimport after_deep\n",
    "binary.py": bytes(range(256)) * 4,
    "undecodable.py": b"import ok_before\ns = '\xff\xfe\xfd'\nimport after_bad_bytes\n",
    "unknown_coding.py": b"# coding: no-such-codec\nimport x\n",
    "broken_syntax.py": b"import good1\ndef broken(:\n    pass\nimport good2\nfrom good3 import x\n",
}


def main():
    depaudit, work = sys.argv[1], sys.argv[2]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    for name, data in CASES.items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(data)
    # A large file: a realistic module repeated, imports at every level. 1 MB here keeps
    # the JSON round trip quick; test_python_extract parses a 10 MB file.
    block = (
        b"import os\nfrom collections import OrderedDict\n\n"
        b"def handler_%d(request):\n    import json\n    return json.dumps(request)\n\n"
        b"class Model_%d:\n    from typing import Any\n    field: Any = None\n\n"
    )
    with open(os.path.join(work, "one_megabyte.py"), "wb") as f:
        size, i = 0, 0
        while size < 1024 * 1024:
            chunk = block.replace(b"%d", str(i).encode())
            f.write(chunk)
            size += len(chunk)
            i += 1
    oracle = os.path.join(HERE, "oracle_imports.py")
    rc = subprocess.call([sys.executable, oracle, depaudit, work])
    sys.exit(rc)


if __name__ == "__main__":
    main()
