//! The case folder end to end: journal chain (append, reopen, tamper, delete, torn line),
//! secret redaction, evidence snapshots and their manifest, CSV/JSONL exports with hostile
//! text, case-folder naming, and offline loading of every supported sign-in log format.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entra_triage::case::{
    self, Case, Cell, EntryKind, ExportFormat, ExportTable, Journal, NewEntry, RequestRecord,
    SnapshotMeta, Target,
};
use entra_triage::offline::{self, Format, Location};
use entra_triage::window::Window;
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
}

fn entry(i: u32) -> NewEntry {
    let mut e = NewEntry::new(
        now(),
        "analyst@contoso.com",
        EntryKind::Intent,
        "revokeSessions",
    );
    e.target = Some(Target {
        id: format!("user-{i}"),
        display_name: "Alice Example".into(),
    });
    e.request = Some(RequestRecord {
        method: "POST".into(),
        path: "/v1.0/users/u/revokeSignInSessions".into(),
        body: None,
    });
    e.detail = Some(format!("step {i}"));
    e
}

fn journal_with(dir: &Path, n: u32) -> PathBuf {
    let path = dir.join("journal.jsonl");
    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    for i in 0..n {
        j.append(entry(i)).unwrap();
    }
    path
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

// ---------------------------------------------------------------- journal

#[test]
fn journal_chain_survives_reopen_and_verifies() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 3);
    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    assert!(j.repaired().is_empty());
    assert!(j.integrity().is_intact());
    assert_eq!(j.next_seq(), 4);
    let last = j.append(entry(9)).unwrap();
    let out = case::verify(&path).unwrap();
    assert!(out.is_intact(), "{out:?}");
    assert_eq!(out.entries, 4);
    assert_eq!(out.last_hash, last);
    // Recomputable without this tool: sha256 of the line without its trailing hash member.
    for l in lines(&path) {
        let v: Value = serde_json::from_str(&l).unwrap();
        let hash = v["hash"].as_str().unwrap();
        let body = l.replace(&format!(",\"hash\":\"{hash}\"}}"), "}");
        use sha2::Digest;
        assert_eq!(hex::encode(sha2::Sha256::digest(body.as_bytes())), hash);
    }
    let first: Value = serde_json::from_str(&lines(&path)[0]).unwrap();
    assert_eq!(first["prevHash"], "0".repeat(64));
    assert_eq!(first["seq"], 1);
    let (msg, code) = case::verify_cli(&path);
    assert_eq!(code, 0, "{msg}");
    assert!(msg.contains("4 entries"), "{msg}");
}

#[test]
fn any_changed_byte_in_a_middle_line_is_named() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 3);
    let original = fs::read(&path).unwrap();
    let start = original.iter().position(|b| *b == b'\n').unwrap() + 1;
    let end = start + original[start..].iter().position(|b| *b == b'\n').unwrap();
    for i in start..end {
        let mut bytes = original.clone();
        bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
        let out = case::journal::verify_bytes(&bytes);
        let broken = out
            .broken
            .unwrap_or_else(|| panic!("byte {i} changed unnoticed"));
        assert_eq!(broken.line, 2, "byte {i}: {}", broken.reason);
        assert_eq!(out.entries, 1);
    }
    // And through the CLI entry point.
    let mut bytes = original.clone();
    bytes[(start + end) / 2] ^= 0x01;
    fs::write(&path, &bytes).unwrap();
    let (msg, code) = case::verify_cli(&path);
    assert_eq!(code, 1);
    assert!(msg.contains("line 2"), "{msg}");
}

#[test]
fn a_deleted_line_breaks_the_link() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 4);
    let mut ls = lines(&path);
    ls.remove(1);
    fs::write(&path, ls.join("\n") + "\n").unwrap();
    let out = case::verify(&path).unwrap();
    let b = out.broken.unwrap();
    assert_eq!(b.line, 2);
    assert!(b.reason.contains("seq"), "{}", b.reason);
    // Swapping two lines is caught as well.
    let mut ls = lines(&path);
    ls.swap(1, 2);
    fs::write(&path, ls.join("\n") + "\n").unwrap();
    assert_eq!(case::verify(&path).unwrap().broken.unwrap().line, 2);
}

