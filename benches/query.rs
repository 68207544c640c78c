//! Filter and sort of a million sign-ins (issue #7, docs/performance.md): the time from the
//! analyst's Enter to the final row order, i.e. `set_filter`/`set_sort` and every `Msg::Work`
//! slice the event loop would run after it. Before the benches, the longest single slice of
//! each is printed: that is how long input can wait. Rows come from the simulator's `--scale`
//! generator (parsed from its JSON as the console would). Run: `cargo bench --bench query`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};

use entra_triage::app::{App, Msg};
use entra_triage::protocol::PaneId;

mod common;
use common::PAGE;

const ROWS: usize = 1_000_000;

/// A console at 120×36 with the suspect found and `n` generated sign-ins loaded, delivered
/// as pages of 1,000 parsed from their JSON as the worker parses them.
fn loaded_app(n: usize) -> App {
    let (mut app, req) = common::empty_console();
    common::deliver_pages(&mut app, req, n);
    // No `SignInsDone`: it would start the analysis of the million rows, which is not what
    // is measured here (the rows are all there while the pane says it is loading).
    drain(&mut app);
    app
}

/// Runs the slices the event loop would run until the order is final; the longest slice.
fn drain(app: &mut App) -> Duration {
    let mut longest = Duration::ZERO;
    while app.has_work() {
        let t = Instant::now();
        app.update(Msg::Work);
        longest = longest.max(t.elapsed());
    }
    longest
}

const FILTERS: &[(&str, &str)] = &[
    ("country_ne_nl", "country != NL"),
    ("app_contains_office", "app ~ \"office\""),
    ("failed_and_ip_102", "status = failed and ip ~ \"102.\""),
];

const SORTS: &[(&str, &str, bool)] = &[
    ("time_asc", "time", false),
    ("time_desc", "time", true),
    ("app_asc", "app", false),
    ("app_desc", "app", true),
    ("ip_asc", "ip", false),
    ("ip_desc", "ip", true),
];

fn filter(app: &mut App, text: &str) -> Duration {
    app.set_filter(PaneId::SignIns, text).unwrap();
    drain(app)
}

fn sort(app: &mut App, field: &str, reverse: bool) -> Duration {
    app.set_sort(PaneId::SignIns, field, reverse).unwrap();
    drain(app)
}

/// Prints, for each bench, the rows shown, the first run (which reads the fields' columns
/// from the rows when no filter or sort used them yet) and the longest slice (how long input
/// can wait).
fn slices(app: &mut App) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for (name, text) in FILTERS {
        let t = Instant::now();
        let longest = filter(app, text);
        println!(
            "query/filter/{name}: {} of {} rows, first run {:.1} ms, longest slice {:.1} ms",
            app.visible_len(PaneId::SignIns),
            app.panes.len(PaneId::SignIns),
            ms(t.elapsed()),
            ms(longest)
        );
    }
    filter(app, "");
    for (name, field, reverse) in SORTS {
        let t = Instant::now();
        let longest = sort(app, field, *reverse);
        println!(
            "query/sort/{name}: first run {:.1} ms, longest slice {:.1} ms",
            ms(t.elapsed()),
            ms(longest)
        );
    }
    sort(app, "none", false);
}

fn queries(c: &mut Criterion) {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (a small console).
    let full = std::env::args().any(|a| a == "--bench");
    let mut app = loaded_app(if full { ROWS } else { 10 * PAGE });
    if full {
        slices(&mut app);
    }
    let mut g = c.benchmark_group("query");
    for (name, text) in FILTERS {
        g.bench_function(format!("filter/{name}"), |b| {
            b.iter(|| {
                filter(&mut app, black_box(text));
                black_box(app.visible_len(PaneId::SignIns))
            })
        });
    }
    filter(&mut app, "");
    for (name, field, reverse) in SORTS {
        g.bench_function(format!("sort/{name}"), |b| {
            b.iter(|| {
                sort(&mut app, field, *reverse);
                black_box(app.row_index(PaneId::SignIns, 0))
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = queries
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
