"""Writes the benchmark's package index description (tests/mirror/README.md fixture format):
the distributions behind a 40-requirement list modelled on the seed incident's Dockerfile
(a FastAPI service with SQLAlchemy, Celery, OpenTelemetry, dbt, pandas...). The graph's
shape (who depends on whom, extras, markers, pre-release versions of the OpenTelemetry
instrumentations) follows the real projects; versions and ranges are generated
deterministically, newer parents needing newer dependencies.

Usage: make_fixture.py OUT.json REQUIREMENTS.txt
"""
import json
import random
import sys

# name -> (number of versions, [dependencies]); "name[extra]" and "; marker" allowed.
GRAPH = {
    "fastapi": (40, ["starlette", "pydantic", "typing-extensions", "anyio"]),
    "starlette": (30, ["anyio", "typing-extensions; python_version < '3.10'"]),
    "pydantic": (25, ["pydantic-core", "annotated-types", "typing-extensions"]),
    "pydantic-core": (25, ["typing-extensions"]),
    "pydantic-settings": (12, ["pydantic", "python-dotenv"]),
    "annotated-types": (6, []),
    "typing-extensions": (20, []),
    "anyio": (20, ["idna", "sniffio", "exceptiongroup; python_version < '3.11'"]),
    "idna": (10, []), "sniffio": (5, []), "exceptiongroup": (6, []),
    "uvicorn": (30, ["click", "h11", "typing-extensions; python_version < '3.11'",
                     "httptools; extra == 'standard'", "uvloop; sys_platform != 'win32' and extra == 'standard'",
                     "watchfiles; extra == 'standard'", "websockets; extra == 'standard'",
                     "python-dotenv; extra == 'standard'", "pyyaml; extra == 'standard'",
                     "colorama; sys_platform == 'win32' and extra == 'standard'"]),
    "click": (15, []), "h11": (8, []), "httptools": (8, []), "uvloop": (12, []),
    "watchfiles": (15, ["anyio"]), "websockets": (15, []), "pyyaml": (8, []), "colorama": (6, []),
    "python-dotenv": (12, []),
    "gunicorn": (12, ["packaging"]), "packaging": (10, []),
    "sqlalchemy": (40, ["typing-extensions", "greenlet; platform_machine == 'x86_64'",
                        "greenlet; extra == 'asyncio'", "asyncpg; extra == 'postgresql-asyncpg'"]),
    "greenlet": (15, []), "asyncpg": (12, ["async-timeout; python_version < '3.12'"]),
    "async-timeout": (8, []),
    "alembic": (20, ["sqlalchemy", "mako", "typing-extensions"]), "mako": (10, ["markupsafe"]),
    "markupsafe": (10, []),
    "psycopg2-binary": (10, []),
    "httpx": (20, ["anyio", "certifi", "httpcore", "idna", "sniffio"]),
    "httpcore": (15, ["certifi", "h11"]), "certifi": (12, []),
    "redis": (25, ["async-timeout; python_full_version < '3.11.3'"]),
    "celery": (20, ["billiard", "kombu", "vine", "click", "click-didyoumean", "click-repl",
                    "click-plugins", "tzdata", "python-dateutil", "redis; extra == 'redis'"]),
    "billiard": (8, []), "kombu": (15, ["amqp", "vine", "typing-extensions"]), "amqp": (10, ["vine"]),
    "vine": (6, []), "click-didyoumean": (4, ["click"]), "click-repl": (4, ["click", "prompt-toolkit"]),
    "click-plugins": (3, ["click"]), "prompt-toolkit": (15, ["wcwidth"]), "wcwidth": (8, []),
    "tzdata": (8, []), "python-dateutil": (8, ["six"]), "six": (6, []),
    "minio": (20, ["certifi", "urllib3", "argon2-cffi", "pycryptodome", "typing-extensions"]),
    "urllib3": (20, []), "argon2-cffi": (6, ["argon2-cffi-bindings"]), "argon2-cffi-bindings": (3, ["cffi"]),
    "cffi": (10, ["pycparser"]), "pycparser": (4, []), "pycryptodome": (10, []),
    "boto3": (60, ["botocore", "jmespath", "s3transfer"]), "botocore": (60, ["jmespath", "python-dateutil", "urllib3"]),
    "jmespath": (5, []), "s3transfer": (10, ["botocore"]),
    "python-jose": (6, ["ecdsa", "rsa", "pyasn1", "cryptography; extra == 'cryptography'"]),
    "ecdsa": (8, ["six"]), "rsa": (8, ["pyasn1"]), "pyasn1": (8, []),
    "cryptography": (25, ["cffi"]),
    "passlib": (4, ["bcrypt; extra == 'bcrypt'"]), "bcrypt": (8, []),
    "python-multipart": (8, []), "email-validator": (8, ["dnspython", "idna"]), "dnspython": (10, []),
    "structlog": (10, []), "prometheus-client": (12, []),
    "sentry-sdk": (40, ["certifi", "urllib3", "fastapi; extra == 'fastapi'"]),
    "opentelemetry-api": (20, ["deprecated", "importlib-metadata"]),
    "opentelemetry-sdk": (20, ["opentelemetry-api", "opentelemetry-semantic-conventions", "typing-extensions"]),
    "opentelemetry-semantic-conventions": (20, []),
    "opentelemetry-instrumentation": (20, ["opentelemetry-api", "setuptools", "wrapt"]),
    "opentelemetry-instrumentation-asgi": (20, ["asgiref", "opentelemetry-api", "opentelemetry-instrumentation",
                                                "opentelemetry-semantic-conventions", "opentelemetry-util-http"]),
    "opentelemetry-instrumentation-fastapi": (20, ["opentelemetry-api", "opentelemetry-instrumentation",
                                                   "opentelemetry-instrumentation-asgi",
                                                   "opentelemetry-semantic-conventions", "opentelemetry-util-http"]),
    "opentelemetry-instrumentation-sqlalchemy": (20, ["opentelemetry-api", "opentelemetry-instrumentation",
                                                      "opentelemetry-semantic-conventions", "packaging", "wrapt"]),
    "opentelemetry-instrumentation-redis": (20, ["opentelemetry-api", "opentelemetry-instrumentation",
                                                 "opentelemetry-semantic-conventions", "wrapt"]),
    "opentelemetry-util-http": (20, []), "asgiref": (8, []), "wrapt": (10, []), "deprecated": (8, ["wrapt"]),
    "importlib-metadata": (20, ["zipp"]), "zipp": (10, []), "setuptools": (40, []),
    "pandas": (30, ["numpy", "python-dateutil", "pytz", "tzdata"]), "numpy": (30, []), "pytz": (10, []),
    "dbt-core": (25, ["agate", "jinja2", "mashumaro[msgpack]", "networkx", "protobuf", "pyyaml", "packaging",
                      "sqlparse", "dbt-extractor", "dbt-semantic-interfaces", "logbook", "pathspec"]),
    "dbt-postgres": (25, ["dbt-core", "psycopg2-binary", "agate"]),
    "agate": (6, ["babel", "isodate", "leather", "parsedatetime", "python-slugify"]), "babel": (8, []),
    "isodate": (4, ["six"]), "leather": (3, []), "parsedatetime": (4, []), "python-slugify": (6, ["text-unidecode"]),
    "text-unidecode": (2, []), "mashumaro": (15, ["typing-extensions", "msgpack; extra == 'msgpack'"]),
    "msgpack": (10, []), "networkx": (12, []), "protobuf": (25, []), "sqlparse": (8, []),
    "dbt-extractor": (5, []), "dbt-semantic-interfaces": (8, ["pydantic", "jsonschema", "pyyaml", "click"]),
    "jsonschema": (15, ["attrs", "jsonschema-specifications", "referencing", "rpds-py"]), "attrs": (10, []),
    "jsonschema-specifications": (4, ["referencing"]), "referencing": (6, ["attrs", "rpds-py"]), "rpds-py": (10, []),
    "logbook": (4, []), "pathspec": (8, []),
    "jinja2": (10, ["markupsafe"]), "tenacity": (10, []), "orjson": (20, []), "aiofiles": (6, []),
    "rich": (20, ["markdown-it-py", "pygments"]), "markdown-it-py": (6, ["mdurl"]), "mdurl": (3, []),
    "pygments": (10, []), "aiocache": (6, ["redis; extra == 'redis'"]),
}
PRE = {"opentelemetry-instrumentation", "opentelemetry-instrumentation-asgi",
       "opentelemetry-instrumentation-fastapi", "opentelemetry-instrumentation-sqlalchemy",
       "opentelemetry-instrumentation-redis", "opentelemetry-util-http",
       "opentelemetry-semantic-conventions"}
