//! Fuzzing the console without a terminal: 1,000,000+ random events (keys with random
//! modifiers, worker events for current and stale requests carrying demo-tenant and hostile
//! data, resizes down to 1×1, ticks) driven straight into `App::update`, with a render to a
//! `TestBackend` every few hundred events — no panic. Also: the terminal panic hook chains
//! to the previous hook; arbitrary JSON never panics any Graph model's deserializer.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use proptest::prelude::*;
use rand::{Rng, RngCore};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use entra_triage::app::{App, Msg};
use entra_triage::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, ServicePrincipal, SignIn, SignInPreferences,
    TenantText, User,
};
use entra_triage::protocol::{Command, PaneId, RequestId, WorkerEvent};
use entra_triage::ui::theme::Theme;
use entra_triage::window::Window;
use entra_triage::worker::source::SourceError;

/// xorshift64*: a fast, seeded generator (the cryptographic default costs more than the app).
struct StdRng(u64);

impl StdRng {
    fn seed_from_u64(seed: u64) -> Self {
        StdRng(seed | 1)
    }
}

impl RngCore for StdRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for b in dst {
            *b = self.next_u32() as u8;
        }
    }
}

const EVENTS: usize = 1_000_000;
const RENDER_EVERY: usize = 5_000;

fn demo<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
    let path = format!("{}/assets/demo-tenant/{file}", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::from_value(v["value"].clone()).unwrap()
}

const HOSTILE: &[&str] = &[
    "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{9b}31m",
    "\u{202e}gnp.exe",
    "a\u{200b}b\u{feff}",
    "line\r\nbreak\tTab",
    "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script> | *x* |",
    "漢字カタカナ🙂🙂",
];

struct Data {
    sign_ins: Vec<SignIn>,
    users: Vec<User>,
    risky: Vec<RiskyUser>,
    history: Vec<RiskyUserHistoryItem>,
    detections: Vec<RiskDetection>,
    grants: Vec<OAuth2PermissionGrant>,
    principals: Vec<ServicePrincipal>,
    methods: Vec<AuthMethod>,
}

fn data() -> Data {
    let mut sign_ins: Vec<SignIn> = demo("signIns.json");
    let base = sign_ins.clone();
    for (i, h) in HOSTILE.iter().enumerate() {
        let mut s = base[i % base.len()].clone();
        s.id = format!("hostile-{i}").into();
        s.app_display_name = TenantText::new(*h);
        let mut v = serde_json::to_value(&s).unwrap();
        v["userAgent"] = Value::from(h.repeat(50));
        v["location"]["city"] = Value::from(*h);
        v["deviceDetail"]["displayName"] = Value::from(*h);
        sign_ins.push(serde_json::from_value(v).unwrap());
    }
    let raw_methods: Vec<Value> =
        demo("authenticationMethods/3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e.json");
    Data {
        sign_ins,
        users: demo("users.json"),
        risky: demo("riskyUsers.json"),
        history: demo("riskyUserHistory.json"),
        detections: demo("riskDetections.json"),
        grants: demo("oauth2PermissionGrants.json"),
        principals: demo("servicePrincipals.json"),
        methods: raw_methods
            .into_iter()
            .map(AuthMethod::from_value)
            .collect(),
    }
}

fn random_key(rng: &mut StdRng) -> KeyEvent {
    const CHARS: &[char] = &[
        '1', '2', '3', '4', 'j', 'k', 'g', 'G', 'q', '?', '/', 'h', 'l', 'n', 'p', 'r', 'y', 'x',
        'a', ' ', '@', 'é', '🙂', '\u{1b}', '\u{202e}',
    ];
    let code = match rng.random_range(0..22) {
        0 => KeyCode::Esc,
        1 => KeyCode::Enter,
        2 => KeyCode::Tab,
        3 => KeyCode::BackTab,
        4 => KeyCode::Up,
        5 => KeyCode::Down,
        6 => KeyCode::Left,
        7 => KeyCode::Right,
        8 => KeyCode::PageUp,
        9 => KeyCode::PageDown,
        10 => KeyCode::Home,
        11 => KeyCode::End,
        12 => KeyCode::Backspace,
        13 => KeyCode::Delete,
        14 => KeyCode::F(rng.random_range(1..13)),
        15 => KeyCode::Char(char::from_u32(rng.random_range(0x20..0x3000)).unwrap_or('x')),
        _ => KeyCode::Char(CHARS[rng.random_range(0..CHARS.len())]),
    };
    let mods = match rng.random_range(0..10) {
        0 => KeyModifiers::CONTROL,
        1 => KeyModifiers::SHIFT,
        2 => KeyModifiers::ALT,
        _ => KeyModifiers::NONE,
    };
    let mut k = KeyEvent::new(code, mods);
    if rng.random_range(0..50) == 0 {
        k.kind = KeyEventKind::Release;
    }
    k
}

