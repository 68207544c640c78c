//! Performance benches (docs/performance.md): parsing Graph sign-in pages (throughput in
//! bytes/s), one frame of the console with 1,000,000 sign-ins loaded, and — printed before
//! the benches — the resident memory per loaded sign-in above the empty console.
//! Run: `cargo bench --bench perf`.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use entra_triage::app::{App, Msg};
use entra_triage::graph::models::{Collection, SignIn, User};
use entra_triage::protocol::{Command, PaneId, WorkerEvent};
use entra_triage::ui::theme::Theme;
use entra_triage::window::Window;

/// The demo tenant's sign-ins as JSON values.
fn demo_sign_ins() -> Vec<Value> {
    let path = format!(
        "{}/assets/demo-tenant/signIns.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["value"].as_array().unwrap().clone()
}

/// A Graph page of `n` sign-ins (the demo ones, cycled, with distinct ids).
fn page_json(n: usize) -> Vec<u8> {
    let demo = demo_sign_ins();
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let mut v = demo[i % demo.len()].clone();
            v["id"] = Value::from(format!("{:08x}-0000-4000-8000-{:012x}", i, i));
            v
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
        "value": items,
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x",
    }))
    .unwrap()
}

fn parse_pages(c: &mut Criterion) {
    let bytes = page_json(1000);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("sign_in_page_1000", |b| {
        b.iter(|| {
            let page: Collection<SignIn> = serde_json::from_slice(black_box(&bytes)).unwrap();
            black_box(page.value.len())
        })
    });
    g.finish();
}

fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 10, 21, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

/// A console at 120×36 with the suspect found and `n` sign-ins loaded (1,000 per page).
fn loaded_app(n: usize) -> App {
    let page: Collection<SignIn> = serde_json::from_slice(&page_json(1000)).unwrap();
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(120, 36));
    let Some(Command::LoadSuspect { req, .. }) = app.start(Some("alice@contoso.com")).pop() else {
        panic!("no lookup")
    };
    let user = User {
        id: "u1".into(),
        ..User::default()
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(user),
    }));
    let req = cmds
        .iter()
        .find_map(|c| match c {
            Command::LoadPane {
                req,
                pane: PaneId::SignIns,
                ..
            } => Some(*req),
            _ => None,
        })
        .expect("a sign-in request");
    let pages = n.div_ceil(1000);
    for p in 0..pages {
        let mut items = page.value.clone();
        for (i, s) in items.iter_mut().enumerate() {
            s.id = format!("{p}-{i}");
        }
        app.update(Msg::Worker(WorkerEvent::SignInPage {
            req,
            page_no: p + 1,
            items,
            has_more: p + 1 < pages,
        }));
    }
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    app
}

fn render_million(c: &mut Criterion) {
    let app = loaded_app(1_000_000);
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    c.bench_function("render_frame_1m_sign_ins", |b| {
        b.iter(|| {
            terminal
                .draw(|f| entra_triage::ui::render(black_box(&app), f))
                .unwrap();
        })
    });
    // Scrolled to the middle: still only the visible rows.
    let mut app = app;
    for _ in 0..3 {
        app.update(Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::PageDown,
            crossterm::event::KeyModifiers::NONE,
        )));
    }
    c.bench_function("render_frame_1m_sign_ins_scrolled", |b| {
        b.iter(|| {
            terminal
                .draw(|f| entra_triage::ui::render(black_box(&app), f))
                .unwrap();
        })
    });
}

/// Resident set size in bytes (Linux `/proc/self/statm`), or 0 elsewhere.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Prints the resident memory each loaded sign-in costs above the empty console.
fn memory_per_sign_in() {
    const N: usize = 200_000;
    let before = rss();
    let app = loaded_app(N);
    let after = rss();
    let per = after.saturating_sub(before) as f64 / N as f64;
    println!(
        "memory: {N} sign-ins loaded: RSS {:.1} MiB → {:.1} MiB = {per:.0} bytes per sign-in \
         (size_of::<SignIn>() = {} bytes inline)",
        before as f64 / 1048576.0,
        after as f64 / 1048576.0,
        std::mem::size_of::<SignIn>()
    );
    drop(black_box(app));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = parse_pages, render_million
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (skip the heavy load).
    if std::env::args().any(|a| a == "--bench") {
        memory_per_sign_in();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
