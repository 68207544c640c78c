#!/usr/bin/env python3
"""Generate the built-in demo tenant (assets/demo-tenant/) of entra-triage.

Python 3.11, standard library only, deterministic: a fixed seed, ids derived from
stable labels (uuid5), no wall clock. Writes every file of the tenant directory
(layout of contracts.md section 3) plus SCENARIO.md, the table of planted artefacts.

    python3 tools/demo_tenant.py [--out assets/demo-tenant]

Anchor "now" of the scenario is 2026-11-20T12:00:00Z; the simulator shifts every
timestamp so that the anchor becomes the real now.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import pathlib
import random
import shutil
import uuid

UTC = dt.timezone.utc
ANCHOR = dt.datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
WINDOW_START = ANCHOR - dt.timedelta(days=7)
FIRST_DAY = ANCHOR - dt.timedelta(days=40)
LAST_SIGNIN = ANCHOR - dt.timedelta(hours=1)
SEED = 20261120
NS = uuid.UUID("6f1c0b9e-3d2a-4c5b-9e8f-7a6b5c4d3e2f")
TENANT = "b3c5e2a1-7f4d-4e8a-9c61-2d0f5a8e7b14"
FABRIKAM_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
ATTACKER_APP_TENANT = "d4c3b2a1-6f5e-4d7c-8b9a-0f1e2d3c4b5a"
MS_SERVICES_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
MS_CORP_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
GRAPH_V1 = "https://graph.microsoft.com/v1.0/$metadata#"
GRAPH_BETA = "https://graph.microsoft.com/beta/$metadata#"
PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490"


def gid(label: str) -> str:
    return str(uuid.uuid5(NS, label))


def hexid(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def b64id(label: str, n: int, urlsafe: bool = True) -> str:
    raw = hashlib.sha256(label.encode()).digest()
    raw = (raw * 4)[:n]
    return (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).decode()


def ts(t: dt.datetime | None) -> str | None:
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(day: str, hm: str) -> dt.datetime:
    """UTC time on a date: at('2026-11-16', '09:13:05')."""
    parts = [int(p) for p in hm.split(":")] + [0]
    return dt.datetime.fromisoformat(day).replace(
        hour=parts[0], minute=parts[1], second=parts[2], tzinfo=UTC)


# ----------------------------------------------------------------------------- people

USERS = {
    "alice": dict(id="3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e", name="Alice Example", given="Alice",
                  sur="Example", upn="alice@contoso.com", job="Senior Accountant",
                  dept="Finance", city="Amsterdam", created="2023-03-06T09:00:00Z",
                  pwd="2026-10-02T09:14:00Z", home="home_alice"),
    "sam": dict(id="a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", name="Sam Analyst", given="Sam",
                sur="Analyst", upn="analyst@contoso.com", job="Security Analyst",
                dept="IT Security", city="Amsterdam", created="2024-01-15T08:30:00Z",
                pwd="2026-09-01T07:40:00Z", home="home_sam"),
    "bob": dict(id="5d8e2c71-0a4b-4f3e-9d6c-7b1a2e3f4c5d", name="Bob Jansen", given="Bob",
                sur="Jansen", upn="bob@contoso.com", job="Account Manager", dept="Sales",
                city="Haarlem", created="2022-06-01T08:00:00Z", pwd="2026-08-19T12:02:00Z",
                home="home_bob"),
    "carol": dict(id="8a1b3c5d-7e9f-4a2b-b4c6-d8e0f2a4b6c8", name="Carol de Wit", given="Carol",
                  sur="de Wit", upn="carol@contoso.com", job="HR Business Partner",
                  dept="Human Resources", city="Rotterdam", created="2021-11-08T08:00:00Z",
                  pwd="2026-10-15T07:31:00Z", home="home_carol"),
    "david": dict(id="c4e6a8b0-2d4f-4e6a-8c0e-2a4c6e8a0b2d", name="David Chen", given="David",
                  sur="Chen", upn="david@contoso.com", job="Systems Engineer",
                  dept="IT Operations", city="Utrecht", created="2019-04-02T08:00:00Z",
                  pwd="2026-09-22T06:58:00Z", home="home_david", synced=True),
    "erin": dict(id="e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", name="Erin Noor (Fabrikam)",
                 given="Erin", sur="Noor", upn="erin_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                 mail="erin@fabrikam.com", job=None, dept=None, city="Copenhagen",
                 created="2026-06-03T13:20:00Z", pwd=None, home="fabrikam", guest=True),
    "frank": dict(id="f7a8b9c0-d1e2-4f3a-9b4c-5d6e7f8a9b0c", name="Frank Visser", given="Frank",
                  sur="Visser", upn="frank@contoso.com", job="Procurement Officer",
                  dept="Procurement", city="Amstelveen", created="2024-09-02T08:00:00Z",
                  pwd="2026-11-02T08:12:00Z", home="home_frank"),
    "grace": dict(id="9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e", name="Grace Lee", given="Grace",
                  sur="Lee", upn="grace@contoso.com", job="Marketing Specialist",
                  dept="Marketing", city="Leiden", created="2025-02-17T08:00:00Z",
                  pwd="2026-07-30T10:45:00Z", home="home_grace"),
    "henk": dict(id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", name="Henk de Vries", given="Henk",
                 sur="de Vries", upn="henk@contoso.com", job="Finance Manager", dept="Finance",
                 city="Amsterdam", created="2018-02-12T08:00:00Z", pwd="2026-09-10T16:20:00Z",
                 home="home_henk"),
}
ALICE = USERS["alice"]

# ----------------------------------------------------------------------------- networks
# Documentation ranges only (RFC 5737 / RFC 3849); ASNs from the documentation range
# (RFC 5398). Sub-blocks:
#   198.51.100.16/26  consumer ISP "Polder Kabel" (AS64496), Dutch homes
#   192.0.2.8/29      Contoso VPN egress, Frankfurt DE (AS64497), used every office day
#   2001:db8:4a1c::/48 mobile carrier "Tulip Mobile" (AS64498), Amsterdam; a new /64 most days
#   192.0.2.136/29    Fabrikam corporate egress, Copenhagen DK (AS64502), the guest
#   203.0.113.192/26  hotel Wi-Fi "Thames Hotel", London GB (AS64500), Alice's trips
#   203.0.113.0/25    attacker: 203.0.113.7/.9 and spray nodes .66-.69 hosting in Lagos NG
#                     (AS64499); 203.0.113.45 a residential proxy geolocated to Amsterdam (AS64501)
CITIES = {
    "Amsterdam": ("Noord-Holland", "NL", 52.3676, 4.9041),
    "Haarlem": ("Noord-Holland", "NL", 52.3874, 4.6462),
    "Amstelveen": ("Noord-Holland", "NL", 52.3114, 4.8701),
    "Rotterdam": ("Zuid-Holland", "NL", 51.9244, 4.4777),
    "Leiden": ("Zuid-Holland", "NL", 52.1601, 4.4970),
    "Utrecht": ("Utrecht", "NL", 52.0907, 5.1214),
    "Frankfurt am Main": ("Hessen", "DE", 50.1109, 8.6821),
    "London": ("England", "GB", 51.5072, -0.1276),
    "Lagos": ("Lagos", "NG", 6.5244, 3.3792),
    "Copenhagen": ("Hovedstaden", "DK", 55.6761, 12.5683),
}
NETS = {
    "home_alice": ("198.51.100.20", "Amsterdam", 64496),
    "home_bob": ("198.51.100.30", "Haarlem", 64496),
    "home_carol": ("198.51.100.24", "Rotterdam", 64496),
    "home_david": ("198.51.100.40", "Utrecht", 64496),
    "home_frank": ("198.51.100.52", "Amstelveen", 64496),
    "home_grace": ("198.51.100.61", "Leiden", 64496),
    "home_henk": ("198.51.100.35", "Amsterdam", 64496),
    "home_sam": ("198.51.100.44", "Amsterdam", 64496),
    "vpn": ("192.0.2.10", "Frankfurt am Main", 64497),
    "mobile": ("2001:db8:4a1c::1", "Amsterdam", 64498),
    "fabrikam": ("192.0.2.140", "Copenhagen", 64502),
    "hotel": ("203.0.113.200", "London", 64500),
    "attacker": ("203.0.113.7", "Lagos", 64499),
    "attacker2": ("203.0.113.9", "Lagos", 64499),
    "spray66": ("203.0.113.66", "Lagos", 64499),
    "spray67": ("203.0.113.67", "Lagos", 64499),
    "spray68": ("203.0.113.68", "Lagos", 64499),
    "spray69": ("203.0.113.69", "Lagos", 64499),
    "proxy": ("203.0.113.45", "Amsterdam", 64501),
}


def location(city: str) -> dict:
    state, cc, lat, lon = CITIES[city]
    return {"city": city, "state": state, "countryOrRegion": cc,
            "geoCoordinates": {"altitude": None, "latitude": lat, "longitude": lon}}


# ----------------------------------------------------------------------------- apps
APPS = {
    "OfficeHome": ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome",
                   "4765445b-32c6-49b0-83e6-1d93765276ca", "Browser"),
    "OWA": ("9199bf20-a13f-4107-85dc-02114787ef48", "One Outlook Web",
            "00000002-0000-0ff1-ce00-000000000000", "Browser"),
    "Teams": ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams",
              "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Mobile Apps and Desktop clients"),
    "OutlookMobile": ("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile",
                      "00000002-0000-0ff1-ce00-000000000000", "Mobile Apps and Desktop clients"),
    "Office": ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office",
               "00000003-0000-0000-c000-000000000000", "Mobile Apps and Desktop clients"),
    "MySignins": ("19db86c3-b2b9-44cc-b339-36da233a3be2", "My Signins",
                  "00000003-0000-0000-c000-000000000000", "Browser"),
    "EXO": ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online",
            "00000002-0000-0ff1-ce00-000000000000", "Browser"),
    "AzurePortal": ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal",
                    "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Browser"),
    "WindowsSignIn": ("38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Sign In",
                      "00000002-0000-0000-c000-000000000000", "Mobile Apps and Desktop clients"),
    "MailSyncPro": (gid("app:mail-sync-pro"), "Mail Sync Pro",
                    "00000003-0000-0000-c000-000000000000", "Browser"),
    "FabrikamMeetings": (gid("app:fabrikam-meetings"), "Fabrikam Meetings",
                         "00000003-0000-0000-c000-000000000000", "Browser"),
}
RESOURCE_NAMES = {
    "4765445b-32c6-49b0-83e6-1d93765276ca": "OfficeHome",
    "00000002-0000-0ff1-ce00-000000000000": "Office 365 Exchange Online",
    "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe": "Microsoft Teams Services",
    "00000003-0000-0000-c000-000000000000": "Microsoft Graph",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Windows Azure Service Management API",
    "00000002-0000-0000-c000-000000000000": "Windows Azure Active Directory",
}

# ----------------------------------------------------------------------------- devices
UA_EDGE_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
UA_IOS_OUTLOOK = "Outlook-iOS/2.0"
UA_LINUX_CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/131.0.0.0 Safari/537.36")
UA_MAC_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/18.1 Safari/605.1.15")


def device(kind: str, owner: str = "") -> tuple[dict, str]:
    if kind == "laptop":
        num = {"alice": "0142", "bob": "0088", "carol": "0031", "david": "0007", "frank": "0197",
               "grace": "0215", "henk": "0012", "sam": "0250"}.get(owner, "0999")
        trust = "Hybrid Azure AD joined" if owner == "david" else "Azure AD joined"
        return ({"deviceId": gid(f"device:{owner}:laptop"), "displayName": f"CONTOSO-LT-{num}",
                 "operatingSystem": "Windows10", "browser": "Edge 131.0.0", "isCompliant": True,
                 "isManaged": True, "trustType": trust}, UA_EDGE_WIN)
    if kind == "iphone":
        return ({"deviceId": "", "displayName": "", "operatingSystem": "Ios",
                 "browser": "Rich Client 4.68.0", "isCompliant": False, "isManaged": False,
                 "trustType": ""}, UA_IOS_OUTLOOK)
    if kind == "mac":
        return ({"deviceId": "", "displayName": "", "operatingSystem": "MacOs",
                 "browser": "Safari 18.1", "isCompliant": False, "isManaged": False,
                 "trustType": ""}, UA_MAC_SAFARI)
    if kind == "attacker":
        return ({"deviceId": "", "displayName": "", "operatingSystem": "Linux",
                 "browser": "Chrome 131.0.0", "isCompliant": False, "isManaged": False,
                 "trustType": ""}, UA_LINUX_CHROME)
    if kind == "python":
        return ({"deviceId": "", "displayName": "", "operatingSystem": "Linux",
                 "browser": "Python Requests 2.32", "isCompliant": False, "isManaged": False,
                 "trustType": ""}, "python-requests/2.32.3")
    if kind == "legacy":
        return ({"deviceId": "", "displayName": "", "operatingSystem": "", "browser": "",
                 "isCompliant": False, "isManaged": False, "trustType": ""}, "")
    raise ValueError(kind)


# ----------------------------------------------------------------------------- CA policies
CA_MFA = (gid("ca:mfa"), "CA001: Require MFA for all users", ["Mfa"])
CA_LEGACY = (gid("ca:legacy"), "CA002: Block legacy authentication (report-only)", ["Block"])
CA_ADMINS = (gid("ca:admins"), "CA003: Require compliant device for admins",
             ["RequireCompliantDevice"])


def ca_policies(mfa: str, legacy: str, admins: str = "notApplied") -> list[dict]:
    out = []
    for (pid, name, grants), result in ((CA_MFA, mfa), (CA_LEGACY, legacy), (CA_ADMINS, admins)):
        applied = result in ("success", "failure")
        out.append({"id": pid, "displayName": name,
                    "enforcedGrantControls": grants if applied or result.startswith("reportOnly")
                    else [],
                    "enforcedSessionControls": [], "result": result})
    return out


LEGACY_CLIENTS = {"IMAP4", "POP3", "Authenticated SMTP", "Exchange ActiveSync", "Other clients"}

FAIL = {
    50126: ("Error validating credentials due to invalid username or password.",
            "The user didn't enter the right credentials. It's expected to see some number of "
            "these errors in your logs due to users making mistakes."),
    50074: ("Strong Authentication is required.",
            "User needs to perform multi-factor authentication. There could be multiple things "
            "requiring multi-factor, e.g. Conditional Access policies, per-user enforcement, "
            "requested by client, among others."),
    500121: ("Authentication failed during strong authentication request.", None),
    53003: ("Access has been blocked by Conditional Access policies. The access policy does not "
            "allow token issuance.", None),
}

# ----------------------------------------------------------------------------- sign-ins

SIGNINS: list[dict] = []   # v1.0 interactive, all users
BETA_EXTRA: dict[str, dict] = {}  # sign-in id -> beta-only fields (alice's interactive)
NONINTERACTIVE: list[dict] = []   # alice's beta non-interactive sign-ins
PLANTED: list[tuple] = []   # (section, type, id, what, verdict)


def make_signin(user: str, t: dt.datetime, net: str, app: str, dev: str, *, label: str,
                err: int = 0, details: str | None = None, client: str | None = None,
                risk: tuple | None = None, corr: str | None = None, ip: str | None = None,
                interactive: bool = True) -> dict:
    u = USERS[user]
    app_id, app_name, res_id, default_client = APPS[app]
    client = client or default_client
    netip, city, _asn = NETS[net]
    ip = ip or netip
    detail, ua = device(dev, user)
    if client in LEGACY_CLIENTS:
        detail, ua = device("legacy")
    if err == 0 and client in LEGACY_CLIENTS:   # basic auth: no MFA, nothing to add
        status = {"errorCode": 0, "failureReason": None, "additionalDetails": None}
    elif err == 0:
        status = {"errorCode": 0, "failureReason": None,
                  "additionalDetails": details or "MFA requirement satisfied by claim in the token"}
    else:
        reason, more = FAIL[err]
        status = {"errorCode": err, "failureReason": reason, "additionalDetails": details or more}
    legacy = client in LEGACY_CLIENTS
    if legacy:
        ca_status, pols = "notApplied", ca_policies("notApplied", "reportOnlyFailure")
    elif err in (50126,):
        ca_status, pols = "notApplied", ca_policies("notApplied", "reportOnlyNotApplied")
    elif err in (500121, 50074):
        ca_status, pols = "failure", ca_policies("failure", "reportOnlyNotApplied")
    else:
        admins = "success" if user == "david" else "notApplied"
        ca_status, pols = "success", ca_policies("success", "reportOnlyNotApplied", admins)
    lvl_agg, lvl, state, events, events2 = risk or ("none", "none", "none", [], [])
    sid = gid(f"signin:{label}")
    upn = u["mail"] if u.get("guest") else u["upn"]
    rec = {
        "id": sid,
        "createdDateTime": ts(t),
        "userDisplayName": u["name"],
        "userPrincipalName": upn.lower(),
        "userId": u["id"],
        "appId": app_id,
        "appDisplayName": app_name,
        "ipAddress": ip,
        "clientAppUsed": client,
        "userAgent": ua,
        "correlationId": corr or gid(f"corr:{label}"),
        "conditionalAccessStatus": ca_status,
        "isInteractive": interactive,
        "riskDetail": "none",
        "riskLevelAggregated": lvl_agg,
        "riskLevelDuringSignIn": lvl,
        "riskState": state,
        "riskEventTypes": events,
        "riskEventTypes_v2": events2,
        "resourceDisplayName": RESOURCE_NAMES[res_id],
        "resourceId": res_id,
        "resourceTenantId": TENANT,
        "homeTenantId": FABRIKAM_TENANT if u.get("guest") else TENANT,
        "servicePrincipalId": "",
        "servicePrincipalName": "",
        "status": status,
        "deviceDetail": detail,
        "location": location(city),
        "appliedConditionalAccessPolicies": pols,
        "authenticationAppDeviceDetails": None,
    }
    return rec


def add(user: str, t: dt.datetime, net: str, app: str, dev: str, label: str, **kw) -> dict:
    protocol = kw.pop("protocol", "none")
    token = "primaryRefreshToken" if dev == "laptop" else "none"
    rec = make_signin(user, t, net, app, dev, label=label, **kw)
    SIGNINS.append(rec)
    if user == "alice":
        BETA_EXTRA[rec["id"]] = beta_fields(rec, net, protocol, token)
    return rec


def beta_fields(rec: dict, net: str, protocol: str, token: str) -> dict:
    err = rec["status"]["errorCode"]
    legacy = rec["clientAppUsed"] in LEGACY_CLIENTS
    mfa = err == 0 and not legacy
    steps = [{"authenticationStepDateTime": rec["createdDateTime"],
              "authenticationMethod": "Password",
              "authenticationMethodDetail": "Password in the cloud",
              "succeeded": err not in (50126,),
              "authenticationStepResultDetail":
                  "Invalid username or password or Invalid on-premise username or password."
                  if err == 50126 else "Correct password",
              "authenticationStepRequirement": "Primary authentication"}]
    if err in (500121, 50074) or mfa:
        denied = err == 500121
        steps.append({"authenticationStepDateTime": rec["createdDateTime"],
                      "authenticationMethod": "Mobile app notification",
                      "authenticationMethodDetail": None,
                      "succeeded": not denied and err == 0,
                      "authenticationStepResultDetail":
                          rec["status"]["additionalDetails"] if err else "MFA successfully completed",
                      "authenticationStepRequirement": "Multi-factor authentication"})
    return {
        "signInEventTypes": ["interactiveUser"],
        "authenticationRequirement": "singleFactorAuthentication" if legacy
        else "multiFactorAuthentication",
        "authenticationProtocol": protocol,
        "incomingTokenType": token,
        "authenticationDetails": steps,
        "authenticationMethodsUsed": ["Password"] + (["Mobile app notification"] if mfa else []),
        "autonomousSystemNumber": NETS[net][2],
        "userType": "member",
        "tokenIssuerType": "AzureAD",
        "tokenIssuerName": "",
        "crossTenantAccessType": "none",
        "uniqueTokenIdentifier": b64id("uti:" + rec["id"], 16),
        "sessionId": gid("session:" + net + rec["createdDateTime"][:10]),
        "originalRequestId": rec["id"],
        "flaggedForReview": False,
        "isThroughGlobalSecureAccess": False,
        "signInTokenProtectionStatus": "none",
        "mfaDetail": {"authMethod": "Mobile app notification", "authDetail": None} if mfa
        else {"authMethod": None, "authDetail": None},
        "networkLocationDetails": [{"networkType": "trustedNamedLocation",
                                    "networkNames": ["Contoso VPN egress"]}] if net == "vpn" else [],
    }


def jitter(rng: random.Random, t: dt.datetime, minutes: int) -> dt.datetime:
    return t + dt.timedelta(seconds=rng.randint(-minutes * 60, minutes * 60))


def days():
    d = FIRST_DAY.replace(hour=0, minute=0, second=0)
    while d < ANCHOR:
        yield d
        d += dt.timedelta(days=1)


def mobile_ip(rng: random.Random) -> str:
    return f"2001:db8:4a1c:{rng.randint(0x1000, 0xffff):x}::{rng.randint(0x10, 0xfff):x}"


# ----------------------------------------------------------------------------- Alice's days

HOME_DAY = [("07:50", "home_alice", "OfficeHome", "laptop"), ("08:00", "home_alice", "Teams", "laptop"),
            ("11:30", "home_alice", "OWA", "laptop"), ("13:30", "mobile", "OutlookMobile", "iphone"),
            ("15:40", "home_alice", "Teams", "laptop"), ("19:30", "mobile", "OutlookMobile", "iphone")]
OFFICE_DAY = [("08:05", "vpn", "OfficeHome", "laptop"), ("08:15", "vpn", "Teams", "laptop"),
              ("10:40", "vpn", "OWA", "laptop"), ("12:40", "mobile", "OutlookMobile", "iphone"),
              ("14:50", "vpn", "Teams", "laptop"), ("19:30", "mobile", "OutlookMobile", "iphone")]
TRIP_OUT = [("06:00", "home_alice", "OfficeHome", "laptop"), ("11:30", "hotel", "OWA", "laptop"),
            ("15:00", "hotel", "Teams", "laptop"), ("19:10", "hotel", "OWA", "laptop")]
TRIP_BACK = [("08:00", "hotel", "OfficeHome", "laptop"), ("12:10", "hotel", "Teams", "laptop"),
             ("19:40", "home_alice", "OWA", "laptop")]
SPECIAL = {"2026-10-21", "2026-10-22", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"}
IDS: dict[str, str] = {}   # scenario name -> sign-in id (used for SCENARIO.md and joins)


def alice_routine(rng: random.Random) -> None:
    prev_mobile = mobile_ip(rng)
    for d in days():
        day = d.date().isoformat()
        wd = d.weekday()
        mip = prev_mobile if rng.random() < 0.2 else mobile_ip(rng)
        prev_mobile = mip
        if day in SPECIAL:
            slots = {"2026-10-21": TRIP_OUT, "2026-10-22": TRIP_BACK}.get(day, [])
        elif wd >= 5:
            slots = [(("11:00" if wd == 5 else "18:00"), "mobile", "OutlookMobile", "iphone")] \
                if rng.random() < 0.6 else []
        else:
            slots = OFFICE_DAY if wd in (1, 3) else HOME_DAY
        for i, (hm, net, app, dev) in enumerate(slots):
            t = jitter(rng, at(day, hm), 12)
            if t < FIRST_DAY or t > LAST_SIGNIN:
                continue
            if day == "2026-10-27" and i == 0:   # a typo, weeks before the window
                add("alice", t - dt.timedelta(minutes=1), net, app, dev, f"alice:{day}:{i}:typo",
                    err=50126)
            add("alice", t, net, app, dev, f"alice:{day}:{i}", ip=mip if net == "mobile" else None)
        alice_noninteractive(rng, d, slots, mip)


def alice_noninteractive(rng: random.Random, d: dt.datetime, slots: list, mip: str) -> None:
    day = d.date().isoformat()
    for i, (hm, net, app, dev) in enumerate(slots):
        if app not in ("Teams", "OutlookMobile"):
            continue
        t = jitter(rng, at(day, hm) + dt.timedelta(minutes=70), 10)
        if t > LAST_SIGNIN:
            continue
        rec = make_signin("alice", t, net, app, dev, label=f"alice-ni:{day}:{i}",
                          ip=mip if net == "mobile" else None, interactive=False)
        NONINTERACTIVE.append(noninteractive_beta(rec, net))


def noninteractive_beta(rec: dict, net: str, token: str = "refreshToken") -> dict:
    out = {k: v for k, v in rec.items() if k != "riskEventTypes"}
    out["status"] = {"errorCode": 0, "failureReason": None,
                     "additionalDetails": "MFA requirement satisfied by claim in the token"}
    out.update({
        "signInEventTypes": ["nonInteractiveUser"],
        "authenticationRequirement": "multiFactorAuthentication",
        "authenticationProtocol": "none",
        "incomingTokenType": token,
        "authenticationDetails": [{
            "authenticationStepDateTime": rec["createdDateTime"],
            "authenticationMethod": "Previously satisfied", "authenticationMethodDetail": None,
            "succeeded": True,
            "authenticationStepResultDetail": "First factor requirement satisfied by claim in the token",
            "authenticationStepRequirement": "Primary authentication"}],
        "authenticationMethodsUsed": [],
        "autonomousSystemNumber": NETS[net][2],
        "userType": "member", "tokenIssuerType": "AzureAD", "tokenIssuerName": "",
        "crossTenantAccessType": "none",
        "uniqueTokenIdentifier": b64id("uti:" + rec["id"], 16),
        "sessionId": gid("session:" + net + rec["createdDateTime"][:10]),
        "originalRequestId": rec["id"], "flaggedForReview": False,
        "isThroughGlobalSecureAccess": False, "signInTokenProtectionStatus": "none",
        "mfaDetail": {"authMethod": None, "authDetail": None}, "networkLocationDetails": [],
    })
    return out


def alice_scenario(rng: random.Random) -> None:
    R_HIGH = ("high", "high", "atRisk", ["unfamiliarFeatures"], ["unfamiliarFeatures", "anomalousToken"])
    # Monday 2026-11-16 -- the compromise
    d1 = "2026-11-16"
    add("alice", at(d1, "08:27:14"), "home_alice", "OfficeHome", "laptop", "alice:d1:officehome")
    IDS["d1_context"] = add("alice", at(d1, "08:31:02"), "home_alice", "Teams", "laptop",
                            "alice:d1:teams")["id"]
    spray = [("08:52:10", "spray66", "OfficeHome", None), ("08:53:41", "spray67", "EXO", "IMAP4"),
             ("08:55:03", "spray68", "OfficeHome", None), ("08:56:47", "spray69", "EXO", "IMAP4"),
             ("08:58:30", "spray66", "OfficeHome", None), ("09:00:12", "spray67", "OfficeHome", None),
             ("09:01:55", "spray68", "EXO", "IMAP4"), ("09:03:20", "spray69", "OfficeHome", None),
             ("09:05:02", "attacker", "OfficeHome", None), ("09:06:48", "attacker", "EXO", "IMAP4")]
    IDS["spray"] = []
    IDS["spray_legacy"] = []
    for i, (hm, net, app, client) in enumerate(spray):
        rec = add("alice", at(d1, hm), net, app, "attacker", f"alice:d1:spray:{i}", err=50126,
                  client=client)
        IDS["spray"].append(rec["id"])
        if client:
            IDS["spray_legacy"].append(rec["id"])
    IDS["aitm"] = add("alice", at(d1, "09:13:05"), "attacker", "OfficeHome", "attacker",
                      "alice:d1:aitm", risk=R_HIGH)["id"]
    IDS["mysignins"] = add("alice", at(d1, "09:22:40"), "attacker", "MySignins", "attacker",
                           "alice:d1:mysignins")["id"]
    IDS["imap_ok"] = add("alice", at(d1, "09:41:15"), "attacker", "EXO", "attacker",
                         "alice:d1:imap", client="IMAP4", details="")["id"]
    IDS["consent_signin"] = add("alice", at(d1, "09:48:02"), "attacker", "MailSyncPro", "attacker",
                                "alice:d1:mailsyncpro")["id"]
    IDS["smtp_ok"] = add("alice", at(d1, "10:04:37"), "attacker", "EXO", "attacker",
                         "alice:d1:smtp", client="Authenticated SMTP", details="")["id"]
    add("alice", at(d1, "19:35:20"), "mobile", "OutlookMobile", "iphone", "alice:d1:evening",
        ip="2001:db8:4a1c:7d31::4e")
    # attacker refresh-token replays (beta, non-interactive), Monday 10:20 until the anchor
    t, n = at(d1, "10:20:11"), 0
    IDS["replays"] = []
    while t <= LAST_SIGNIN:
        net = "attacker2" if n % 4 == 3 else "attacker"
        app = ["Office", "OWA", "OfficeHome"][n % 3]
        rec = make_signin("alice", t, net, app, "python", label=f"alice:replay:{n}",
                          interactive=False)
        NONINTERACTIVE.append(noninteractive_beta(rec, net))
        IDS["replays"].append(rec["id"])
        t += dt.timedelta(minutes=rng.randint(150, 330))
        n += 1
    # Tuesday 2026-11-17 -- flight Amsterdam -> London (benign)
    d2 = "2026-11-17"
    IDS["flight_ams"] = add("alice", at(d2, "06:05:40"), "home_alice", "OfficeHome", "laptop",
                            "alice:d2:ams")["id"]
    IDS["flight_lon"] = add("alice", at(d2, "10:48:19"), "hotel", "OWA", "laptop",
                            "alice:d2:lon")["id"]
    add("alice", at(d2, "13:10:05"), "hotel", "Teams", "laptop", "alice:d2:teams")
    add("alice", at(d2, "17:35:44"), "hotel", "OWA", "laptop", "alice:d2:owa")
    add("alice", at(d2, "20:20:09"), "hotel", "Teams", "laptop", "alice:d2:teams2")
    # Wednesday 2026-11-18 -- back home; MFA fatigue in the evening
    d3 = "2026-11-18"
    add("alice", at(d3, "07:55:31"), "hotel", "OfficeHome", "laptop", "alice:d3:lon1")
    IDS["flight_lon_back"] = add("alice", at(d3, "11:05:12"), "hotel", "Teams", "laptop",
                                 "alice:d3:lon2")["id"]
    IDS["flight_ams_back"] = add("alice", at(d3, "18:40:55"), "home_alice", "OWA", "laptop",
                                 "alice:d3:ams1")["id"]
    add("alice", at(d3, "20:10:27"), "home_alice", "Teams", "laptop", "alice:d3:ams2")
    declined = "MFA denied; user declined the authentication"
    silent = "MFA denied; user did not respond to mobile app notification"
    fatigue = [("21:40:05", 50074, None, "a"), ("21:40:52", 500121, declined, "a"),
               ("21:43:30", 50074, None, "b"), ("21:44:18", 500121, declined, "b"),
               ("21:47:02", 500121, silent, "c"), ("21:50:40", 500121, declined, "d"),
               ("21:54:11", 500121, silent, "e")]
    IDS["fatigue"] = []
    for i, (hm, err, det, c) in enumerate(fatigue):
        IDS["fatigue"].append(add("alice", at(d3, hm), "proxy", "OfficeHome", "attacker",
                                  f"alice:d3:fatigue:{i}", err=err, details=det,
                                  corr=gid(f"corr:fatigue:{c}"))["id"])
    IDS["fatigue_ok"] = add("alice", at(d3, "21:57:36"), "proxy", "OfficeHome", "attacker",
                            "alice:d3:fatigue:ok", details="MFA completed in Azure AD",
                            corr=gid("corr:fatigue:f"))["id"]
    # Thursday 2026-11-19 -- device-code phishing at night; office day; mobile address change
    d4 = "2026-11-19"
    IDS["device_code"] = add("alice", at(d4, "00:20:45"), "attacker", "Office", "python",
                             "alice:d4:devicecode", protocol="deviceCode",
                             details="MFA completed in Azure AD")["id"]
    IDS["vpn_d4"] = add("alice", at(d4, "09:32:08"), "vpn", "OfficeHome", "laptop",
                        "alice:d4:vpn1")["id"]
    add("alice", at(d4, "09:40:51"), "vpn", "Teams", "laptop", "alice:d4:vpn2")
    add("alice", at(d4, "11:05:33"), "vpn", "OWA", "laptop", "alice:d4:vpn3")
    IDS["mobile_a"] = add("alice", at(d4, "12:31:09"), "mobile", "OutlookMobile", "iphone",
                          "alice:d4:mob1", ip="2001:db8:4a1c:21f0::a3")["id"]
    IDS["mobile_b"] = add("alice", at(d4, "12:36:47"), "mobile", "OutlookMobile", "iphone",
                          "alice:d4:mob2", ip="2001:db8:4a1c:9e02::17")["id"]
    IDS["fabrikam_signin"] = add("alice", at(d4, "14:05:12"), "vpn", "FabrikamMeetings",
                                 "laptop", "alice:d4:fabrikam")["id"]
    add("alice", at(d4, "14:50:40"), "vpn", "Teams", "laptop", "alice:d4:vpn4")
    add("alice", at(d4, "19:30:02"), "mobile", "OutlookMobile", "iphone", "alice:d4:mob3",
        ip="2001:db8:4a1c:9e02::17")
    # benign non-interactive refreshes on the special days
    for day, net in ((d2, "hotel"), (d3, "home_alice"), (d4, "vpn")):
        rec = make_signin("alice", at(day, "15:15:00"), net, "Teams", "laptop",
                          label=f"alice-ni:{day}:special", interactive=False)
        NONINTERACTIVE.append(noninteractive_beta(rec, net))


# ----------------------------------------------------------------------------- other users

def others_routine(rng: random.Random) -> None:
    for key in ("bob", "carol", "david", "frank", "grace", "henk", "sam", "erin"):
        u = USERS[key]
        office_days = {1, 3} if key in ("carol", "frank", "henk") else {0, 2}
        for d in days():
            day = d.date().isoformat()
            wd = d.weekday()
            if wd >= 5:
                continue
            if key == "erin":
                if wd in (0, 2, 3) and rng.random() < 0.8:
                    add("erin", jitter(rng, at(day, "09:15"), 40), "fabrikam", "Teams", "mac",
                        f"erin:{day}")
                continue
            net = "vpn" if wd in office_days else u["home"]
            slots = [("08:10", net, "OfficeHome", "laptop"), ("08:20", net, "Teams", "laptop"),
                     ("12:50", "mobile", "OutlookMobile", "iphone"), ("15:30", net, "OWA", "laptop")]
            if key == "david":
                slots.insert(2, ("10:00", net, "AzurePortal", "laptop"))
            if key == "sam":
                slots.insert(2, ("10:15", net, "AzurePortal", "laptop"))
            mip = mobile_ip(rng)
            for i, (hm, n, app, dev) in enumerate(slots):
                if rng.random() < 0.2:
                    continue
                t = jitter(rng, at(day, hm), 15)
                if t < FIRST_DAY or t > LAST_SIGNIN:
                    continue
                if key == "bob" and day == "2026-11-16" and hm > "09:00":
                    continue
                if rng.random() < 0.03:
                    add(key, t - dt.timedelta(seconds=50), n, app, dev, f"{key}:{day}:{i}:typo",
                        err=50126)
                add(key, t, n, app, dev, f"{key}:{day}:{i}", ip=mip if n == "mobile" else None)
    # Bob on the attacker's IP, Monday of the compromise (pivot)
    IDS["bob_fail"] = add("bob", at("2026-11-16", "10:26:33"), "attacker", "OfficeHome", "attacker",
                          "bob:pivot:fail", err=50126)["id"]
    IDS["bob_ok"] = add("bob", at("2026-11-16", "10:30:58"), "attacker", "OfficeHome", "attacker",
                        "bob:pivot:ok",
                        risk=("medium", "medium", "atRisk", ["unfamiliarFeatures"],
                              ["unfamiliarFeatures"]))["id"]


# ----------------------------------------------------------------------------- directory

def sid_from_guid(g: str) -> str:
    b = uuid.UUID(g).bytes_le
    parts = [int.from_bytes(b[i:i + 4], "little") for i in range(0, 16, 4)]
    return "S-1-12-1-" + "-".join(str(p) for p in parts)


def organization() -> list[dict]:
    def plan(pid, service, when):
        return {"assignedDateTime": when, "capabilityStatus": "Enabled", "service": service,
                "servicePlanId": pid}
    return [{
        "id": TENANT, "deletedDateTime": None, "displayName": "Contoso Ltd",
        "businessPhones": ["+31 20 555 0100"], "city": "Amsterdam", "country": "Netherlands",
        "countryLetterCode": "NL", "createdDateTime": "2018-02-01T10:11:12Z",
        "defaultUsageLocation": "NL", "marketingNotificationEmails": [],
        "onPremisesLastSyncDateTime": "2026-11-20T11:40:03Z", "onPremisesSyncEnabled": True,
        "postalCode": "1017 AB", "preferredLanguage": "en", "securityComplianceNotificationMails": [],
        "securityComplianceNotificationPhones": [], "state": "Noord-Holland",
        "street": "Herengracht 100", "technicalNotificationMails": ["it-ops@contoso.com"],
        "tenantType": "AAD",
        "verifiedDomains": [
            {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": True,
             "isInitial": False, "name": "contoso.com", "type": "Managed"},
            {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": False,
             "isInitial": True, "name": "contoso.onmicrosoft.com", "type": "Managed"}],
        "assignedPlans": [
            plan("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AADPremiumService", "2024-01-10T09:00:00Z"),
            plan("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AADPremiumService", "2024-01-10T09:00:00Z"),
            plan("efb87545-963c-4e0d-99df-69c6916d9eb0", "exchange", "2022-05-02T08:00:00Z"),
            plan("57ff2da0-773e-42df-b2af-ffb7a2317929", "TeamspaceAPI", "2022-05-02T08:00:00Z"),
            plan("5dbe027f-2339-4123-9542-606e4d348a72", "SharePoint", "2022-05-02T08:00:00Z")],
    }]


def users_json() -> list[dict]:
    out = []
    for key, u in USERS.items():
        guest, synced = u.get("guest", False), u.get("synced", False)
        city = u["city"]
        mine = [s for s in SIGNINS if s["userId"] == u["id"]]
        last = max(mine, key=lambda s: s["createdDateTime"])
        ok = max((s for s in mine if s["status"]["errorCode"] == 0),
                 key=lambda s: s["createdDateTime"])
        if key == "alice":
            ni = max(NONINTERACTIVE, key=lambda s: s["createdDateTime"])
            ni_t, ni_id = ni["createdDateTime"], ni["id"]
        else:
            t = dt.datetime.fromisoformat(ok["createdDateTime"].replace("Z", "+00:00"))
            ni_t, ni_id = ts(min(t + dt.timedelta(minutes=25), LAST_SIGNIN)), gid(f"ni:{key}")
        mail = u.get("mail", u["upn"])
        rec = {
            "id": u["id"], "displayName": u["name"], "givenName": u["given"], "surname": u["sur"],
            "userPrincipalName": u["upn"], "mail": mail, "accountEnabled": True,
            "createdDateTime": u["created"], "lastPasswordChangeDateTime": u["pwd"] or u["created"],
            "signInSessionsValidFromDateTime": u["pwd"] or u["created"],
            "userType": "Guest" if guest else "Member",
            "externalUserState": "Accepted" if guest else None,
            "externalUserStateChangeDateTime": "2026-06-03T13:41:09Z" if guest else None,
            "creationType": "Invitation" if guest else None,
            "jobTitle": u["job"], "department": u["dept"],
            "companyName": "Fabrikam A/S" if guest else "Contoso Ltd",
            "officeLocation": None if guest else ("Amsterdam HQ" if u["dept"] != "IT Operations"
                                                  else "Utrecht DC"),
            "city": city, "country": "Denmark" if guest else "Netherlands",
            "usageLocation": "DK" if guest else "NL", "preferredLanguage": "en-US" if guest else "nl-NL",
            "mobilePhone": None if guest else f"+31 6 5550 {int(u['id'][:4], 16) % 10000:04d}",
            "businessPhones": [] if guest else [f"+31 20 555 {int(u['id'][4:8], 16) % 10000:04d}"],
            "otherMails": ["erin@fabrikam.com"] if guest else [],
            "proxyAddresses": [] if guest else [f"SMTP:{u['upn']}",
                                                f"smtp:{u['upn'].split('@')[0]}@contoso.onmicrosoft.com"],
            "identities": ([{"signInType": "userPrincipalName", "issuer": "contoso.onmicrosoft.com",
                             "issuerAssignedId": u["upn"]},
                            {"signInType": "federated", "issuer": "ExternalAzureAD",
                             "issuerAssignedId": None}] if guest else
                           [{"signInType": "userPrincipalName", "issuer": "contoso.com",
                             "issuerAssignedId": u["upn"]}]),
            "passwordPolicies": None if synced or guest else "DisablePasswordExpiration",
            "securityIdentifier": ("S-1-5-21-2952911846-3123917604-1405721373-1107" if synced
                                   else sid_from_guid(u["id"])),
            "onPremisesSyncEnabled": True if synced else None,
            "onPremisesLastSyncDateTime": "2026-11-20T11:40:03Z" if synced else None,
            "onPremisesSamAccountName": "dchen" if synced else None,
            "onPremisesDomainName": "corp.contoso.com" if synced else None,
            "onPremisesImmutableId": (base64.b64encode(uuid.UUID(gid("onprem:david")).bytes_le)
                                      .decode() if synced else None),
            "signInActivity": {
                "lastSignInDateTime": last["createdDateTime"], "lastSignInRequestId": last["id"],
                "lastNonInteractiveSignInDateTime": ni_t, "lastNonInteractiveSignInRequestId": ni_id,
                "lastSuccessfulSignInDateTime": ok["createdDateTime"],
                "lastSuccessfulSignInRequestId": ok["id"]},
        }
        out.append(rec)
    return out


# ----------------------------------------------------------------------------- auth methods
AUTH = "#microsoft.graph."
MOBILE_ID, ALT_ID, OFFICE_ID = ("3179e48a-750b-4051-897c-87b9720928f7",
                                "b6332ec1-7057-4abe-9331-3d72feddfe41",
                                "e37fc753-ff3b-4958-9484-eaa9425c82bc")
EMAIL_ID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"


def m_password(created):
    return {"@odata.type": AUTH + "passwordAuthenticationMethod", "id": PASSWORD_METHOD_ID,
            "createdDateTime": created, "password": None}


def m_phone(kind, number, created, sms="notEnabled"):
    mid = {"mobile": MOBILE_ID, "alternateMobile": ALT_ID, "office": OFFICE_ID}[kind]
    return {"@odata.type": AUTH + "phoneAuthenticationMethod", "id": mid, "createdDateTime": created,
            "phoneNumber": number, "phoneType": kind, "smsSignInState": sms}


def m_authenticator(label, name, created, version):
    return {"@odata.type": AUTH + "microsoftAuthenticatorAuthenticationMethod", "id": gid(label),
            "createdDateTime": created, "displayName": name, "deviceTag": "SoftwareTokenActivated",
            "phoneAppVersion": version}


def auth_methods() -> dict[str, list[dict]]:
    a = {}
    IDS["m_pixel"] = gid("method:alice:pixel")
    IDS["m_iphone15"] = gid("method:alice:iphone15")
    IDS["m_iphone12"] = gid("method:alice:iphone12")
    a["alice"] = [
        m_password("2026-10-02T09:14:00Z"),
        m_phone("mobile", "+31 612345678", "2023-03-06T09:40:11Z"),
        {"@odata.type": AUTH + "emailAuthenticationMethod", "id": EMAIL_ID,
         "createdDateTime": "2023-03-06T09:41:02Z", "emailAddress": "alice.private@example.net"},
        m_authenticator("method:alice:iphone12", "iPhone 12", "2023-03-06T09:38:27Z", "6.8.15"),
        m_authenticator("method:alice:iphone15", "iPhone 15", "2026-10-31T10:12:44Z", "6.8.17"),
        m_authenticator("method:alice:pixel", "Pixel 7 Pro", "2026-11-16T09:25:31Z", "6.2411.7450"),
    ]
    a["sam"] = [m_password("2026-09-01T07:40:00Z"),
                {"@odata.type": AUTH + "fido2AuthenticationMethod", "id": b64id("fido:sam", 24),
                 "createdDateTime": "2025-06-12T08:01:44Z", "displayName": "iCloud Keychain",
                 "aaGuid": "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "model": "iCloud Keychain",
                 "attestationCertificates": [], "attestationLevel": "notAttested",
                 "passkeyType": "synced", "publicKeyCredential": None},
                m_authenticator("method:sam:auth", "iPhone 16 Pro", "2024-01-15T09:02:10Z", "6.8.17")]
    a["bob"] = [m_password("2026-08-19T12:02:00Z"), m_phone("mobile", "+31 611223344",
                                                            "2022-06-01T09:10:00Z", "ready"),
                m_authenticator("method:bob:auth", "Galaxy S23", "2023-02-14T10:00:00Z", "6.2411.7450")]
    a["carol"] = [m_password("2026-10-15T07:31:00Z"),
                  m_phone("mobile", "+31 622334455", "2021-11-08T09:00:00Z"),
                  m_phone("alternateMobile", "+31 633445566", "2022-01-20T12:00:00Z"),
                  {"@odata.type": AUTH + "emailAuthenticationMethod", "id": EMAIL_ID,
                   "createdDateTime": "2021-11-08T09:02:00Z", "emailAddress": "carol.dewit@example.org"},
                  m_authenticator("method:carol:auth", "iPhone 13 mini", "2022-03-01T08:00:00Z", "6.8.15")]
    a["david"] = [m_password("2026-09-22T06:58:00Z"),
                  {"@odata.type": AUTH + "fido2AuthenticationMethod", "id": b64id("fido:david", 24),
                   "createdDateTime": "2024-04-03T13:22:51Z", "displayName": "YubiKey 5 NFC",
                   "aaGuid": "cb69481e-8ff7-4039-93ec-0a2729a154a8",
                   "model": "YubiKey 5 Series with NFC",
                   "attestationCertificates": ["6a5f7b2c9d1e3f4a8b0c2d4e6f8a0b1c2d3e4f5a"],
                   "attestationLevel": "attested", "passkeyType": "deviceBound",
                   "publicKeyCredential": None},
                  {"@odata.type": AUTH + "windowsHelloForBusinessAuthenticationMethod",
                   "id": b64id("whfb:david", 33), "createdDateTime": "2025-01-09T08:15:00Z",
                   "displayName": "CONTOSO-LT-0007", "keyStrength": "normal"},
                  {"@odata.type": AUTH + "platformCredentialAuthenticationMethod",
                   "id": b64id("psso:david", 33), "createdDateTime": "2025-08-21T14:30:00Z",
                   "displayName": "CONTOSO-MBP-0007", "keyStrength": "normal", "platform": "macOS"},
                  m_authenticator("method:david:auth", "Pixel 8", "2023-05-05T07:00:00Z", "6.2411.7450")]
    a["frank"] = [m_password("2026-11-02T08:12:00Z"),
                  m_phone("office", "+31 20 5550142", "2024-09-02T08:30:00Z"),
                  {"@odata.type": AUTH + "temporaryAccessPassAuthenticationMethod",
                   "id": gid("method:frank:tap"), "createdDateTime": "2026-11-02T07:58:40Z",
                   "temporaryAccessPass": None, "startDateTime": "2026-11-02T08:00:00Z",
                   "lifetimeInMinutes": 480, "isUsableOnce": True, "isUsable": False,
                   "methodUsabilityReason": "OneTimeUsed"},
                  m_authenticator("method:frank:auth", "iPhone 14", "2026-11-02T08:10:05Z", "6.8.17")]
    a["grace"] = [m_password("2026-07-30T10:45:00Z"),
                  {"@odata.type": AUTH + "externalAuthenticationMethod", "id": gid("method:grace:ext"),
                   "createdDateTime": "2025-02-17T09:00:00Z",
                   "configurationId": gid("extauth:config"), "displayName": "Contoso Duo MFA"},
                  {"@odata.type": AUTH + "qrCodePinAuthenticationMethod", "id": gid("method:grace:qr"),
                   "createdDateTime": "2025-03-03T07:30:00Z"}]
    a["henk"] = [m_password("2026-09-10T16:20:00Z"),
                 m_phone("mobile", "+31 644556677", "2018-02-12T09:00:00Z"),
                 {"@odata.type": AUTH + "softwareOathAuthenticationMethod", "id": gid("method:henk:oath"),
                  "createdDateTime": "2020-10-01T10:00:00Z", "secretKey": None}]
    a["erin"] = []
    return a


# ----------------------------------------------------------------------------- apps & grants
GRAPH_SCOPES = [("Mail.ReadWrite", "Read and write access to your mail"),
                ("Mail.Send", "Send mail as you"), ("Mail.Read", "Read your mail"),
                ("User.Read", "Sign you in and read your profile"),
                ("offline_access", "Maintain access to data you have given it access to"),
                ("openid", "Sign you in"), ("profile", "View your basic profile"),
                ("email", "View your email address"), ("Files.ReadWrite.All", "Have full access to all files you have access to"),
                ("Calendars.ReadWrite", "Have full access to your calendars")]


def sp(key, app_id, name, owner, *, publisher=None, audience="AzureADMultipleOrgs",
       homepage=None, reply=(), scopes=(), tags=(), desc=None):
    return {
        "id": gid(f"sp:{key}"), "deletedDateTime": None, "accountEnabled": True,
        "appDisplayName": name, "appDescription": desc, "appId": app_id,
        "appOwnerOrganizationId": owner, "appRoleAssignmentRequired": False,
        "displayName": name, "homepage": homepage,
        "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None,
                 "supportUrl": None, "termsOfServiceUrl": None},
        "replyUrls": list(reply), "servicePrincipalNames": [app_id],
        "servicePrincipalType": "Application", "signInAudience": audience, "tags": list(tags),
        "verifiedPublisher": publisher or {"displayName": None, "verifiedPublisherId": None,
                                           "addedDateTime": None},
        "oauth2PermissionScopes": [
            {"adminConsentDescription": f"Allows the app to {d.lower()}.",
             "adminConsentDisplayName": d, "id": gid(f"scope:{key}:{v}"), "isEnabled": True,
             "origin": "Application", "type": "User",
             "userConsentDescription": f"Allows the app to {d.lower()}.",
             "userConsentDisplayName": d, "value": v} for v, d in scopes],
    }


def service_principals() -> list[dict]:
    ms = ["WindowsAzureActiveDirectoryIntegratedApp"]
    return [
        sp("graph", "00000003-0000-0000-c000-000000000000", "Microsoft Graph", MS_SERVICES_TENANT,
           scopes=GRAPH_SCOPES, tags=ms),
        sp("exo", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online",
           MS_SERVICES_TENANT, tags=ms),
        sp("graphexplorer", "de8bc8b5-d9f9-48b1-a8ad-b748da725064", "Graph Explorer",
           MS_CORP_TENANT, audience="AzureADandPersonalMicrosoftAccount",
           homepage="https://developer.microsoft.com/graph/graph-explorer",
           reply=["https://developer.microsoft.com/en-us/graph/graph-explorer"], tags=ms),
        sp("mailsyncpro", APPS["MailSyncPro"][0], "Mail Sync Pro", ATTACKER_APP_TENANT,
           homepage="https://mailsyncpro.example", reply=["https://mailsyncpro.example/auth/callback"],
           tags=ms, desc="Sync and back up your mailbox across all your devices."),
        sp("fabrikam", APPS["FabrikamMeetings"][0], "Fabrikam Meetings", FABRIKAM_TENANT,
           publisher={"displayName": "Fabrikam, Inc.", "verifiedPublisherId": "6012458",
                      "addedDateTime": "2023-04-18T12:31:07Z"},
           homepage="https://meetings.fabrikam.example",
           reply=["https://meetings.fabrikam.example/oauth/microsoft"], tags=ms),
        sp("hrportal", gid("app:hr-portal"), "Contoso HR Portal", TENANT, audience="AzureADMyOrg",
           homepage="https://hr.contoso.com", reply=["https://hr.contoso.com/signin-oidc"],
           tags=ms),
    ]


def grant_id(client: str, resource: str, principal: str | None) -> str:
    raw = uuid.UUID(client).bytes_le + uuid.UUID(resource).bytes_le
    if principal:
        raw += uuid.UUID(principal).bytes_le
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def grants() -> list[dict]:
    graph = gid("sp:graph")

    def g(client_key, principal, scope, consent="Principal"):
        client = gid(f"sp:{client_key}")
        return {"id": grant_id(client, graph, principal), "clientId": client,
                "consentType": consent, "principalId": principal, "resourceId": graph,
                "scope": scope}
    out = [
        g("mailsyncpro", ALICE["id"], " Mail.ReadWrite offline_access User.Read Mail.Send "),
        g("fabrikam", ALICE["id"], "openid profile email User.Read"),
        g("graphexplorer", ALICE["id"], "openid profile User.Read"),
        g("graphexplorer", USERS["david"]["id"], "openid profile User.Read Directory.Read.All"),
        g("hrportal", None, "openid profile User.Read", consent="AllPrincipals"),
        g("fabrikam", USERS["grace"]["id"], "openid profile email User.Read"),
    ]
    IDS["grant_mailsync"], IDS["grant_fabrikam"], IDS["grant_explorer"] = (
        out[0]["id"], out[1]["id"], out[2]["id"])
    IDS["grant_hr"] = out[4]["id"]
    return out


# ----------------------------------------------------------------------------- audits

def audit(label, when, name, category, service, op, initiator, targets, *, reason="",
          details=(), result="success", prefix="Directory"):
    aid = f"{prefix}_{gid('audit:' + label).upper()}_{hexid(label)[:5].upper()}_{int(hexid(label)[5:13], 16) % 100000000}"
    return {"id": aid, "category": category, "correlationId": gid("auditcorr:" + label),
            "result": result, "resultReason": reason, "activityDisplayName": name,
            "activityDateTime": when, "loggedByService": service, "operationType": op,
            "initiatedBy": initiator, "targetResources": targets,
            "additionalDetails": [{"key": k, "value": v} for k, v in details]}


def by_user(key, ip=None):
    u = USERS[key]
    return {"user": {"id": u["id"], "displayName": u["name"], "userPrincipalName": u["upn"],
                     "ipAddress": ip}, "app": None}


def by_app(name, app_id, sp_id=None):
    return {"user": None, "app": {"appId": app_id, "displayName": name, "servicePrincipalId": sp_id,
                                  "servicePrincipalName": None}}


def t_user(key, props=()):
    u = USERS[key]
    return {"id": u["id"], "displayName": u["name"], "type": "User", "userPrincipalName": u["upn"],
            "groupType": None,
            "modifiedProperties": [{"displayName": n, "oldValue": o, "newValue": v}
                                   for n, o, v in props]}


def t_sp(key, name, props=()):
    return {"id": gid(f"sp:{key}"), "displayName": name, "type": "ServicePrincipal",
            "userPrincipalName": None, "groupType": None,
            "modifiedProperties": [{"displayName": n, "oldValue": o, "newValue": v}
                                   for n, o, v in props]}


def directory_audits() -> list[dict]:
    A = "Authentication Methods"
    ua_attacker = UA_LINUX_CHROME
    grant = IDS["grant_mailsync"]
    perms = (f"[] => [[Id: {grant}, ClientId: {gid('sp:mailsyncpro')}, PrincipalId: {ALICE['id']}, "
             f"ResourceId: {gid('sp:graph')}, ConsentType: Principal, "
             f"Scope:  Mail.ReadWrite offline_access User.Read Mail.Send , CreatedDateTime: , "
             f"LastModifiedDateTime ]]; ")
    out = [
        audit("alice:pixel", "2026-11-16T09:25:31Z", "User registered security info",
              "UserManagement", A, "Add", by_user("alice", "203.0.113.7"), [t_user("alice")],
              reason="User registered Authenticator App with Notification and Code",
              details=[("Method", "Authenticator App with Notification and Code"),
                       ("User-Agent", ua_attacker)], prefix="SSGM"),
        audit("alice:pixel:all", "2026-11-16T09:25:48Z", "User registered all required security info",
              "UserManagement", A, "Add", by_user("alice", "203.0.113.7"), [t_user("alice")],
              reason="User registered all required security info",
              details=[("User-Agent", ua_attacker)], prefix="SSGM"),
        audit("alice:sp", "2026-11-16T09:47:55Z", "Add service principal", "ApplicationManagement",
              "Core Directory", "Add", by_user("alice", "203.0.113.7"),
              [t_sp("mailsyncpro", "Mail Sync Pro",
                    [("AccountEnabled", "[]", "[true]"),
                     ("AppAddress", "[]", '[{"AddressType":0,"Address":"https://mailsyncpro.example/auth/callback"}]'),
                     ("AppPrincipalId", "[]", f'["{APPS["MailSyncPro"][0]}"]'),
                     ("DisplayName", "[]", '["Mail Sync Pro"]')])],
              details=[("User-Agent", ua_attacker)]),
        audit("alice:grant", "2026-11-16T09:47:58Z", "Add delegated permission grant",
              "ApplicationManagement", "Core Directory", "Assign", by_user("alice", "203.0.113.7"),
              [t_sp("graph", "Microsoft Graph",
                    [("DelegatedPermissionGrant.Scope", '""',
                      '" Mail.ReadWrite offline_access User.Read Mail.Send "'),
                     ("DelegatedPermissionGrant.ConsentType", '""', '"Principal"')]),
               t_sp("mailsyncpro", "Mail Sync Pro")],
              details=[("User-Agent", ua_attacker)]),
        audit("alice:consent", "2026-11-16T09:48:02Z", "Consent to application",
              "ApplicationManagement", "Core Directory", "Assign", by_user("alice", "203.0.113.7"),
              [t_sp("mailsyncpro", "Mail Sync Pro",
                    [("ConsentContext.IsAdminConsent", None, '"False"'),
                     ("ConsentContext.IsAppOnly", None, '"False"'),
                     ("ConsentContext.OnBehalfOfAll", None, '"False"'),
                     ("ConsentContext.Tags", None, '"WindowsAzureActiveDirectoryIntegratedApp"'),
                     ("ConsentAction.Permissions", None, '"' + perms + '"'),
                     ("TargetId.ServicePrincipalNames", None, f'"{APPS["MailSyncPro"][0]}"')])],
              details=[("User-Agent", ua_attacker), ("AppId", APPS["MailSyncPro"][0])]),
        audit("alice:iphone15", "2026-10-31T10:12:44Z", "User registered security info",
              "UserManagement", A, "Add", by_user("alice", "198.51.100.20"), [t_user("alice")],
              reason="User registered Authenticator App with Notification and Code",
              details=[("Method", "Authenticator App with Notification and Code"),
                       ("User-Agent", UA_EDGE_WIN)], prefix="SSGM"),
        audit("alice:pwd", "2026-10-02T09:14:00Z", "Change password (self-service)",
              "UserManagement", "Self-service Password Management", "Update",
              by_user("alice", "198.51.100.20"), [t_user("alice")],
              reason="User changed password", prefix="SSPR"),
        audit("alice:fabrikam", "2026-11-19T14:05:20Z", "Consent to application",
              "ApplicationManagement", "Core Directory", "Assign", by_user("alice", "192.0.2.10"),
              [t_sp("fabrikam", "Fabrikam Meetings",
                    [("ConsentContext.IsAdminConsent", None, '"False"'),
                     ("ConsentContext.IsAppOnly", None, '"False"'),
                     ("ConsentContext.OnBehalfOfAll", None, '"False"'),
                     ("ConsentAction.Permissions", None,
                      f'"[] => [[Id: {IDS["grant_fabrikam"]}, ConsentType: Principal, Scope: openid profile email User.Read]]; "'),
                     ("TargetId.ServicePrincipalNames", None, f'"{APPS["FabrikamMeetings"][0]}"')])],
              details=[("User-Agent", UA_EDGE_WIN)]),
        audit("frank:tap", "2026-11-02T07:58:40Z", "Admin registered security info", "UserManagement",
              A, "Add", by_user("david", "192.0.2.10"), [t_user("frank")],
              reason="Admin registered temporary access pass method for user", prefix="SSGM"),
        audit("frank:pwd", "2026-11-02T08:12:00Z", "Change password (self-service)", "UserManagement",
              "Self-service Password Management", "Update", by_user("frank", "192.0.2.10"),
              [t_user("frank")], reason="User changed password", prefix="SSPR"),
        audit("carol:reset", "2026-10-15T07:31:00Z", "Reset password (self-service)", "UserManagement",
              "Self-service Password Management", "Update", by_user("carol", "198.51.100.24"),
              [t_user("carol")], reason="User successfully reset password", prefix="SSPR"),
        audit("david:sync", "2026-11-20T11:40:03Z", "Update user", "UserManagement", "Core Directory",
              "Update", by_app("Microsoft Azure AD Connect", "cb1056e2-e479-49de-ae31-7812af012ed8"),
              [t_user("david", [("LastDirSyncTime", '["2026-11-20T11:10:01Z"]',
                                 '["2026-11-20T11:40:03Z"]'),
                                ("Included Updated Properties", None, '"LastDirSyncTime"')])]),
    ]
    IDS["audit_pixel"], IDS["audit_pixel_all"] = out[0]["id"], out[1]["id"]
    IDS["audit_sp"], IDS["audit_grant"], IDS["audit_consent"] = out[2]["id"], out[3]["id"], out[4]["id"]
    IDS["audit_iphone15"], IDS["audit_fabrikam"] = out[5]["id"], out[7]["id"]
    out.sort(key=lambda a: a["activityDateTime"], reverse=True)
    return out


# ----------------------------------------------------------------------------- risk

def risky_user(key, level, state, detail, updated):
    u = USERS[key]
    return {"id": u["id"], "isDeleted": False, "isProcessing": False, "riskLastUpdatedDateTime": updated,
            "riskLevel": level, "riskState": state, "riskDetail": detail,
            "userDisplayName": u["name"], "userPrincipalName": u["upn"]}


def risky_users() -> list[dict]:
    return [risky_user("alice", "high", "atRisk", "none", "2026-11-16T14:05:40Z"),
            risky_user("bob", "medium", "atRisk", "none", "2026-11-16T10:31:30Z"),
            risky_user("carol", "none", "remediated", "userPerformedSecuredPasswordChange",
                       "2026-10-15T07:31:05Z"),
            risky_user("henk", "none", "dismissed", "adminDismissedAllRiskForUser",
                       "2026-10-24T08:05:12Z")]


def risky_history() -> list[dict]:
    def item(key, label, level, state, detail, when, events, by=None):
        rec = risky_user(key, level, state, detail, when)
        rec["id"] = gid(f"history:{label}")
        rec.update({"userId": USERS[key]["id"], "initiatedBy": by,
                    "activity": {"detail": detail, "riskEventTypes": events}})
        return rec
    out = [
        item("alice", "a3", "high", "atRisk", "none", "2026-11-16T14:05:40Z",
             ["suspiciousInboxForwarding"]),
        item("alice", "a2", "high", "atRisk", "none", "2026-11-16T11:40:22Z",
             ["anomalousToken", "passwordSpray"]),
        item("alice", "a1", "medium", "atRisk", "none", "2026-11-16T09:13:41Z", ["unfamiliarFeatures"]),
        item("bob", "b1", "medium", "atRisk", "none", "2026-11-16T10:31:30Z", ["unfamiliarFeatures"]),
        item("carol", "c2", "none", "remediated", "userPerformedSecuredPasswordChange",
             "2026-10-15T07:31:05Z", [], by=USERS["carol"]["id"]),
        item("carol", "c1", "high", "atRisk", "none", "2026-10-14T22:10:00Z", ["leakedCredentials"]),
        item("henk", "h2", "none", "dismissed", "adminDismissedAllRiskForUser", "2026-10-24T08:05:12Z",
             [], by=USERS["sam"]["id"]),
        item("henk", "h1", "low", "atRisk", "none", "2026-10-22T09:02:00Z", ["unfamiliarFeatures"]),
    ]
    IDS["history_alice"] = [o["id"] for o in out[:3]]
    return out


def info(pairs) -> str:
    return json.dumps([{"Key": k, "Value": v} for k, v in pairs], separators=(",", ":"))


def risk_detections() -> list[dict]:
    by_id = {s["id"]: s for s in SIGNINS}
    aitm = by_id[IDS["aitm"]]
    henk = min((s for s in SIGNINS if s["userId"] == USERS["henk"]["id"]
                and s["createdDateTime"].startswith("2026-10-22")), key=lambda s: s["createdDateTime"])

    def det(label, key, event, level, state, detail, timing, activity_at, detected, *, sign=None,
            ip=None, city=None, extra=()):
        u = USERS[key]
        s = by_id[sign] if sign else None
        return {"id": hexid("detection:" + label), "requestId": sign,
                "correlationId": s["correlationId"] if s else None, "riskEventType": event,
                "riskState": state, "riskLevel": level, "riskDetail": detail,
                "source": "IdentityProtection", "detectionTimingType": timing,
                "activity": "signin" if sign else "user", "tokenIssuerType": "AzureAD",
                "ipAddress": s["ipAddress"] if s else ip,
                "location": s["location"] if s else (location(city) if city else None),
                "activityDateTime": activity_at, "detectedDateTime": detected,
                "lastUpdatedDateTime": detected, "userId": u["id"],
                "userDisplayName": u["name"], "userPrincipalName": u["upn"],
                "additionalInfo": info(list(extra) + ([("userAgent", s["userAgent"])] if s else []))}
    out = [
        det("alice:forward", "alice", "suspiciousInboxForwarding", "medium", "atRisk", "none", "offline",
            "2026-11-16T10:11:20Z", "2026-11-16T14:05:40Z", ip="203.0.113.7", city="Lagos",
            extra=[("alertUrl", "https://security.microsoft.com/alerts/da" + hexid("alert")[:30]),
                   ("mitreTechniques", "T1114.003")]),
        det("alice:anomalousToken", "alice", "anomalousToken", "high", "atRisk", "none", "offline",
            aitm["createdDateTime"], "2026-11-16T11:40:22Z", sign=IDS["aitm"],
            extra=[("riskReasons", "UnusualTokenProperties")]),
        det("alice:passwordSpray", "alice", "passwordSpray", "high", "atRisk", "none", "offline",
            aitm["createdDateTime"], "2026-11-16T11:38:07Z", sign=IDS["aitm"],
            extra=[("clientIp", "203.0.113.7")]),
        det("alice:unfamiliar", "alice", "unfamiliarFeatures", "medium", "atRisk", "none", "realtime",
            aitm["createdDateTime"], "2026-11-16T09:13:41Z", sign=IDS["aitm"],
            extra=[("riskReasons", "UnfamiliarASN,UnfamiliarBrowser,UnfamiliarDevice,UnfamiliarIP,"
                                   "UnfamiliarLocation")]),
        det("bob:unfamiliar", "bob", "unfamiliarFeatures", "medium", "atRisk", "none", "realtime",
            "2026-11-16T10:30:58Z", "2026-11-16T10:31:30Z", sign=IDS["bob_ok"],
            extra=[("riskReasons", "UnfamiliarASN,UnfamiliarIP,UnfamiliarLocation")]),
        det("henk:unfamiliar", "henk", "unfamiliarFeatures", "low", "dismissed",
            "adminDismissedAllRiskForUser", "realtime", henk["createdDateTime"], "2026-10-22T09:02:00Z",
            sign=henk["id"], extra=[("riskReasons", "UnfamiliarBrowser")]),
        det("carol:leaked", "carol", "leakedCredentials", "high", "remediated",
            "userPerformedSecuredPasswordChange", "offline", "2026-10-14T21:55:00Z",
            "2026-10-14T22:10:00Z"),
    ]
    IDS["det"] = {o["riskEventType"] + ":" + o["userPrincipalName"]: o["id"] for o in out}
    return out


# ----------------------------------------------------------------------------- mailbox

def folder_id(key, name):
    return "AAMkA" + b64id(f"folder:{key}:{name}", 45) + "AAA="


def rule_id(key, name):
    raw = b"\x01\x00\x00\x00" + hashlib.sha256(f"rule:{key}:{name}".encode()).digest()[:4]
    return base64.b64encode(raw).decode()


FOLDERS = [("Inbox", 4312, 87), ("Drafts", 6, 0), ("Sent Items", 2841, 0), ("Deleted Items", 412, 9),
           ("Junk Email", 38, 31), ("Outbox", 0, 0), ("Archive", 10518, 0), ("RSS Feeds", 23, 0),
           ("Conversation History", 145, 0), ("Newsletters", 377, 122)]


def mail_folders(key) -> list[dict]:
    out = []
    for name, total, unread in FOLDERS:
        if key != "alice":
            total, unread = total // 3, unread // 3
            if name == "RSS Feeds":
                total = 0
        out.append({"id": folder_id(key, name), "displayName": name,
                    "parentFolderId": folder_id(key, "Top of Information Store"), "childFolderCount": 0,
                    "unreadItemCount": unread, "totalItemCount": total, "isHidden": False})
    return out


def recipient(name, address):
    return {"emailAddress": {"name": name, "address": address}}


def rule(key, name, seq, conditions, actions, *, read_only=False, enabled=True):
    out = {"id": rule_id(key, name), "displayName": name, "sequence": seq, "isEnabled": enabled,
           "hasError": False, "isReadOnly": read_only}
    if conditions is not None:   # rules Graph can only partly show come without them
        out["conditions"] = conditions
    if actions is not None:
        out["actions"] = actions
    return out


def message_rules() -> dict[str, list[dict]]:
    f = lambda key, name: folder_id(key, name)  # noqa: E731
    alice = [
        rule("alice", ".", 1, {},
             {"forwardTo": [recipient("a.example", "a.example.finance@protonmail.example")],
              "moveToFolder": f("alice", "RSS Feeds"), "markAsRead": True, "stopProcessingRules": True}),
        rule("alice", "..", 2, {"bodyOrSubjectContains": ["invoice", "payment", "wire transfer"]},
             {"delete": True, "markAsRead": True, "stopProcessingRules": True}),
        rule("alice", "Sync Settings", 3, None, None, read_only=True),
        rule("alice", "Move newsletters", 4,
             {"senderContains": ["newsletter@", "news@"]},
             {"moveToFolder": f("alice", "Newsletters"), "stopProcessingRules": False}),
        rule("alice", "Expense reports to Henk", 5, {"subjectContains": ["Expense report"]},
             {"forwardTo": [recipient("Henk de Vries", "henk@contoso.com")],
              "stopProcessingRules": False}),
    ]
    IDS["rules"] = {r["displayName"]: r["id"] for r in alice}
    return {
        "alice": alice,
        "frank": [rule("frank", "Forward supplier quotes to Grace", 1,
                       {"subjectContains": ["Quote", "Offerte"]},
                       {"forwardTo": [recipient("Grace Lee", "grace@contoso.com")],
                        "stopProcessingRules": False})],
        "grace": [rule("grace", "Move newsletters", 1, {"fromAddresses": [
            recipient("Contoso Marketing Weekly", "news@contoso.com")]},
            {"moveToFolder": f("grace", "Newsletters"), "stopProcessingRules": False})],
    }


def signin_preferences() -> dict:
    return {"@odata.context": GRAPH_BETA + f"users('{ALICE['id']}')/authentication/signInPreferences",
            "isSystemPreferredAuthenticationMethodEnabled": True,
            "userPreferredMethodForSecondaryAuthentication": "push",
            "systemPreferredAuthenticationMethod": "push"}


# ----------------------------------------------------------------------------- checks

def km(a: dict, b: dict) -> float:
    import math
    ga, gb = a["location"]["geoCoordinates"], b["location"]["geoCoordinates"]
    la1, lo1, la2, lo2 = map(math.radians, (ga["latitude"], ga["longitude"],
                                            gb["latitude"], gb["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def when(s: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(s["createdDateTime"].replace("Z", "+00:00"))


def travel_pairs(user_id: str) -> list[tuple[dict, dict, float, float]]:
    ok = sorted((s for s in SIGNINS if s["userId"] == user_id and s["status"]["errorCode"] == 0),
                key=lambda s: s["createdDateTime"])
    out = []
    for a, b in zip(ok, ok[1:]):
        d = km(a, b)
        hours = max((when(b) - when(a)).total_seconds() / 3600, 1 / 60)
        out.append((a, b, d, d / hours))
    return out


def check() -> dict:
    ids = [s["id"] for s in SIGNINS] + [s["id"] for s in NONINTERACTIVE]
    assert len(ids) == len(set(ids)), "duplicate sign-in id"
    assert all(when(s) <= LAST_SIGNIN and when(s) >= FIRST_DAY for s in SIGNINS + NONINTERACTIVE)
    fast = [(a["id"], b["id"], round(d), round(v)) for a, b, d, v in travel_pairs(ALICE["id"])
            if d > 100 and v > 900]
    assert {(a, b) for a, b, _, _ in fast} == {(IDS["d1_context"], IDS["aitm"]),
                                                (IDS["fatigue_ok"], IDS["device_code"])}, fast
    slow_max = max(v for a, b, d, v in travel_pairs(ALICE["id"])
                   if (a["id"], b["id"]) not in {(x, y) for x, y, _, _ in fast})
    assert slow_max < 600, slow_max
    return {"fast": fast, "slow_max": round(slow_max)}



# ----------------------------------------------------------------------------- SCENARIO.md

def scenario(stats: dict) -> str:
    by_id = {x["id"]: x for x in SIGNINS}

    def row(sid: str) -> str:
        x = by_id[sid]
        loc = x["location"]
        return (f"`{sid}` | {x['createdDateTime']} | {x['ipAddress']} | {loc['city']}, "
                f"{loc['countryOrRegion']} | {x['appDisplayName']} / {x['clientAppUsed']} | "
                f"{x['deviceDetail']['operatingSystem'] or '-'} / {x['deviceDetail']['browser'] or '-'} | "
                f"{x['status']['errorCode']}")

    L = []
    w = L.append
    w("# Demo tenant scenario — Contoso Ltd\n")
    w("Generated by `tools/demo_tenant.py` (deterministic; re-run it, never edit the JSON by hand).")
    w("Every id below is the Graph `id` of the object in this folder.\n")
    w(f"- Anchor \"now\": **{ts(ANCHOR)}** (the simulator shifts every timestamp so the anchor "
      "becomes the real now).")
    w(f"- Default 7-day window: **{ts(WINDOW_START)} → {ts(ANCHOR)}**. Sign-ins span "
      f"{ts(FIRST_DAY)} → {ts(LAST_SIGNIN)}.")
    w(f"- Tenant `{TENANT}` \"Contoso Ltd\", domains contoso.com (default), contoso.onmicrosoft.com "
      "(initial); Entra ID P1 + P2 licensed.")
    w(f"- Suspect: Alice Example `alice@contoso.com` `{ALICE['id']}` (Finance, Amsterdam, NL, "
      "cloud-only). Analyst (`/me`): Sam Analyst `analyst@contoso.com` "
      f"`{USERS['sam']['id']}`.")
    w(f"- Files: {len(SIGNINS)} v1.0 sign-ins (all users, interactive); `signIns.beta.json` holds "
      f"Alice only: her {len(BETA_EXTRA)} interactive sign-ins in beta shape + {len(NONINTERACTIVE)} "
      "non-interactive ones.\n")
    w("## Users\n")
    w("| user | id | notes |\n|---|---|---|")
    notes = {"alice": "suspect; cloud-only; risky user (high)",
             "sam": "the analyst (token's /me)", "bob": "also signed in from 203.0.113.7 (pivot); risky (medium)",
             "carol": "old leakedCredentials risk, remediated by password reset (2026-10-15)",
             "david": "synced from on-prem AD (onPremisesSyncEnabled true); FIDO2, WHfB, platform credential",
             "erin": "B2B guest from Fabrikam (userType Guest); sign-ins as erin@fabrikam.com",
             "frank": "TAP (used) + internal forwarding rule to grace@contoso.com",
             "grace": "external MFA + QR code PIN methods; benign \"Move newsletters\" rule",
             "henk": "Alice's manager; software OATH; old unfamiliarFeatures risk, dismissed"}
    for key, u in USERS.items():
        w(f"| {u['name']} `{u['upn']}` | `{u['id']}` | {notes[key]} |")
    w("\n## Networks (documentation ranges only)\n")
    w("| network | addresses | geolocation | ASN (beta) | who |\n|---|---|---|---|---|")
    w("| home ISP \"Polder Kabel\" | 198.51.100.16/26 (Alice 198.51.100.20) | users' home towns, NL | 64496 | everyone's home |")
    w("| Contoso VPN egress | 192.0.2.10 (192.0.2.8/29) | Frankfurt am Main, DE | 64497 | office days (Tue/Thu for Alice), all along |")
    w("| mobile carrier \"Tulip Mobile\" | 2001:db8:4a1c::/48, a new /64 most days | Amsterdam, NL | 64498 | Outlook Mobile on iOS |")
    w("| Thames Hotel Wi-Fi | 203.0.113.200 (203.0.113.192/26) | London, GB | 64500 | Alice's trips (2026-10-21/22 baseline, 2026-11-17/18 window) |")
    w("| Fabrikam egress | 192.0.2.140 | Copenhagen, DK | 64502 | guest Erin |")
    w("| **attacker** hosting | 203.0.113.7, 203.0.113.9, spray nodes 203.0.113.66–69 | Lagos, NG | 64499 | attacker |")
    w("| **attacker** residential proxy | 203.0.113.45 | Amsterdam, NL | 64501 | attacker (MFA fatigue) |")
    w("\nAlice's baseline (before the window): NL (home, mobile), DE (VPN), GB (London trip "
      "2026-10-21/22, same hotel IP). Devices: Windows10/Edge (Azure AD joined laptop "
      "CONTOSO-LT-0142) and Ios/Rich Client (Outlook Mobile). She has never used legacy "
      "authentication, never signed in from Linux, never from NG.\n")

    w("## Attack timeline (all inside the window)\n")
    w("| when (UTC) | what |\n|---|---|")
    w("| 2026-11-16 08:27–08:31 | Alice works from home (Amsterdam) as usual |")
    w("| 2026-11-16 08:52–09:07 | password spray from 203.0.113.66–69 and .7: 10 × 50126 (6 browser, 4 IMAP4) |")
    w("| 2026-11-16 09:13 | AiTM success from 203.0.113.7 Lagos NG, Linux/Chrome, risk high |")
    w("| 2026-11-16 09:22–09:26 | attacker opens My Sign-ins, registers Authenticator \"Pixel 7 Pro\" |")
    w("| 2026-11-16 09:41, 10:04 | IMAP4 and Authenticated SMTP successes from 203.0.113.7 |")
    w("| 2026-11-16 09:48 | consent to unverified multi-tenant app \"Mail Sync Pro\" |")
    w("| 2026-11-16 ~10:10 | inbox rules \".\", \"..\", \"Sync Settings\" created (Exchange; no directory audit) |")
    w("| 2026-11-16 10:20 → anchor−1 h | non-interactive refresh-token replays from 203.0.113.7/.9 (beta only) |")
    w("| 2026-11-16 10:26–10:30 | same IP 203.0.113.7 tries Bob: one failure, one success |")
    w("| 2026-11-16 09:13→19:35 | Alice herself is at an all-day training: no sign-ins until 19:35 |")
    w("| 2026-11-17 06:05 → 10:48 | (benign) Alice flies Amsterdam → London |")
    w("| 2026-11-18 11:05 → 18:40 | (benign) Alice flies back London → Amsterdam |")
    w("| 2026-11-18 21:40–21:57 | MFA fatigue from residential proxy 203.0.113.45 (Amsterdam): 2 × 50074, 5 × 500121, then success |")
    w("| 2026-11-19 00:20 | device-code flow sign-in (beta authenticationProtocol deviceCode) from 203.0.113.7, Microsoft Office, Python Requests |")
    w("| 2026-11-19 12:31/12:36 | (benign) Outlook Mobile changes address within the carrier /48 |")
    w("| 2026-11-19 14:05 | (benign) Alice consents to verified app \"Fabrikam Meetings\" (low scopes) |")

    w("\n## Planted artefacts — must be flagged\n")
    w("Evidence roles as in contracts.md §5 (`flagged` = the object the finding marks).\n")
    w("| indicator | object type | Graph id | what | role |\n|---|---|---|---|---|")
    w(f"| impossible_travel | signIn | `{IDS['aitm']}` | AiTM success Lagos, 5,099 km / 42 min after Amsterdam | flagged |")
    w(f"| impossible_travel | signIn | `{IDS['d1_context']}` | Alice's own Teams sign-in at home 08:31 | context |")
    w(f"| impossible_travel | signIn | `{IDS['device_code']}` | device-code sign-in Lagos 2 h 23 min after the MFA-fatigue success in Amsterdam | flagged |")
    w(f"| impossible_travel | signIn | `{IDS['fatigue_ok']}` | MFA-fatigue success (Amsterdam proxy) | context |")
    w(f"| unfamiliar_country | signIn | `{IDS['aitm']}` | first success from NG (never seen before the window) | flagged |")
    w(f"| unfamiliar_ip | signIn | `{IDS['aitm']}` | first success from 203.0.113.7 (never seen) | flagged |")
    w(f"| unfamiliar_ip | signIn | `{IDS['fatigue_ok']}` | first success from 203.0.113.45 (never seen; city Amsterdam is familiar) | flagged |")
    for sid in IDS["spray_legacy"] + [IDS["imap_ok"], IDS["smtp_ok"]]:
        w(f"| legacy_auth | signIn | `{sid}` | {by_id[sid]['clientAppUsed']} from {by_id[sid]['ipAddress']}, errorCode {by_id[sid]['status']['errorCode']} | flagged |")
    w(f"| device_code_flow | signIn (beta) | `{IDS['device_code']}` | authenticationProtocol deviceCode (beta file only; v1.0 shows the same id without the protocol) | flagged |")
    w(f"| failures_then_success | signIn | `{IDS['aitm']}` | success after the spray burst | flagged |")
    for sid in IDS["spray"]:
        w(f"| failures_then_success | signIn | `{sid}` | 50126 from {by_id[sid]['ipAddress']} | context |")
    w(f"| mfa_fatigue | signIn | `{IDS['fatigue_ok']}` | success after 5 MFA denials/timeouts | flagged |")
    for sid in IDS["fatigue"]:
        x = by_id[sid]
        w(f"| mfa_fatigue | signIn | `{sid}` | {x['status']['errorCode']} {x['status']['additionalDetails'] if x['status']['errorCode'] == 500121 else '(MFA required)'} | context |")
    w(f"| risky_sign_in | signIn | `{IDS['aitm']}` | riskLevelDuringSignIn high, riskState atRisk, riskEventTypes_v2 unfamiliarFeatures + anomalousToken | flagged |")
    for sid in (IDS["aitm"], IDS["device_code"]):
        x = by_id[sid]
        w(f"| new_device | signIn | `{sid}` | first success with {x['deviceDetail']['operatingSystem']} / {x['deviceDetail']['browser']} (never seen for Alice) | flagged |")
    w(f"| new_auth_method | authenticationMethod | `{IDS['m_pixel']}` | microsoftAuthenticator \"Pixel 7 Pro\", created 2026-11-16T09:25:31Z from 203.0.113.7 | flagged |")
    w(f"| new_auth_method | directoryAudit | `{IDS['audit_pixel']}` | \"User registered security info\" | context |")
    w(f"| new_auth_method | directoryAudit | `{IDS['audit_pixel_all']}` | \"User registered all required security info\" | context |")
    w(f"| risky_grant | oAuth2PermissionGrant | `{IDS['grant_mailsync']}` | Principal grant for Alice, scope \" Mail.ReadWrite offline_access User.Read Mail.Send \" (note the spaces) on Microsoft Graph | flagged |")
    w(f"| risky_grant | servicePrincipal | `{gid('sp:mailsyncpro')}` | \"Mail Sync Pro\", appId `{APPS['MailSyncPro'][0]}`, no verifiedPublisher, appOwnerOrganizationId `{ATTACKER_APP_TENANT}` (foreign), AzureADMultipleOrgs | context |")
    w(f"| risky_grant | directoryAudit | `{IDS['audit_consent']}` | \"Consent to application\" 2026-11-16T09:48:02Z from 203.0.113.7 (also \"Add service principal\" `{IDS['audit_sp']}`, \"Add delegated permission grant\" `{IDS['audit_grant']}`) | context |")
    R = IDS["rules"]
    w(f"| suspicious_inbox_rule | messageRule | `{R['.']}` | \".\": forwardTo a.example.finance@protonmail.example (external), moveToFolder RSS Feeds, markAsRead, stop | flagged |")
    w(f"| suspicious_inbox_rule | messageRule | `{R['..']}` | \"..\": bodyOrSubjectContains invoice/payment/wire transfer → delete, markAsRead | flagged |")
    w(f"| suspicious_inbox_rule | messageRule | `{R['Sync Settings']}` | \"Sync Settings\": isReadOnly true, no conditions/actions (Graph can only partly show it) | flagged |")
    w(f"| risky_user | riskyUser | `{ALICE['id']}` | riskLevel high, riskState atRisk, riskDetail none | flagged |")
    for name, did in IDS["det"].items():
        if name.endswith("alice@contoso.com"):
            w(f"| risky_user | riskDetection | `{did}` | {name.split(':')[0]} | context |")
    for hid in IDS["history_alice"]:
        w(f"| risky_user | riskyUserHistoryItem | `{hid}` | Alice's risk history | context |")
    w(f"\nPivot on 203.0.113.7 must find Bob (`{USERS['bob']['id']}`): failure `{IDS['bob_fail']}`, "
      f"success `{IDS['bob_ok']}` (risk medium, riskDetection `{IDS['det']['unfamiliarFeatures:bob@contoso.com']}`).\n")
    w(f"Attacker non-interactive replays (beta only, 203.0.113.7 / 203.0.113.9, incomingTokenType "
      f"refreshToken): {len(IDS['replays'])} sign-ins, first `{IDS['replays'][0]}`, last "
      f"`{IDS['replays'][-1]}`. They should show up when the beta toggle is on (unfamiliar_ip / "
      "unfamiliar_country on them is correct).\n")
    later = ", ".join(f"`{IDS[k]}`" for k in ("mysignins", "imap_ok", "consent_signin", "smtp_ok"))
    w("May also be flagged (acceptable, not required — every one of them is the attacker's): "
      f"unfamiliar_country / unfamiliar_ip / new_device on the later attacker successes {later} "
      f"and on the device-code sign-in `{IDS['device_code']}` (NG, 203.0.113.7); new_device on the "
      f"MFA-fatigue success `{IDS['fatigue_ok']}` (Linux/Chrome, first seen in the AiTM); "
      "failures_then_success on the MFA-fatigue success; any indicator on the failed attacker "
      "sign-ins (spray, MFA denials). Nothing else of Alice's may be flagged.\n")

    w("## Benign look-alikes — must NOT be flagged\n")
    w("| look-alike | object type | Graph id | why benign |\n|---|---|---|---|")
    w(f"| flight AMS → LON | signIn | `{IDS['flight_ams']}` → `{IDS['flight_lon']}` | 358 km in 4 h 43 min; GB and the hotel IP are in the baseline (2026-10-21/22); same laptop |")
    w(f"| flight LON → AMS | signIn | `{IDS['flight_lon_back']}` → `{IDS['flight_ams_back']}` | 358 km in 7 h 36 min |")
    w(f"| VPN egress Frankfurt DE | signIn | e.g. `{IDS['vpn_d4']}` (all 192.0.2.10 sign-ins) | used on every office day since the start of the data; ≥ 80 min between Amsterdam and Frankfurt sign-ins (< 300 km/h) |")
    w(f"| mobile address change | signIn | `{IDS['mobile_a']}` → `{IDS['mobile_b']}` | 5 min apart, 2001:db8:4a1c:21f0::a3 → 2001:db8:4a1c:9e02::17, same carrier /48 (and ASN 64498), same city. Baseline mobile addresses change most days inside the /48 — compare IPv6 by /48 (or by ASN), not by address |")
    w(f"| Alice's new phone | authenticationMethod | `{IDS['m_iphone15']}` | \"iPhone 15\" registered 2026-10-31T10:12:44Z (before the window) from home; audit `{IDS['audit_iphone15']}` |")
    w(f"| Alice's older phone | authenticationMethod | `{IDS['m_iphone12']}` | \"iPhone 12\", 2023 |")
    w(f"| password, phone, email | authenticationMethod | `{PASSWORD_METHOD_ID}`, `{MOBILE_ID}`, `{EMAIL_ID}` | old methods |")
    w(f"| verified-publisher app | oAuth2PermissionGrant | `{IDS['grant_fabrikam']}` | \"Fabrikam Meetings\" (verifiedPublisher Fabrikam, Inc.), scope \"openid profile email User.Read\"; consented inside the window (audit `{IDS['audit_fabrikam']}`) |")
    w(f"| first-party grant | oAuth2PermissionGrant | `{IDS['grant_explorer']}` | Graph Explorer (Microsoft, owner tenant {MS_CORP_TENANT}), \"openid profile User.Read\" |")
    w(f"| admin-consented internal app | oAuth2PermissionGrant | `{IDS['grant_hr']}` | AllPrincipals, Contoso HR Portal (owner = this tenant), User.Read |")
    w(f"| newsletter rule | messageRule | `{R['Move newsletters']}` | moves newsletters to the normal \"Newsletters\" folder |")
    w(f"| internal forward | messageRule | `{R['Expense reports to Henk']}` | forwards expense reports to henk@contoso.com (verified domain) |")
    w(f"| Alice's evening sign-in after the attack | signIn | all 19:35 and later on 2026-11-16 | Lagos 10:04 → Amsterdam 19:35 ≈ 536 km/h |")
    w(f"\nGeo-velocity of Alice's consecutive successful interactive sign-ins: only the two planted "
      f"pairs exceed 900 km/h; every other pair is at most {stats['slow_max']} km/h (Lagos → Amsterdam the evening of the attack); pairs of only benign networks stay under 300 km/h. Microsoft "
      f"first-party owner tenants: `{MS_SERVICES_TENANT}` (Microsoft Services) and "
      f"`{MS_CORP_TENANT}` (Microsoft).\n")
    w("## Other artefacts\n")
    w(f"- `signInPreferences/{ALICE['id']}.json` (beta shape): system-preferred method enabled, push.")
    w("- Every authentication-method type of v1.0 appears at least once: password (all), phone "
      "(mobile/alternateMobile/office), email, microsoftAuthenticator, fido2 (David: YubiKey, "
      "Sam: synced passkey), softwareOath (Henk), windowsHelloForBusiness and platformCredential "
      "(David), temporaryAccessPass (Frank, used), external (Grace), qrCodePin (Grace). "
      "hardwareOath is beta-only and therefore absent from these v1.0 files.")
    w("- riskyUsers: Alice high/atRisk, Bob medium/atRisk, Carol none/remediated "
      "(userPerformedSecuredPasswordChange), Henk none/dismissed (adminDismissedAllRiskForUser).")
    w("- `riskDetection.additionalInfo` is a JSON-encoded string; `requestId` equals the linked "
      "sign-in id (null for user-level detections: suspiciousInboxForwarding, leakedCredentials).")
    return "\n".join(L) + "\n"


# ----------------------------------------------------------------------------- output

def collection(context: str, items: list) -> dict:
    return {"@odata.context": context, "value": items}


def write(root: pathlib.Path, rel: str, obj) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def to_beta(rec: dict) -> dict:
    out = {k: v for k, v in rec.items() if k != "riskEventTypes"}
    out.update(BETA_EXTRA[rec["id"]])
    return out


def newest_first(items: list[dict], key: str = "createdDateTime") -> list[dict]:
    return sorted(items, key=lambda s: (s[key], s["id"]), reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parent.parent
                                         / "assets" / "demo-tenant"))
    root = pathlib.Path(ap.parse_args().out)
    rng = random.Random(SEED)
    alice_routine(rng)
    alice_scenario(rng)
    others_routine(rng)
    SIGNINS.sort(key=lambda s: (s["createdDateTime"], s["id"]), reverse=True)
    dets = risk_detections()
    henk_sign = next(s for s in SIGNINS if s["id"] == dets[5]["requestId"])
    henk_sign.update({"riskDetail": "adminDismissedAllRiskForUser", "riskLevelAggregated": "low",
                      "riskLevelDuringSignIn": "low", "riskState": "dismissed",
                      "riskEventTypes": ["unfamiliarFeatures"],
                      "riskEventTypes_v2": ["unfamiliarFeatures"]})
    stats = check()

    for sub in ("authenticationMethods", "messageRules", "mailFolders", "signInPreferences"):
        shutil.rmtree(root / sub, ignore_errors=True)
    for old in root.glob("*.json"):
        old.unlink()
    ctx = GRAPH_V1
    write(root, "organization.json", collection(ctx + "organization", organization()))
    write(root, "users.json", collection(ctx + "users", users_json()))
    write(root, "signIns.json", collection(ctx + "auditLogs/signIns", SIGNINS))
    beta = [to_beta(s) for s in SIGNINS if s["userId"] == ALICE["id"]] + NONINTERACTIVE
    write(root, "signIns.beta.json", collection(GRAPH_BETA + "auditLogs/signIns", newest_first(beta)))
    write(root, "riskyUsers.json", collection(ctx + "identityProtection/riskyUsers", risky_users()))
    write(root, "riskyUserHistory.json",
          collection(ctx + "Collection(microsoft.graph.riskyUserHistoryItem)", risky_history()))
    write(root, "riskDetections.json", collection(ctx + "identityProtection/riskDetections",
                                                  newest_first(dets, "detectedDateTime")))
    sps = service_principals()
    write(root, "servicePrincipals.json", collection(ctx + "servicePrincipals", sps))
    write(root, "oauth2PermissionGrants.json", collection(ctx + "oauth2PermissionGrants", grants()))
    write(root, "directoryAudits.json", collection(ctx + "auditLogs/directoryAudits",
                                                   directory_audits()))
    methods = auth_methods()
    rules = message_rules()
    for key, u in USERS.items():
        uid = u["id"]
        write(root, f"authenticationMethods/{uid}.json",
              collection(ctx + f"users('{uid}')/authentication/methods", methods[key]))
        write(root, f"messageRules/{uid}.json",
              collection(ctx + f"users('{uid}')/mailFolders('inbox')/messageRules", rules.get(key, [])))
        write(root, f"mailFolders/{uid}.json",
              collection(ctx + f"users('{uid}')/mailFolders", mail_folders(key) if not u.get("guest")
                         else []))
    write(root, f"signInPreferences/{ALICE['id']}.json", signin_preferences())
    (root / "SCENARIO.md").write_text(scenario(stats), encoding="utf-8")
    print(f"wrote {root}: {len(SIGNINS)} v1.0 sign-ins, {len(beta)} beta sign-ins "
          f"({len(NONINTERACTIVE)} non-interactive); fastest benign Alice hop {stats['slow_max']} km/h")


if __name__ == "__main__":
    main()