fn pick<T: Clone>(rng: &mut StdRng, v: &[T], max: usize) -> Vec<T> {
    let n = rng.random_range(0..=max.min(v.len()));
    (0..n)
        .map(|_| v[rng.random_range(0..v.len())].clone())
        .collect()
}

fn error(rng: &mut StdRng) -> SourceError {
    SourceError {
        status: Some([403, 404, 429, 500, 503][rng.random_range(0..5)]),
        code: Some(HOSTILE[rng.random_range(0..HOSTILE.len())].to_owned()),
        message: HOSTILE[rng.random_range(0..HOSTILE.len())].repeat(20),
        request_id: rng.random_bool(0.5).then(|| "req-1".to_owned()),
    }
}

fn worker_event(rng: &mut StdRng, d: &Data, reqs: &[RequestId]) -> WorkerEvent {
    let req = if reqs.is_empty() || rng.random_range(0..8) == 0 {
        RequestId(rng.random_range(0..1000))
    } else {
        reqs[rng.random_range(0..reqs.len())]
    };
    match rng.random_range(0..11) {
        0 => WorkerEvent::Header {
            tenant: Some(TenantText::new(HOSTILE[rng.random_range(0..HOSTILE.len())])),
            analyst: None,
        },
        1 => WorkerEvent::SuspectLoaded {
            req,
            user: Box::new(d.users[rng.random_range(0..d.users.len())].clone()),
        },
        2 => WorkerEvent::SuspectFailed {
            req,
            error: error(rng),
        },
        3 | 4 => WorkerEvent::SignInPage {
            req,
            page_no: rng.random_range(1..5),
            items: pick(rng, &d.sign_ins, 8),
            has_more: rng.random_bool(0.5),
        },
        5 => WorkerEvent::SignInsDone { req },
        6 => WorkerEvent::RiskyUser {
            req,
            user: pick(rng, &d.risky, 1).pop().map(Box::new),
        },
        7 => WorkerEvent::RiskHistory {
            req,
            items: pick(rng, &d.history, 10),
        },
        8 => WorkerEvent::Detections {
            req,
            items: pick(rng, &d.detections, 10),
        },
        9 => WorkerEvent::Methods {
            req,
            methods: pick(rng, &d.methods, 10),
        },
        _ if rng.random_bool(0.5) => WorkerEvent::Grants {
            req,
            grants: pick(rng, &d.grants, 10),
            principals: pick(rng, &d.principals, 10),
        },
        _ => WorkerEvent::Failed {
            req,
            pane: PaneId::ALL[rng.random_range(0..4)],
            part: "fuzz",
            error: error(rng),
        },
    }
}

fn remember(reqs: &mut Vec<RequestId>, cmds: Vec<Command>) {
    for c in cmds {
        match c {
            Command::LoadSuspect { req, .. } | Command::LoadPane { req, .. } => reqs.push(req),
            _ => {}
        }
    }
    if reqs.len() > 64 {
        reqs.drain(..32);
    }
}