REQUIREMENTS = [
    "fastapi>=0.104.0", "uvicorn[standard]>=0.24.0", "gunicorn>=21.2.0", "sqlalchemy[asyncio]>=2.0.23",
    "asyncpg>=0.29.0", "alembic>=1.12.1", "psycopg2-binary>=2.9.9", "pydantic>=2.5.0",
    "pydantic-settings>=2.1.0", "httpx>=0.25.2", "redis>=5.0.1", "celery[redis]>=5.3.4", "minio>=7.2.0",
    "boto3>=1.29.0", "python-jose[cryptography]>=3.3.0", "passlib[bcrypt]>=1.7.4",
    "python-multipart>=0.0.6", "email-validator>=2.1.0", "structlog>=23.2.0", "prometheus-client>=0.19.0",
    "sentry-sdk[fastapi]>=1.38.0", "opentelemetry-api>=1.21.0", "opentelemetry-sdk>=1.21.0",
    "opentelemetry-instrumentation-fastapi>=0.42b0", "opentelemetry-instrumentation-sqlalchemy>=0.42b0",
    "opentelemetry-instrumentation-redis>=0.42b0", "pandas>=2.1.3", "numpy>=1.26.2", "dbt-core>=1.7.0",
    "dbt-postgres>=1.7.0", "tenacity>=8.2.3", "orjson>=3.9.10", "aiofiles>=23.2.1", "jinja2>=3.1.2",
    "python-dotenv>=1.0.0", "click>=8.1.7", "rich>=13.7.0", "aiocache[redis]>=0.12.2",
    "cryptography>=41.0.7", "pyyaml>=6.0.1",
]