#[test]
fn torn_last_line_is_kept_and_repaired() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 3);
    // Simulate a crash half-way through writing a fourth line.
    let whole = lines(&path)[2].clone();
    let torn = &whole[..whole.len() / 2];
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(torn.as_bytes());
    fs::write(&path, &bytes).unwrap();

    let (msg, code) = case::verify_cli(&path);
    assert_eq!(code, 1);
    assert!(
        msg.contains("line 4") && msg.contains("incomplete"),
        "{msg}"
    );

    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    let repaired = j.repaired().to_vec();
    assert_eq!(repaired.len(), 1);
    assert_eq!(repaired[0].line, 4);
    assert_eq!(repaired[0].bytes, torn.len());
    assert!(j.integrity().is_intact(), "{:?}", j.integrity());
    j.append(entry(7)).unwrap();

    let ls = lines(&path);
    assert_eq!(ls[3], torn, "torn bytes are kept as they were");
    let note: Value = serde_json::from_str(&ls[4]).unwrap();
    assert_eq!(note["kind"], "note");
    assert_eq!(note["action"], case::journal::REPAIR_ACTION);
    assert_eq!(note["seq"], 4);
    let out = case::verify(&path).unwrap();
    assert!(out.is_intact(), "{out:?}");
    assert_eq!(out.repaired, vec![4]);
    assert_eq!(out.entries, 5);
    // Reopening again adds nothing.
    let j = Journal::open(&path, now(), "analyst").unwrap();
    assert!(j.repaired().is_empty());
    assert_eq!(lines(&path).len(), 6);

    // Removing the torn line afterwards (keeping its note) does not pass.
    let mut ls = lines(&path);
    ls.remove(3);
    fs::write(&path, ls.join("\n") + "\n").unwrap();
    assert_eq!(case::verify(&path).unwrap().broken.unwrap().line, 4);
}

#[test]
fn a_crash_during_the_repair_is_repaired_too() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 2);
    let whole = lines(&path)[1].clone();
    let mut bytes = fs::read(&path).unwrap();
    // Torn line 3, its newline added by a reopen, then the repair note itself torn.
    bytes.extend_from_slice(&whole.as_bytes()[..20]);
    bytes.push(b'\n');
    bytes.extend_from_slice(&whole.as_bytes()[..30]);
    fs::write(&path, &bytes).unwrap();
    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    let lines_fixed: Vec<usize> = j.repaired().iter().map(|r| r.line).collect();
    assert_eq!(lines_fixed, [3, 4]);
    j.append(entry(5)).unwrap();
    let out = case::verify(&path).unwrap();
    assert!(out.is_intact(), "{out:?}");
    assert_eq!(out.repaired, [3, 4]);
    assert_eq!(out.entries, 4);
}

#[test]
fn garbage_in_the_middle_is_not_excused() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 3);
    let mut ls = lines(&path);
    ls.insert(1, "{\"seq\":".to_owned());
    fs::write(&path, ls.join("\n") + "\n").unwrap();
    assert_eq!(case::verify(&path).unwrap().broken.unwrap().line, 2);
}

#[test]
fn whole_last_entry_without_newline_is_just_finished() {
    let d = tempfile::tempdir().unwrap();
    let path = journal_with(d.path(), 2);
    let mut bytes = fs::read(&path).unwrap();
    bytes.pop();
    fs::write(&path, &bytes).unwrap();
    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    assert!(j.repaired().is_empty());
    j.append(entry(3)).unwrap();
    let out = case::verify(&path).unwrap();
    assert!(out.is_intact(), "{out:?}");
    assert_eq!(out.entries, 3);
}

#[test]
fn unreadable_journal_exits_2() {
    let (msg, code) = case::verify_cli(Path::new("/nonexistent/journal.jsonl"));
    assert_eq!(code, 2, "{msg}");
}

