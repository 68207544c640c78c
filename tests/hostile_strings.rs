//! Hostile tenant strings through the REAL binary. A corpus of 35 cases (CSI and OSC
//! sequences incl. OSC 52 clipboard writes, OSC 8 hyperlinks and OSC 0/2 window titles, raw
//! C1 CSI/OSC bytes, bidi overrides and isolates, zero-width characters, CR/LF/tab, a
//! 10,000-character name, combining-mark floods, Markdown/HTML and CSV-formula payloads) is
//! planted in the tenant string fields of a copy of assets/demo-tenant: 26 field names are
//! listed, 23 occur in the demo data (display names of users, apps, service principals,
//! devices, rules, folders and methods; app and resource names, user agents, browsers,
//! operating systems, cities, states, audit activity names, failure reasons, …). Value number
//! `i` of field `f` gets case `(i + 7·f) mod 35`: 18,081 values replaced in all, so every
//! field carries many cases and every case reaches many fields (35 cases × 23 fields).
//! The binary's `simulate --tenant-dir` serves it; then
//! (a) `report alice@contoso.com --format md|json` must contain no ESC/C0/C1/bidi/zero-width
//! character and stay well-formed (JSON parses, Markdown table rows keep their cell count);
//! (b) the console, run in a pseudo-terminal (util-linux `script`) at 120×36 while keys visit
//! the panes, must write no OSC/DCS/APC/PM/SOS sequence, no C1 byte and no bidi/zero-width
//! character — only the CSI sequences of the UI itself — and must show the escapes visibly.

#[path = "support/pty.rs"]
mod pty;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");

fn corpus() -> Vec<String> {
    let mut c: Vec<String> = [
        "\u{1b}[31mRED\u{1b}[0m",
        "\u{1b}[2J\u{1b}[H",
        "\u{1b}[?1049l\u{1b}[?25h",
        "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}",
        "\u{1b}]52;c;ZWNobyBwd25lZA==\u{1b}\\",
        "\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}",
        "\u{1b}]0;pwned title\u{7}",
        "\u{1b}]2;pwned title\u{1b}\\",
        "\u{1b}P+q544e\u{1b}\\",
        "\u{1b}_apc\u{1b}\\",
        "\u{1b}^pm\u{1b}\\",
        "\u{1b}Xsos\u{1b}\\",
        "\u{9b}31mC1 CSI",
        "\u{9d}0;c1 title\u{7}",
        "\u{90}dcs\u{9c}",
        "\u{85}next line",
        "invoice\u{202e}fdp.exe",
        "\u{202d}override\u{202c}",
        "\u{2067}isolate\u{2069}",
        "\u{2066}\u{2068}fsi\u{2069}\u{200f}\u{200e}\u{61c}",
        "zero\u{200b}width\u{200c}join\u{200d}\u{2060}\u{feff}",
        "line1\r\nline2\rCR\nLF",
        "tab\there\u{b}\u{c}",
        "bell\u{7}back\u{8}nul\u{0}del\u{7f}",
        "Z\u{335}\u{30d}\u{344}\u{31b}\u{340}\u{352}\u{350}\u{321}a\u{337}\u{301}\u{300}",
        "| col | injected |\n|---|---|",
        "**bold** _it_ `code` [link](https://evil.example) ![img](x)",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "=HYPERLINK(\"https://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "# heading\n> quote",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.push(format!("long{}", "n".repeat(10_000)));
    c.push(format!("e{}", "\u{301}".repeat(500)));
    c
}

/// Tenant string fields the console or report can show.
const FIELDS: &[&str] = &[
    "displayName",
    "appDisplayName",
    "resourceDisplayName",
    "userDisplayName",
    "userAgent",
    "browser",
    "operatingSystem",
    "city",
    "state",
    "failureReason",
    "activityDisplayName",
    "publisherName",
    "department",
    "jobTitle",
    "companyName",
    "clientAppUsed",
    "additionalInfo",
    "detail",
    "loggedByService",
    "appOwnerOrganizationId",
    "phoneNumber",
    "model",
    "deviceTag",
    "riskDetail",
    "initiatedByDisplayName",
    "applicationDisplayName",
];

fn plant(v: &mut Value, cases: &[String], n: &mut usize) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if let Some(f) = FIELDS.iter().position(|f| f == k)
                    && val.is_string()
                {
                    *val = Value::from(cases[(*n + 7 * f) % cases.len()].clone());
                    *n += 1;
                } else {
                    plant(val, cases, n);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| plant(x, cases, n)),
        _ => {}
    }
}