def floor_of(name):
    for r in REQUIREMENTS:
        base = r.split("[")[0].split(">=")[0]
        if base == name and ">=" in r:
            return r.split(">=")[1]
    return None


def versions_of(name, n, rnd):
    """n increasing versions; a requested floor ("fastapi>=0.104.0") and a few newer ones are
    always among them, so the requirement list is satisfiable."""
    pre = name in PRE
    fl = floor_of(name)
    if fl:
        parts = fl.replace("b0", "").split(".")
        fm, fn = int(parts[0]), int(parts[1])
        fp = int(parts[2]) if len(parts) > 2 else 0
        below = max(1, n - 4)
        tuples = set()
        for i in range(below):
            tuples.add((fm - 1, i, 0) if fm > 0 else (0, max(0, fn - below + i), i % 3))
        tuples |= {(fm, fn, fp), (fm, fn, fp + 1), (fm, fn + 1, 0), (fm, fn + 2, 0)}
    else:
        major, minor, patch = rnd.randint(0, 3), rnd.randint(0, 5), 0
        tuples = set()
        for i in range(n):
            tuples.add((major, minor, patch))
            if pre or rnd.random() < 0.5:
                minor, patch = minor + 1, 0
            else:
                patch += 1
    out = []
    for t in sorted(tuples):
        v = "%d.%db0" % t[:2] if pre else "%d.%d.%d" % t
        if v not in out:
            out.append(v)
    return out


def main(argv):
    rnd = random.Random(20251003)
    versions = {name: versions_of(name, n, rnd) for name, (n, _) in GRAPH.items()}
    projects = []
    for name, (n, deps) in sorted(GRAPH.items()):
        releases = []
        extras = sorted({d.split("extra == '")[1].split("'")[0] for d in deps if "extra ==" in d})
        for i, v in enumerate(versions[name]):
            reqs = []
            for d in deps:
                dname = d.split(";")[0].split("[")[0].strip()
                rest = d[len(d.split(";")[0].split("[")[0].strip()):]
                extra_part = rest.split(";")[0]
                marker = (";" + d.split(";", 1)[1]) if ";" in d else ""
                dv = versions[dname]
                # newer parents need newer dependencies: a floor that moves up with i
                lo = dv[min(len(dv) - 1, (i * len(dv)) // (2 * n))]
                spec = ">=" + lo
                if rnd.random() < 0.15 and i < n - 1:
                    hi = dv[min(len(dv) - 1, (i * len(dv)) // n + 1)]
                    if hi != lo:
                        spec += ",<" + hi
                reqs.append("%s%s%s%s" % (dname, extra_part, spec, marker))
            rel = {"version": v, "requires_dist": reqs, "provides_extra": extras,
                   "requires_python": ">=3.8",
                   "files": ["%s/__init__.py" % name.replace("-", "_")],
                   "upload_time": "2023-%02d-%02dT12:00:00.000000Z" % (1 + i * 11 // max(1, n - 1), 1 + i % 27)}
            releases.append(rel)
        projects.append({"name": name, "releases": releases})
    with open(argv[1], "w") as f:
        json.dump({"projects": projects}, f, indent=0)
    with open(argv[2], "w") as f:
        f.write("\n".join(REQUIREMENTS) + "\n")
    print("%d projects, %d releases, %d requirements" %
          (len(projects), sum(len(p["releases"]) for p in projects), len(REQUIREMENTS)))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