#[test]
fn secrets_never_reach_the_journal() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("journal.jsonl");
    let mut j = Journal::open(&path, now(), "analyst").unwrap();
    let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl";
    let mut e = NewEntry::new(now(), "analyst", EntryKind::Outcome, "resetPassword");
    e.request = Some(RequestRecord {
        method: "POST".into(),
        path: format!("/v1.0/users/u/authentication/methods?access_token={jwt}"),
        body: Some(json!({
            "newPassword": "Tr0ub4dor&3",
            "passwordProfile": {"password": "Hunter2!!", "forceChangePasswordNextSignIn": true},
            "temporaryAccessPass": "TAPsecret99",
            "client_secret": "cs-value-1",
            "refresh_token": "rt-value-1",
            "note": format!("Bearer {jwt}"),
        })),
    });
    e.outcome = Some("done-verified".into());
    e.detail = Some(format!("token was {jwt}"));
    e.target = Some(Target {
        id: "u".into(),
        display_name: "Evil\u{1b}[31m\u{202e}name\nsecond".into(),
    });
    j.append(e).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    for secret in [
        "Tr0ub4dor&3",
        "Hunter2!!",
        "TAPsecret99",
        "cs-value-1",
        "rt-value-1",
        jwt,
        "\u{202e}",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("<redacted>"));
    assert!(
        !text.contains("\\u001b"),
        "ESC must be shown as a visible escape"
    );
    assert_eq!(text.lines().count(), 1);
    assert!(case::verify(&path).unwrap().is_intact());
}

// ---------------------------------------------------------------- evidence

fn meta() -> SnapshotMeta {
    SnapshotMeta {
        subject_id: "3f2a".into(),
        subject_upn: "alice@contoso.com".into(),
        window: Window::last_days(7, now()).unwrap(),
        tool_version: "0.1.0".into(),
    }
}

fn pages() -> Vec<(String, Value)> {
    vec![
        (
            "signIns".into(),
            json!({"value": [{"id": "a1"}], "@odata.nextLink": "x"}),
        ),
        ("signIns".into(), json!({"value": [{"id": "a2"}]})),
        ("riskyUsers".into(), json!({"value": []})),
        ("../../escape".into(), json!({"value": []})),
    ]
}

#[test]
fn snapshot_writes_manifest_that_verifies_and_catches_changes() {
    let d = tempfile::tempdir().unwrap();
    let ev = d.path().join("evidence");
    let snap = case::snapshot(&ev, &meta(), &pages(), now()).unwrap();
    assert_eq!(snap.dir.parent().unwrap(), ev);
    assert!(snap.dir.ends_with("20261126T100000Z-1"));
    let names: Vec<&str> = snap
        .manifest
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "signIns-001.json",
            "signIns-002.json",
            "riskyUsers-001.json",
            "_._.._escape-001.json"
        ]
    );
    let m: Value =
        serde_json::from_slice(&fs::read(snap.dir.join("manifest.json")).unwrap()).unwrap();
    for k in ["createdAt", "subject", "window", "toolVersion", "files"] {
        assert!(m.get(k).is_some(), "manifest lacks {k}");
    }
    assert_eq!(
        m["files"][0]["bytes"].as_u64().unwrap() as usize,
        fs::read(snap.dir.join("signIns-001.json")).unwrap().len()
    );
    let sums = fs::read_to_string(snap.dir.join("manifest.sha256")).unwrap();
    assert_eq!(sums.lines().count(), 5);
    assert!(sums.lines().all(|l| l.len() > 66 && &l[64..66] == "  "));
    if let Ok(out) = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("manifest.sha256")
        .current_dir(&snap.dir)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&snap.dir), 0o700);
        assert_eq!(mode(&snap.dir.join("signIns-001.json")), 0o600);
        assert_eq!(mode(&snap.dir.join("manifest.json")), 0o600);
    }

    let ok = case::verify_snapshot(&snap.dir).unwrap();
    assert!(ok.is_intact(), "{ok:?}");
    assert_eq!(ok.ok.len(), 4);

    fs::write(
        snap.dir.join("signIns-002.json"),
        b"{\"value\":[{\"id\":\"forged\"}]}",
    )
    .unwrap();
    fs::remove_file(snap.dir.join("riskyUsers-001.json")).unwrap();
    fs::write(snap.dir.join("planted.json"), b"{}").unwrap();
    let bad = case::verify_snapshot(&snap.dir).unwrap();
    assert!(!bad.is_intact());
    assert_eq!(bad.mismatched, vec!["signIns-002.json"]);
    assert_eq!(bad.missing, vec!["riskyUsers-001.json"]);
    assert_eq!(bad.extra, vec!["planted.json"]);

    // Editing the manifest to match the forged file is caught by manifest.sha256.
    let mut m: Value =
        serde_json::from_slice(&fs::read(snap.dir.join("manifest.json")).unwrap()).unwrap();
    m["files"][1]["bytes"] = json!(1);
    fs::write(
        snap.dir.join("manifest.json"),
        serde_json::to_vec(&m).unwrap(),
    )
    .unwrap();
    assert!(
        !case::verify_snapshot(&snap.dir)
            .unwrap()
            .manifest_problems
            .is_empty()
    );
}