/// Copies the demo tenant with hostile strings planted; returns how many values were replaced.
fn hostile_tenant(src: &Path, dst: &Path, cases: &[String], n: &mut usize) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            hostile_tenant(&e.path(), &to, cases, n);
        } else if e.path().extension().is_some_and(|x| x == "json") {
            let mut v: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            plant(&mut v, cases, n);
            std::fs::write(to, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

struct Sim {
    child: Child,
    graph: String,
    token: String,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn simulate(dir: &Path) -> Sim {
    let mut child = Command::new(BIN)
        .args(["simulate", "--throttle", "off", "--tenant-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut graph, mut token) = (String::new(), String::new());
    for _ in 0..2 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        if let Some(g) = line.trim().strip_prefix("graph: ") {
            graph = g.to_owned();
        } else if let Some(t) = line.trim().strip_prefix("token: ") {
            token = t.to_owned();
        }
    }
    assert!(
        !graph.is_empty() && !token.is_empty(),
        "simulator did not start"
    );
    Sim {
        child,
        graph,
        token,
    }
}

/// The first forbidden character in `s`, if any (`allow_newline`: `\n` is fine).
fn forbidden(s: &str, allow_newline: bool) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| {
        let u = c as u32;
        (u < 0x20 && !(allow_newline && c == '\n'))
            || (0x7f..=0x9f).contains(&u)
            || matches!(u, 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2069 | 0xfeff | 0x61c)
    })
}

fn context(s: &str, at: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 60).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    format!("{:?}", &s[start..end])
}

fn check_markdown(md: &str) {
    if let Some((i, c)) = forbidden(md, true) {
        panic!("markdown has {c:?} at {i}: {}", context(md, i));
    }
    let cells = |line: &str| {
        let mut n = 0;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '|' && prev != '\\' {
                n += 1;
            }
            prev = c;
        }
        n
    };
    let mut header: Option<usize> = None;
    let mut rows = 0;
    for line in md.lines() {
        if line.starts_with('|') {
            match header {
                None => header = Some(cells(line)),
                Some(h) => {
                    assert_eq!(
                        cells(line),
                        h,
                        "table row with the wrong cell count: {line:?}"
                    );
                    rows += 1;
                }
            }
        } else {
            header = None;
        }
    }
    assert!(rows > 0, "the report has no table rows");
}

