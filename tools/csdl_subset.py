#!/usr/bin/env python3
"""Extract the part of Microsoft Graph's v1.0 CSDL that the demo tenant uses.

Python 3.11, standard library only. Reads the full schema (shared/graph-v1.0-csdl.xml,
from microsoftgraph/msgraph-metadata, MIT licence) and writes
tests/fixtures/graph-v1.0-subset.xml: the named EntityType/ComplexType elements of the
`microsoft.graph` namespace, their base types, and every EnumType their properties use.
Elements are copied verbatim except that nested <Annotation> blocks (capability
restrictions, descriptions) are dropped to keep the file small.

    python3 tools/csdl_subset.py [--csdl PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import pathlib
import re

TYPES = """
entity directoryObject organization verifiedDomain assignedPlan
user signInActivity objectIdentity passwordProfile
signIn signInStatus deviceDetail signInLocation geoCoordinates appliedConditionalAccessPolicy
authenticationAppDeviceDetails
riskyUser riskyUserHistoryItem riskUserActivity riskDetection
authenticationMethod passwordAuthenticationMethod phoneAuthenticationMethod
emailAuthenticationMethod microsoftAuthenticatorAuthenticationMethod fido2AuthenticationMethod
softwareOathAuthenticationMethod windowsHelloForBusinessAuthenticationMethod
platformCredentialAuthenticationMethod temporaryAccessPassAuthenticationMethod
externalAuthenticationMethod qrCodePinAuthenticationMethod
oAuth2PermissionGrant servicePrincipal verifiedPublisher informationalUrl permissionScope appRole
messageRule messageRulePredicates messageRuleActions recipient emailAddress sizeRange mailFolder
directoryAudit auditActivityInitiator identity userIdentity appIdentity targetResource
modifiedProperty keyValue
""".split()

HEAD = """<?xml version="1.0" encoding="utf-8"?>
<!-- Subset of Microsoft Graph v1.0 CSDL (microsoftgraph/msgraph-metadata, MIT licence),
     extracted by tools/csdl_subset.py for tests/schema_conformance.rs.
     Elements verbatim except nested Annotation blocks, which are dropped. -->
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"""
TAIL = """    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def graph_schema(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if '<Schema Namespace="microsoft.graph"' in l)
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "</Schema>")
    return lines[start + 1:end]


def elements(lines: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Name -> (kind, element lines without nested annotations)."""
    out: dict[str, tuple[str, list[str]]] = {}
    i = 0
    opener = re.compile(r'^      <(EntityType|ComplexType|EnumType) Name="([^"]+)"')
    while i < len(lines):
        m = opener.match(lines[i])
        if not m:
            i += 1
            continue
        kind, name = m.groups()
        body = [lines[i]]
        if lines[i].rstrip().endswith("/>"):
            out[name] = (kind, body)
            i += 1
            continue
        i += 1
        depth = 0
        while not (depth == 0 and lines[i].strip() == f"</{kind}>"):
            s = lines[i].strip()
            if s.startswith("<Annotation") and not s.endswith("/>"):
                depth += 1
            elif s.startswith("</Annotation>"):
                depth -= 1
            elif depth == 0 and not s.startswith("<Annotation"):
                body.append(lines[i])
            i += 1
        body.append(lines[i])
        out[name] = (kind, body)
        i += 1
    return out


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csdl", default="/work/shared/graph-v1.0-csdl.xml")
    ap.add_argument("--out", default=str(root / "tests" / "fixtures" / "graph-v1.0-subset.xml"))
    args = ap.parse_args()
    elems = elements(graph_schema(pathlib.Path(args.csdl).read_text(encoding="utf-8-sig")))
    wanted: list[str] = []
    todo = list(TYPES)
    while todo:
        name = todo.pop(0)
        if name in wanted:
            continue
        wanted.append(name)
        kind, body = elems[name]
        text = "\n".join(body)
        base = re.search(r'BaseType="graph\.([^"]+)"', body[0])
        if base:
            todo.append(base.group(1))
        for t in re.findall(r'<Property Name="[^"]+" Type="(?:Collection\()?graph\.([^")]+)', text):
            if elems.get(t, ("",))[0] == "EnumType":
                todo.append(t)
    order = {"EnumType": 0, "ComplexType": 1, "EntityType": 2}
    wanted.sort(key=lambda n: (order[elems[n][0]], n.lower()))
    body = "\n".join("\n".join(elems[n][1]) for n in wanted)
    pathlib.Path(args.out).write_text(HEAD + body + "\n" + TAIL, encoding="utf-8")
    print(f"wrote {args.out}: {len(wanted)} types")


if __name__ == "__main__":
    main()