#[test]
fn two_snapshots_in_the_same_second_get_two_folders() {
    let d = tempfile::tempdir().unwrap();
    let ev = d.path().join("evidence");
    let a = case::snapshot(&ev, &meta(), &pages(), now()).unwrap();
    let b = case::snapshot(&ev, &meta(), &pages(), now()).unwrap();
    assert_ne!(a.dir, b.dir);
    assert!(b.dir.ends_with("20261126T100000Z-2"));
    assert!(case::verify_snapshot(&a.dir).unwrap().is_intact());
    assert!(case::verify_snapshot(&b.dir).unwrap().is_intact());
}

// ---------------------------------------------------------------- exports

const HOSTILE: &[&str] = &[
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@IMPORTXML(x)",
    "\t=1",
    "\r=1",
    "esc\u{1b}[2Jcleared",
    "bidi \u{202e}gpj.exe",
    "line1\r\nline2\nline3",
    "quote \" and, comma",
    "Lagos, NG",
];

fn hostile_table() -> ExportTable {
    let columns = vec![
        "time".into(),
        "text".into(),
        "n".into(),
        "ok".into(),
        "empty".into(),
    ];
    let rows = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Cell::Time(now()),
                Cell::Text((*s).to_owned()),
                Cell::Int(-(i as i64)),
                Cell::Bool(i % 2 == 0),
                Cell::Empty,
            ]
        })
        .chain(std::iter::once(vec![
            Cell::Empty,
            Cell::Text("short row".into()),
        ]))
        .collect();
    ExportTable { columns, rows }
}

fn is_control_or_bidi(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[test]
fn csv_export_neutralises_formulas_and_parses_back() {
    let mut out = Vec::new();
    case::export_csv(&hostile_table(), &mut out).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(out.as_slice());
    assert_eq!(rdr.headers().unwrap().len(), 5);
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), HOSTILE.len() + 1);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.len(), 5, "row {i}");
        for f in r.iter() {
            assert!(!f.chars().any(is_control_or_bidi), "row {i}: {f:?}");
        }
        let text = &r[1];
        assert!(
            !text.starts_with(['=', '+', '-', '@']),
            "row {i} not neutralised: {text:?}"
        );
    }
    assert_eq!(&records[0][0], "2026-11-26T10:00:00Z");
    assert_eq!(&records[0][1], "'=cmd|' /C calc'!A0");
    assert!(records[4][1].starts_with('\''), "{:?}", &records[4][1]);
    assert_eq!(
        &records[2][2], "-2",
        "numbers are not text and stay numbers"
    );
    assert_eq!(&records[10][1], "Lagos, NG");
    assert_eq!(&records[11][1], "short row");
    assert_eq!(&records[11][4], "");
}

