//! Network identity of a sign-in address: the IPv4 /24 or IPv6 /48 it belongs to, and CIDR
//! ranges for trusted networks and VPN egresses.

use std::net::IpAddr;

/// The network an address belongs to: a new address inside a known network is not new.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetKey {
    /// IPv4 /24.
    V4([u8; 3]),
    /// IPv6 /48.
    V6([u16; 3]),
    /// Not an address Graph should send; compared verbatim (lower-case).
    Other(String),
}

impl NetKey {
    /// The network of `ip`, or `None` for an empty string.
    pub fn of(ip: &str) -> Option<Self> {
        let raw = ip.trim();
        if raw.is_empty() {
            return None;
        }
        Some(match parse_ip(raw) {
            Some(IpAddr::V4(a)) => {
                let o = a.octets();
                Self::V4([o[0], o[1], o[2]])
            }
            Some(IpAddr::V6(a)) => {
                let s = a.segments();
                Self::V6([s[0], s[1], s[2]])
            }
            None => Self::Other(raw.to_ascii_lowercase()),
        })
    }

    /// `192.0.2.0/24`, `2001:db8:1::/48`.
    pub fn label(&self) -> String {
        match self {
            Self::V4([a, b, c]) => format!("{a}.{b}.{c}.0/24"),
            Self::V6([a, b, c]) => format!("{a:x}:{b:x}:{c:x}::/48"),
            Self::Other(s) => s.clone(),
        }
    }
}

/// Parses an address as Graph writes it; IPv4-mapped IPv6 becomes IPv4.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = s.parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    })
}

/// An address range (`203.0.113.0/24`, `2001:db8::/32`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `addr/prefix` or a bare address; `None` when malformed.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.trim().parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr = parse_ip(a)?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = p.unwrap_or(max);
        (prefix <= max).then_some(Self { addr, prefix })
    }

    /// Whether `ip` lies inside the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The label of the first trusted range containing `ip` (VPN name or "trusted range").
pub fn trusted_label<'a>(ip: &str, ranges: &'a [(Cidr, String)]) -> Option<&'a str> {
    let ip = parse_ip(ip)?;
    ranges
        .iter()
        .find(|(c, _)| c.contains(ip))
        .map(|(_, l)| l.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_group_addresses() {
        assert_eq!(NetKey::of("192.0.2.7"), NetKey::of("192.0.2.200"));
        assert_ne!(NetKey::of("192.0.2.7"), NetKey::of("192.0.3.7"));
        // A mobile carrier hands out a new address inside the same /48.
        assert_eq!(
            NetKey::of("2001:db8:aa:1::5"),
            NetKey::of("2001:db8:aa:ffff:1234::9")
        );
        assert_ne!(NetKey::of("2001:db8:aa::1"), NetKey::of("2001:db8:ab::1"));
        assert_eq!(NetKey::of("::ffff:192.0.2.1"), NetKey::of("192.0.2.9"));
        assert_eq!(NetKey::of("  "), None);
        assert_eq!(
            NetKey::of("not-an-ip"),
            Some(NetKey::Other("not-an-ip".into()))
        );
        assert_eq!(
            NetKey::of("2001:db8:aa::1").unwrap().label(),
            "2001:db8:aa::/48"
        );
    }

    #[test]
    fn cidr_contains() {
        let c = Cidr::parse("198.51.100.0/24").unwrap();
        assert!(c.contains(parse_ip("198.51.100.77").unwrap()));
        assert!(!c.contains(parse_ip("198.51.101.1").unwrap()));
        assert!(!c.contains(parse_ip("2001:db8::1").unwrap()));
        let all = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(all.contains(parse_ip("8.8.8.8").unwrap()));
        let one = Cidr::parse("203.0.113.9").unwrap();
        assert!(one.contains(parse_ip("203.0.113.9").unwrap()));
        assert!(!one.contains(parse_ip("203.0.113.8").unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(parse_ip("2001:db8:ffff::1").unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("garbage/8").is_none());
        let ranges = vec![(c, "Corp VPN".to_owned())];
        assert_eq!(trusted_label("198.51.100.3", &ranges), Some("Corp VPN"));
        assert_eq!(trusted_label("198.51.99.3", &ranges), None);
    }
}