fn report(sim: &Sim, data: &Path, format: &str) -> String {
    let out = Command::new(BIN)
        .args([
            "report",
            "alice@contoso.com",
            "--format",
            format,
            "--graph-url",
        ])
        .arg(&sim.graph)
        .env("ENTRA_TRIAGE_TOKEN", &sim.token)
        .env("ENTRA_TRIAGE_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report --format {format}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// A tiny VT parser over what the console wrote: returns the problems found (any OSC, DCS,
/// APC, PM, SOS, C1 byte, bidi or zero-width character, unknown escape) and the number of
/// CSI sequences seen.
fn scan_terminal_output(bytes: &[u8]) -> (Vec<String>, usize) {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    let mut problems = Vec::new();
    let mut csi = 0;
    let mut i = 0;
    let at = |i: usize| {
        chars[i.saturating_sub(20)..(i + 20).min(chars.len())]
            .iter()
            .collect::<String>()
    };
    while i < chars.len() {
        let c = chars[i];
        let u = c as u32;
        if c == '\u{1b}' {
            match chars.get(i + 1) {
                Some('[') => {
                    // CSI: parameters and intermediates, then one final byte 0x40–0x7e.
                    let mut j = i + 2;
                    while j < chars.len() && ('\u{20}'..='\u{3f}').contains(&chars[j]) {
                        j += 1;
                    }
                    if j < chars.len() && ('\u{40}'..='\u{7e}').contains(&chars[j]) {
                        csi += 1;
                        i = j + 1;
                        continue;
                    }
                    problems.push(format!("unterminated CSI near {:?}", at(i)));
                }
                Some(']') => problems.push(format!("OSC near {:?}", at(i))),
                Some('P') => problems.push(format!("DCS near {:?}", at(i))),
                Some('_') => problems.push(format!("APC near {:?}", at(i))),
                Some('^') => problems.push(format!("PM near {:?}", at(i))),
                Some('X') => problems.push(format!("SOS near {:?}", at(i))),
                // Charset and keypad selections crossterm may send.
                Some('(' | ')') if i + 2 < chars.len() => {
                    i += 3;
                    continue;
                }
                Some('7' | '8' | '=' | '>' | 'M') => {
                    i += 2;
                    continue;
                }
                other => problems.push(format!("ESC {other:?} near {:?}", at(i))),
            }
            i += 2;
            continue;
        }
        if (0x80..=0x9f).contains(&u) {
            problems.push(format!("C1 U+{u:04X} near {:?}", at(i)));
        } else if matches!(u, 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2069 | 0xfeff | 0x61c)
        {
            problems.push(format!("invisible U+{u:04X} near {:?}", at(i)));
        } else if u < 0x20 && !matches!(c, '\r' | '\n') || u == 0x7f {
            problems.push(format!("C0 U+{u:04X} near {:?}", at(i)));
        }
        i += 1;
    }
    (problems, csi)
}

/// Runs the console in a pseudo-terminal, sends `keys` with pauses, returns all it wrote.
fn console_bytes(sim: &Sim, data: &Path, keys: &[&[u8]]) -> Vec<u8> {
    let cmd = format!("exec '{BIN}' alice@contoso.com --graph-url '{}'", sim.graph);
    let data = data.to_string_lossy().into_owned();
    let mut pty = pty::Pty::start(
        &cmd,
        &[
            ("ENTRA_TRIAGE_TOKEN", sim.token.as_str()),
            ("ENTRA_TRIAGE_DATA_DIR", data.as_str()),
        ],
    );
    pty.pump(5000);
    for k in keys {
        pty.send(k, 700);
    }
    pty.finish(10)
}

#[test]
fn hostile_strings_never_reach_the_terminal_or_the_report() {
    let cases = corpus();
    assert!(cases.len() >= 30);
    let tmp = tempfile::tempdir().unwrap();
    let tenant = tmp.path().join("tenant");
    let mut planted = 0;
    hostile_tenant(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-tenant"),
        &tenant,
        &cases,
        &mut planted,
    );
    assert!(planted > 15_000, "{planted} values planted");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let sim = simulate(&tenant);

    // (a) the headless report, both formats.
    let md = report(&sim, &data, "md");
    check_markdown(&md);
    assert!(
        md.contains("\\x1b") || md.contains("\\u{1b}"),
        "escapes are shown, not dropped"
    );
    let json = report(&sim, &data, "json");
    if let Some((i, c)) = forbidden(&json, true) {
        panic!("JSON report has {c:?} at {i}: {}", context(&json, i));
    }
    let _: Value = serde_json::from_str(&json).expect("the JSON report parses");

    // (b) the console in a pseudo-terminal: visit the panes, open a row, close, quit.
    let keys: &[&[u8]] = &[
        b"1", b"j", b"\r", b"\x1b", b"2", b"j", b"\r", b"\x1b", b"3", b"\r", b"\x1b", b"4", b"\r",
        b"\x1b", b"1", b"G", b"\r", b"\x1b", b"q",
    ];
    let bytes = console_bytes(&sim, &data, keys);
    let (problems, csi) = scan_terminal_output(&bytes);
    assert!(
        csi > 50,
        "the console drew little ({csi} CSI sequences): {:?}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(
        problems.is_empty(),
        "{} problems in the console's output, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("\\x1b") || text.contains("\\u{1b}"),
        "the hostile escapes are shown visibly on screen"
    );
}

#[test]
fn the_scanner_catches_what_it_must() {
    let (p, csi) = scan_terminal_output(b"\x1b[1;1H\x1b[38;5;1mok\x1b[0m");
    assert!(p.is_empty() && csi == 3, "{p:?}");
    for bad in [
        &b"\x1b]52;c;eA==\x07"[..],
        b"\x1b]8;;http://x\x07",
        b"\x1bP1$r\x1b\\",
        b"\x1b_x\x1b\\",
        "\u{9b}31m".as_bytes(),
        "a\u{202e}b".as_bytes(),
        "a\u{200b}b".as_bytes(),
        b"a\x07b",
    ] {
        assert!(!scan_terminal_output(bad).0.is_empty(), "{bad:?}");
    }
    assert!(forbidden("a\u{9d}b", true).is_some() && forbidden("a\nb", true).is_none());
}