#[test]
fn jsonl_export_is_one_sanitised_object_per_row() {
    let mut out = Vec::new();
    case::export_jsonl(&hostile_table(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), HOSTILE.len() + 1);
    assert_eq!(rows[0]["text"], "=cmd|' /C calc'!A0");
    assert_eq!(rows[0]["time"], "2026-11-26T10:00:00Z");
    assert_eq!(rows[1]["n"], -1);
    assert_eq!(rows[0]["ok"], true);
    assert_eq!(rows[0]["empty"], Value::Null);
    for r in &rows {
        let t = r["text"].as_str().unwrap();
        assert!(!t.chars().any(is_control_or_bidi), "{t:?}");
    }
}

#[test]
fn exports_never_overwrite() {
    let d = tempfile::tempdir().unwrap();
    let c = Case::open_or_create(
        &d.path().join("cases"),
        "alice@contoso.com",
        now().date_naive(),
    )
    .unwrap();
    let t = hostile_table();
    let a = case::write_export(&c.exports_dir(), "signins", ExportFormat::Csv, &t, now()).unwrap();
    let b = case::write_export(&c.exports_dir(), "signins", ExportFormat::Csv, &t, now()).unwrap();
    let j = case::write_export(
        &c.exports_dir(),
        "../sign ins",
        ExportFormat::Jsonl,
        &t,
        now(),
    )
    .unwrap();
    assert_ne!(a, b);
    assert!(a.ends_with("signins-20261126T100000Z.csv"));
    assert!(b.ends_with("signins-20261126T100000Z-2.csv"));
    assert_eq!(j.parent().unwrap(), c.exports_dir());
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

// ---------------------------------------------------------------- case folder

#[test]
fn hostile_upns_stay_inside_the_cases_dir() {
    let d = tempfile::tempdir().unwrap();
    let cases = d.path().join("cases");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let long = "x".repeat(5000);
    for upn in [
        "../../etc",
        "/etc/passwd",
        "a/../../b",
        "Ünïcödé@例え.jp",
        "\u{202e}evil\n",
        "..",
        "",
        &long,
    ] {
        let c = Case::open_or_create(&cases, upn, today).unwrap();
        assert_eq!(c.path().parent().unwrap(), cases, "{upn:?}");
        assert!(c.name().starts_with("2026-11-26-"));
        assert!(c.name().len() <= 11 + case::MAX_UPN_CHARS, "{upn:?}");
        assert!(
            c.name()[11..]
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._@-".contains(ch)),
            "{}",
            c.name()
        );
        assert!(c.path().is_dir());
    }
    let c = Case::open_or_create(&cases, "Alice@Contoso.com", today).unwrap();
    assert_eq!(c.name(), "2026-11-26-alice@contoso.com");
    assert_eq!(c.journal_path(), c.path().join("journal.jsonl"));
}

// ---------------------------------------------------------------- offline

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/offline")
        .join(name)
}

fn load(names: &[&str]) -> offline::LoadResult {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    offline::load_files(&paths)
}

