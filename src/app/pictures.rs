//! The data behind the pictures: sign-ins per hour or per day (ok, failed, risky), and the
//! travel legs between consecutive successful sign-in locations, with the legs faster than
//! the configured speed marked impossible. Pure: the views in ui/chart.rs and ui/map.rs draw.

use chrono::{DateTime, Duration, DurationRound, Utc};

use super::App;
use crate::analysis::Thresholds;
use crate::analysis::geo::haversine_km;
use crate::graph::models::SignIn;
use crate::overlay::Overlay;
use crate::protocol::PaneId;
use crate::window::Window;

/// Which picture is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// Sign-ins per hour or per day.
    Chart,
    /// Sign-in locations on a world map.
    Map,
}

/// One bar of the chart. The three counts are disjoint: a risky sign-in (risk low or more)
/// counts as risky whether it succeeded or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// Start of the hour or day (UTC).
    pub start: DateTime<Utc>,
    /// Succeeded, not risky.
    pub ok: usize,
    /// Failed, not risky.
    pub failed: usize,
    /// Risky.
    pub risky: usize,
}

impl Bucket {
    /// All sign-ins of the bar.
    pub fn total(&self) -> usize {
        self.ok + self.failed + self.risky
    }
}

/// The chart's bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// One bar per hour (windows up to two days) or per day.
    pub hourly: bool,
    /// Bars, oldest first, covering the window.
    pub buckets: Vec<Bucket>,
}

/// Counts `rows` per hour (window ≤ 2 days) or per day; rows outside the window are left out.
pub fn series<'a>(rows: impl IntoIterator<Item = &'a SignIn>, window: &Window) -> Series {
    let hourly = window.end - window.start <= Duration::days(2);
    let step = if hourly {
        Duration::hours(1)
    } else {
        Duration::days(1)
    };
    let first = window.start.duration_trunc(step).unwrap_or(window.start);
    let mut buckets = Vec::new();
    let mut t = first;
    while t < window.end && buckets.len() < 10_000 {
        buckets.push(Bucket {
            start: t,
            ok: 0,
            failed: 0,
            risky: 0,
        });
        t += step;
    }
    for s in rows {
        let Some(at) = s.created_date_time else {
            continue;
        };
        if at < window.start || at >= window.end {
            continue;
        }
        let i = ((at - first).num_seconds() / step.num_seconds()).max(0) as usize;
        let Some(b) = buckets.get_mut(i) else {
            continue;
        };
        if s.risk().rank() > 0 {
            b.risky += 1;
        } else if s.succeeded() {
            b.ok += 1;
        } else {
            b.failed += 1;
        }
    }
    Series { hourly, buckets }
}

/// A place sign-ins came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Latitude, longitude.
    pub at: (f64, f64),
    /// Country code (raw tenant text: sanitise before drawing).
    pub country: String,
    /// Sign-ins from here.
    pub count: usize,
}

/// Two consecutive successful sign-ins from different places.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// From (lat, lon).
    pub from: (f64, f64),
    /// To (lat, lon).
    pub to: (f64, f64),
    /// Country codes of both ends (raw).
    pub countries: (String, String),
    /// Great-circle distance, km.
    pub km: f64,
    /// Minutes between the two sign-ins.
    pub minutes: i64,
    /// Implied speed, km/h (infinite when no time passed).
    pub kmh: f64,
    /// Faster than the configured travel speed over at least the minimum distance.
    pub impossible: bool,
}

/// Distinct places of `rows` (same coordinates merged), most used first.
pub fn places<'a>(rows: impl IntoIterator<Item = &'a SignIn>) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    for s in rows {
        let Some(at) = s.location.coordinates() else {
            continue;
        };
        match out.iter_mut().find(|p| p.at == at) {
            Some(p) => p.count += 1,
            None => out.push(Place {
                at,
                country: s.location.country_or_region.raw().trim().to_uppercase(),
                count: 1,
            }),
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.count));
    out
}

/// Legs between consecutive successful sign-ins with coordinates, oldest first. Rows may come
/// in any order; staying in place is not a leg.
pub fn legs<'a>(rows: impl IntoIterator<Item = &'a SignIn>, cfg: &Thresholds) -> Vec<Leg> {
    let mut located: Vec<(&SignIn, DateTime<Utc>, (f64, f64))> = rows
        .into_iter()
        .filter(|s| s.succeeded())
        .filter_map(|s| Some((s, s.created_date_time?, s.location.coordinates()?)))
        .collect();
    located.sort_by_key(|(_, t, _)| *t);
    let mut out = Vec::new();
    for pair in located.windows(2) {
        let [(a, ta, pa), (b, tb, pb)] = pair else {
            continue;
        };
        if pa == pb {
            continue;
        }
        let km = haversine_km(*pa, *pb);
        let minutes = (*tb - *ta).num_minutes();
        let hours = (*tb - *ta).num_seconds() as f64 / 3600.0;
        let kmh = if hours > 0.0 {
            km / hours
        } else {
            f64::INFINITY
        };
        out.push(Leg {
            from: *pa,
            to: *pb,
            countries: (
                a.location.country_or_region.raw().trim().to_uppercase(),
                b.location.country_or_region.raw().trim().to_uppercase(),
            ),
            km,
            minutes,
            kmh,
            impossible: km >= cfg.travel_min_distance_km && kmh > cfg.travel_speed_kmh,
        });
    }
    out
}

impl App {
    /// The sign-ins the pictures show: the Sign-ins pane's rows after its filter.
    pub fn shown_sign_ins(&self) -> Vec<&SignIn> {
        let Some(data) = self.panes.sign_ins.state.data() else {
            return Vec::new();
        };
        let pane = PaneId::SignIns;
        (0..self.visible_len(pane))
            .filter_map(|pos| {
                self.panes
                    .inv
                    .sign_in_at(data, self.row_index(pane, pos))
                    .map(|(s, _)| s)
            })
            .collect()
    }

    /// Opens `picture` (or switches the open picture to it).
    pub(super) fn show_picture(&mut self, picture: Picture) -> bool {
        if let Some(Overlay::Picture(p)) = self.overlays.last_mut() {
            let changed = *p != picture;
            *p = picture;
            return changed;
        }
        self.overlays.push(Overlay::Picture(picture));
        true
    }
}