#[test]
fn a_million_random_events_never_panic() {
    let d = data();
    let window = Window {
        start: Utc.with_ymd_and_hms(2026, 10, 21, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    };
    let mut rng = StdRng::seed_from_u64(0x5eed_f00d);
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    let mut total = 0usize;
    let mut renders = 0usize;
    for round in 0..8u64 {
        let mut app = App::new(window, Theme::plain());
        app.update(Msg::Resize(120, 36));
        let mut reqs = Vec::new();
        let subject = (round % 2 == 0).then_some("alice@contoso.com");
        remember(&mut reqs, app.start(subject));
        for i in 0..EVENTS / 8 {
            let msg = match rng.random_range(0..100) {
                0..=84 => Msg::Key(random_key(&mut rng)),
                85..=94 => Msg::Worker(worker_event(&mut rng, &d, &reqs)),
                95..=97 => Msg::Tick,
                _ => {
                    let w = *[1u16, 2, 5, 20, 40, 80, 120, 250]
                        .get(rng.random_range(0..8))
                        .unwrap();
                    let h = *[1u16, 2, 3, 8, 9, 24, 36, 80]
                        .get(rng.random_range(0..8))
                        .unwrap();
                    Msg::Resize(w, h)
                }
            };
            let resize = if let Msg::Resize(w, h) = msg {
                Some((w, h))
            } else {
                None
            };
            remember(&mut reqs, app.update(msg));
            total += 1;
            if let Some((w, h)) = resize {
                terminal.backend_mut().resize(w, h);
            }
            if i % RENDER_EVERY == 0 || (resize.is_some() && rng.random_range(0..200) == 0) {
                terminal
                    .draw(|f| entra_triage::ui::render(&app, f))
                    .unwrap();
                renders += 1;
            }
        }
    }
    assert!(total >= EVENTS, "{total}");
    assert!(renders >= EVENTS / RENDER_EVERY, "{renders}");
}

/// The terminal's panic hook restores the terminal and then calls the hook that was
/// installed before it (so the panic message is still printed).
#[test]
fn panic_hook_chains_to_the_previous_hook() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let called = Arc::new(AtomicBool::new(false));
    let flag = called.clone();
    std::panic::set_hook(Box::new(move |_| flag.store(true, Ordering::SeqCst)));
    entra_triage::terminal::install_panic_hook();
    let r = std::panic::catch_unwind(|| panic!("injected"));
    assert!(r.is_err());
    assert!(called.load(Ordering::SeqCst));
    // Restoring a terminal that was never set up is harmless and may be repeated.
    let _ = entra_triage::terminal::restore();
    let _ = entra_triage::terminal::restore();
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-zA-Z0-9:\\-\\.T Z\u{1b}\u{202e}]{0,24}".prop_map(Value::from),
        Just(Value::from("0001-01-01T00:00:00Z")),
        Just(Value::from("2026-11-20T08:00:00Z")),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        let keys = prop_oneof![
            Just("id".to_owned()),
            Just("@odata.type".to_owned()),
            Just("createdDateTime".to_owned()),
            Just("displayName".to_owned()),
            Just("location".to_owned()),
            Just("status".to_owned()),
            Just("riskLevel".to_owned()),
            Just("scope".to_owned()),
            Just("actions".to_owned()),
            Just("conditions".to_owned()),
            Just("value".to_owned()),
            "[a-zA-Z]{1,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn parse_all(v: &Value) {
    let _ = serde_json::from_value::<SignIn>(v.clone());
    let _ = serde_json::from_value::<User>(v.clone());
    let _ = serde_json::from_value::<RiskyUser>(v.clone());
    let _ = serde_json::from_value::<RiskyUserHistoryItem>(v.clone());
    let _ = serde_json::from_value::<RiskDetection>(v.clone());
    let _ = serde_json::from_value::<OAuth2PermissionGrant>(v.clone());
    let _ = serde_json::from_value::<ServicePrincipal>(v.clone());
    let _ = serde_json::from_value::<MessageRule>(v.clone());
    let _ = serde_json::from_value::<MailFolder>(v.clone());
    let _ = serde_json::from_value::<DirectoryAudit>(v.clone());
    let _ = serde_json::from_value::<Organization>(v.clone());
    let _ = serde_json::from_value::<SignInPreferences>(v.clone());
    let _ = AuthMethod::from_value(v.clone());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn arbitrary_json_never_panics_the_models(v in arbitrary_json()) {
        parse_all(&v);
        // The same shapes inside an object with every known field name.
        if let Value::Object(_) = v {
        } else {
            let mut o = serde_json::Map::new();
            for k in ["id", "createdDateTime", "location", "status", "deviceDetail",
                "appliedConditionalAccessPolicies", "signInActivity", "riskEventTypes",
                "conditions", "actions", "exceptions", "targetResources", "initiatedBy",
                "verifiedDomains", "assignedPlans", "method", "@odata.type"] {
                o.insert(k.to_owned(), v.clone());
            }
            parse_all(&Value::Object(o));
        }
    }
}
