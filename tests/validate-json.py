#!/usr/bin/python3
"""validate-json.py - validates a JSON document against a JSON Schema, offline.

usage: validate-json.py SCHEMA DOC [EXTRA-SCHEMA...]

EXTRA-SCHEMAs are schemas that SCHEMA refers to by URL: CSAF 2.0 refers to
FIRST's CVSS schemas as https://www.first.org/cvss/cvss-v3.1.json while
their own $id carries a query (...cvss-v3.1.json?20211103). Each is
registered under its $id (or draft-04 "id"), with and without the query,
so that those $refs resolve to the local files. A $ref to anything else
fails: nothing is ever fetched from the network.

The formats date-time and uri are checked here (RFC 3339; an absolute
URI), not by optional Python modules that may or may not be installed.

Exit status: 0 valid; 1 invalid, each error printed with where it is;
2 usage error, unreadable file, unresolvable $ref or no jsonschema module.
Written for Debian 12's python3-jsonschema (4.10); newer ones work too.
"""
import datetime
import json
import re
import sys
import warnings
from urllib.parse import urldefrag, urlsplit, urlunsplit


def give_up(message):
    print(f"validate-json: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import jsonschema
except ImportError:
    give_up("the python3 jsonschema module is missing (Debian: apt-get install python3-jsonschema)")

# jsonschema >= 4.18 deprecates RefResolver, which Debian 12's 4.10 needs.
warnings.simplefilter("ignore", DeprecationWarning)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        give_up(f"{path}: {e}")


def local_store(schemas):
    store = {}
    for schema in schemas:
        sid = schema.get("$id") or schema.get("id")
        if not isinstance(sid, str):
            continue
        url, _ = urldefrag(sid)
        store[url] = schema
        parts = urlsplit(url)
        if parts.query:
            store[urlunsplit(parts._replace(query=""))] = schema
    return store


def no_network(uri):
    raise LookupError(f"{uri} is not among the local schemas (nothing is fetched)")


RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def format_checker():
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def date_time(value):
        if not isinstance(value, str):
            return True
        m = RFC3339.match(value)
        if not m:
            return False
        y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
        datetime.datetime(y, mo, d, h, mi, min(s, 59))  # ValueError on a day or hour out of range
        if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
            return False
        return s <= 60

    @checker.checks("uri")
    def uri(value):
        return not isinstance(value, str) or URI.match(value) is not None

    return checker


def where(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def report(error, indent=""):
    message = error.message if len(error.message) <= 300 else error.message[:300] + "..."
    print(f"{indent}{where(error)}: {message}")
    for sub in sorted(error.context or [], key=lambda e: list(e.absolute_path)):
        report(sub, indent + "    ")


def main(argv):
    if len(argv) < 3:
        give_up("usage: validate-json.py SCHEMA DOC [EXTRA-SCHEMA...]")
    schema = load(argv[1])
    doc = load(argv[2])
    extra = [load(p) for p in argv[3:]]
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        give_up(f"{argv[1]}: not a valid schema: {e.message}")
    resolver = jsonschema.RefResolver.from_schema(
        schema, store=local_store(extra), handlers={"http": no_network, "https": no_network})
    validator = cls(schema, resolver=resolver, format_checker=format_checker())
    try:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    except jsonschema.RefResolutionError as e:
        give_up(f"{argv[2]}: cannot resolve a $ref: {e}")
    for error in errors:
        report(error)
    if errors:
        print(f"{argv[2]}: {len(errors)} error(s) against {argv[1]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
