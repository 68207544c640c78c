//! Geography and number formatting: great-circle distance and human-readable figures.

/// Mean Earth radius, km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance between two `(lat, lon)` points in degrees, km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let dlat = lat2 - lat1;
    let dlon = lon2 - lon1;
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// `4512` → `"4,512"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A speed rounded to two significant figures (`6,600 km/h`), as a person would say it.
pub fn speed_label(kmh: f64) -> String {
    if !kmh.is_finite() {
        return "instantaneous".to_owned();
    }
    let step = if kmh >= 10_000.0 {
        1000.0
    } else if kmh >= 1000.0 {
        100.0
    } else {
        10.0
    };
    format!("{} km/h", thousands(((kmh / step).round() * step) as u64))
}

/// `41 min`, `3 h 05 min`, `2 d 4 h`.
pub fn duration_label(minutes: i64) -> String {
    let m = minutes.max(0);
    if m < 120 {
        format!("{m} min")
    } else if m < 48 * 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{} d {} h", m / 1440, (m % 1440) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_right() {
        let ams = (52.37, 4.90);
        let los = (6.45, 3.39);
        let d = haversine_km(ams, los);
        assert!((5050.0..5150.0).contains(&d), "{d}");
        assert!(haversine_km(ams, ams) < 0.001);
        // Antipodes stay finite.
        let d = haversine_km((0.0, 0.0), (0.0, 180.0));
        assert!((20_000.0..20_040.0).contains(&d), "{d}");
    }

    #[test]
    fn labels() {
        assert_eq!(thousands(4512), "4,512");
        assert_eq!(thousands(12), "12");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(speed_label(6_603.0), "6,600 km/h");
        assert_eq!(speed_label(912.0), "910 km/h");
        assert_eq!(speed_label(f64::INFINITY), "instantaneous");
        assert_eq!(duration_label(41), "41 min");
        assert_eq!(duration_label(185), "3 h 05 min");
        assert_eq!(duration_label(3000), "2 d 2 h");
    }
}