fn ids(r: &offline::LoadResult) -> Vec<&str> {
    r.sign_ins.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn loads_graph_pages_in_every_arrangement() {
    let r = load(&["graph-page.json"]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(ids(&r), ["a1", "a2"]);
    assert_eq!(r.files[0].format, Format::GraphPages);
    assert_eq!(r.sign_ins[1].location.city.raw(), "Amsterdam");
    assert_eq!(r.sign_ins[1].status.error_code, 50126);

    let r = load(&["graph-pages-array.json"]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(ids(&r), ["p1", "p2", "p3"]);
    assert_eq!(r.files[0].format, Format::GraphPages);

    let r = load(&["graph-pages-concat.json"]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(ids(&r), ["c1", "c2"]);
    assert_eq!(r.files[0].format, Format::GraphPages);
}

#[test]
fn loads_bare_arrays_and_reports_bad_records() {
    let r = load(&["admin-center.json"]);
    assert_eq!(r.files[0].format, Format::JsonArray);
    assert_eq!(ids(&r), ["a1", "b7"]);
    let b7 = &r.sign_ins[1];
    assert_eq!(b7.status.error_code, 53003);
    assert_eq!(b7.location.coordinates(), Some((39.04, -77.49)));
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    assert_eq!(r.problems[0].location, Location::Record(3));
    assert_eq!(r.problems[1].location, Location::Record(4));

    let r = load(&["powershell.json"]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(ids(&r), ["ps1"]);
    assert_eq!(r.sign_ins[0].ip_address.raw(), "192.0.2.10");
    assert_eq!(r.sign_ins[0].location.country_or_region.raw(), "DE");
}

#[test]
fn loads_json_lines_past_a_broken_line() {
    let r = load(&["signins.jsonl"]);
    assert_eq!(r.files[0].format, Format::JsonLines);
    assert_eq!(ids(&r), ["l1", "l3"]);
    let lines: Vec<&Location> = r.problems.iter().map(|p| &p.location).collect();
    assert!(
        matches!(lines[0], Location::Line { line: 2, .. }),
        "{lines:?}"
    );
    assert!(
        matches!(lines[1], Location::Line { line: 5, .. }),
        "{lines:?}"
    );
}

#[test]
fn loads_the_admin_center_csv() {
    let r = load(&["entra.csv"]);
    assert_eq!(r.files[0].format, Format::EntraCsv);
    assert_eq!(ids(&r), ["e1", "e2", "e3"], "{:?}", r.problems);
    let e1 = &r.sign_ins[0];
    assert_eq!(e1.user_display_name.raw(), "Example, Alice");
    assert_eq!(e1.location.city.raw(), "Lagos");
    assert_eq!(e1.location.country_or_region.raw(), "NG");
    assert_eq!(e1.location.coordinates(), Some((6.45, 3.39)));
    assert!(e1.succeeded());
    assert_eq!(e1.risk_level_during_sign_in.as_str(), "high");
    assert_eq!(e1.risk_state.as_str(), "atRisk");
    assert_eq!(e1.conditional_access_status.as_str(), "notApplied");
    assert_eq!(e1.device_detail.is_compliant, Some(false));
    let e2 = &r.sign_ins[1];
    assert_eq!(
        e2.created_date_time.unwrap().to_rfc3339(),
        "2026-11-21T08:33:10+00:00"
    );
    assert_eq!(e2.location.city.raw(), "Amsterdam");
    assert_eq!(e2.location.state.raw(), "Noord-Holland");
    assert_eq!(e2.location.country_or_region.raw(), "NL");
    assert_eq!(e2.status.error_code, 50126);
    let e3 = &r.sign_ins[2];
    assert!(e3.created_date_time.is_none());
    assert!(
        !e3.succeeded(),
        "Interrupted without a code is not a success"
    );
    let locs: Vec<String> = r.problems.iter().map(|p| p.location.to_string()).collect();
    assert_eq!(locs, ["line 4", "line 5"], "{:?}", r.problems);
}

#[test]
fn truncated_and_foreign_files_load_what_they_can() {
    let r = load(&["truncated.json"]);
    assert_eq!(ids(&r), ["t1", "t2"]);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert!(
        matches!(r.problems[0].location, Location::Line { line: 3, .. }),
        "{:?}",
        r.problems
    );
    assert!(r.problems[0].message.contains("truncated"));

    let r = load(&["not-a-log.txt", "does-not-exist.json"]);
    assert!(r.sign_ins.is_empty());
    assert_eq!(r.problems.len(), 2);
    assert_eq!(r.files[0].format, Format::Unknown);
}

#[test]
fn deduplicates_by_id_across_files_and_sorts_newest_first() {
    let r = load(&[
        "admin-center.json",
        "graph-page.json",
        "graph-pages-array.json",
    ]);
    let a1 = r
        .files
        .iter()
        .find(|f| f.path.ends_with("graph-page.json"))
        .unwrap();
    assert_eq!((a1.count, a1.duplicates), (1, 1));
    assert_eq!(ids(&r).iter().filter(|i| **i == "a1").count(), 1);
    let times: Vec<_> = r.sign_ins.iter().map(|s| s.created_date_time).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}
