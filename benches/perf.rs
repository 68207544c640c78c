//! Performance benches (docs/performance.md): parsing Graph sign-in pages (throughput in
//! bytes/s), one frame of the console with 1,000,000 sign-ins loaded, and — printed before
//! the benches — the resident memory per loaded sign-in above the empty console.
//! Run: `cargo bench --bench perf`.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use entra_triage::app::{App, Msg};
use entra_triage::graph::models::{Collection, SignIn};
use entra_triage::protocol::{RequestId, WorkerEvent};

mod common;
use common::empty_console;

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

/// Delivers `n` generated sign-ins to `app` as 1,000-item `SignInPage`s, each parsed from
/// its JSON bytes; `after_pages` runs before `SignInsDone` (which triggers the analysis).
/// Returns how long that last update (analysis + timeline) took.
fn load_generated(
    app: &mut App,
    req: RequestId,
    n: usize,
    mut after_pages: impl FnMut(&App),
) -> std::time::Duration {
    common::deliver_pages(app, req, n);
    after_pages(app);
    let t = std::time::Instant::now();
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    t.elapsed()
}

/// A console at 120×36 with the suspect found and `n` generated sign-ins loaded and analysed.
fn loaded_app(n: usize) -> App {
    let (mut app, req) = empty_console();
    load_generated(&mut app, req, n, |_| {});
    app
}

/// `app`: the console the memory measurement loaded, else `n` sign-ins are loaded here.
fn render_million(c: &mut Criterion, app: Option<App>, n: usize) {
    let app = app.unwrap_or_else(|| loaded_app(n));
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

/// Prints the resident memory each loaded sign-in costs above the empty console, after the
/// pages are delivered and after the analysis `SignInsDone` triggers; returns the console.
fn memory_per_sign_in() -> App {
    // `PERF_SIGN_INS=200000` for a quicker look; the documented figure uses the default.
    let n: usize = std::env::var("PERF_SIGN_INS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mib = |b: u64| b as f64 / 1048576.0;
    let (mut app, req) = empty_console();
    let before = rss();
    let mut after_pages = 0;
    let analysis = load_generated(&mut app, req, n, |_| after_pages = rss());
    let after_analysis = rss();
    let rows = app.panes.sign_ins.state.data().map_or(0, |s| s.len());
    assert_eq!(rows, n, "every generated sign-in is loaded");
    let per = |after: u64| after.saturating_sub(before) as f64 / n as f64;
    println!(
        "memory: {n} sign-ins parsed from JSON pages: RSS {:.1} MiB empty → {:.1} MiB loaded \
         = {:.0} bytes per sign-in → {:.1} MiB after the analysis = {:.0} bytes per sign-in \
         (size_of::<SignIn>() = {} bytes inline, timeline rows {}); the analysis and \
         timeline of SignInsDone took {:.2} s",
        mib(before),
        mib(after_pages),
        per(after_pages),
        mib(after_analysis),
        per(after_analysis),
        std::mem::size_of::<SignIn>(),
        app.panes.inv.timeline.len(),
        analysis.as_secs_f64(),
    );
    app
}

/// Whether the command line's filter (criterion's first positional argument) selects `name`.
fn wanted(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(std::time::Duration::from_secs(4))
        .configure_from_args();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (skip the heavy load).
    let benching = std::env::args().any(|a| a == "--bench");
    let app = (benching && wanted("memory")).then(memory_per_sign_in);
    parse_pages(&mut c);
    if !benching || wanted("render_frame_1m_sign_ins") {
        // `cargo test --benches` only checks that the benches run: a small load will do.
        render_million(&mut c, app, if benching { 1_000_000 } else { 2_000 });
    }
    c.final_summary();
}
