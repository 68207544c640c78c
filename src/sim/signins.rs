//! The sign-in log as one newest-first stream: the tenant file's sign-ins merged with the
//! lazily generated ones (`--scale`). Filters are evaluated per item; top-level `and`
//! conditions on createdDateTime / userId / userPrincipalName narrow the generated range by
//! binary search, so paging through a million items stays cheap.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::filter::{self, CmpOp, Expr, Literal};
use super::generator::Generator;

/// One view of the sign-in log.
pub struct Stream<'a> {
    pub file: &'a [Value],
    pub generator: Option<&'a Generator>,
    pub overrides: &'a HashMap<usize, Map<String, Value>>,
    /// Serving v1.0 items on beta: add `signInEventTypes: ["interactiveUser"]` if missing.
    pub tag_beta: bool,
}

fn ms_of(v: &Value) -> i64 {
    v.get("createdDateTime")
        .and_then(Value::as_str)
        .and_then(filter::parse_datetime)
        .map(|d| d.timestamp_millis())
        .unwrap_or(i64::MIN)
}

fn lit_ms(l: &Literal) -> Option<i64> {
    match l {
        Literal::DateTime(d) => Some(d.timestamp_millis()),
        Literal::Str(s) => filter::parse_datetime(s).map(|d| d.timestamp_millis()),
        _ => None,
    }
}

fn lit_str(l: &Literal) -> Option<&str> {
    match l {
        Literal::Str(s) => Some(s),
        _ => None,
    }
}

impl<'a> Stream<'a> {
    /// The generated ranks that can match `f`: [lo, hi).
    fn generated_range(&self, f: Option<&Expr>) -> (usize, usize) {
        let Some(g) = self.generator else {
            return (0, 0);
        };
        let (mut lo, mut hi) = (0, g.n);
        let Some(f) = f else {
            return (lo, hi);
        };
        for c in filter::conjuncts(f) {
            let Expr::Cmp(path, op, lit) = c else {
                continue;
            };
            let name = path.join("/").to_ascii_lowercase();
            match (name.as_str(), op) {
                ("createddatetime", CmpOp::Ge | CmpOp::Gt) => {
                    if let Some(t) = lit_ms(lit) {
                        hi = hi.min(g.first_before(t));
                    }
                }
                ("createddatetime", CmpOp::Le | CmpOp::Lt | CmpOp::Eq) => {
                    if let Some(t) = lit_ms(lit) {
                        lo = lo.max(g.first_at_or_before(t));
                    }
                    if *op == CmpOp::Eq
                        && let Some(t) = lit_ms(lit)
                    {
                        hi = hi.min(g.first_before(t));
                    }
                }
                ("userid", CmpOp::Eq)
                    if lit_str(lit).is_some_and(|s| !s.eq_ignore_ascii_case(&g.user.id)) =>
                {
                    hi = 0;
                }
                ("userprincipalname", CmpOp::Eq)
                    if lit_str(lit).is_some_and(|s| !s.eq_ignore_ascii_case(&g.user.upn)) =>
                {
                    hi = 0;
                }
                _ => {}
            }
        }
        (lo, hi.max(lo))
    }

    fn tag(&self, mut v: Value) -> Value {
        if self.tag_beta
            && let Value::Object(o) = &mut v
            && !o.contains_key("signInEventTypes")
        {
            o.insert(
                "signInEventTypes".into(),
                Value::Array(vec![Value::String("interactiveUser".into())]),
            );
        }
        v
    }

    /// Generated item `r` with any risk-action overrides applied.
    pub fn generated(&self, r: usize) -> Option<Value> {
        let g = self.generator?;
        let mut v = g.item(r);
        if let (Some(ov), Value::Object(o)) = (self.overrides.get(&r), &mut v) {
            for (k, x) in ov {
                o.insert(k.clone(), x.clone());
            }
        }
        Some(self.tag(v))
    }

    /// One sign-in by id.
    pub fn find(&self, id: &str) -> Option<Value> {
        if let Some(v) = super::tenant::find_by_id(self.file, id) {
            return Some(self.tag(v.clone()));
        }
        let r = self.generator?.rank_of(id)?;
        self.generated(r)
    }

    /// Up to `top` matches from scan position `pos` (file index, generated rank), and the
    /// position of the next match if there is one.
    pub fn page(
        &self,
        f: Option<&Expr>,
        pos: (usize, usize),
        top: usize,
    ) -> (Vec<Value>, Option<(usize, usize)>) {
        let file_ms: Vec<i64> = self.file.iter().map(ms_of).collect();
        let (lo, hi) = self.generated_range(f);
        let (mut fi, mut gi) = (pos.0, pos.1.max(lo));
        let mut out = Vec::new();
        let test = |v: &Value| f.is_none_or(|e| filter::matches(e, v));
        loop {
            let file_next = fi < self.file.len();
            let gen_next = gi < hi;
            let take_file = match (file_next, gen_next) {
                (false, false) => return (out, None),
                (true, false) => true,
                (false, true) => false,
                (true, true) => {
                    let g_ms = self.generator.map(|g| g.ts_ms(gi)).unwrap_or(i64::MIN);
                    file_ms[fi] >= g_ms
                }
            };
            let item = if take_file {
                let v = self.tag(self.file[fi].clone());
                test(&v).then_some(v)
            } else {
                self.generated(gi).filter(|v| test(v))
            };
            if let Some(v) = item {
                if out.len() == top {
                    return (out, Some((fi, gi)));
                }
                out.push(v);
            }
            if take_file {
                fi += 1;
            } else {
                gi += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::generator::ScaleUser;
    use serde_json::json;

    fn generator(n: usize) -> Generator {
        let user = ScaleUser {
            id: "u1".into(),
            upn: "a@x.com".into(),
            display_name: "A".into(),
        };
        Generator::new(n, user, "t".into(), "2026-11-20T12:00:00Z".parse().unwrap())
    }

    #[test]
    fn merges_newest_first_and_pages() {
        let g = generator(50);
        let file = vec![
            json!({"id": "f1", "createdDateTime": "2026-11-20T11:59:59Z", "userId": "u2"}),
            json!({"id": "f2", "createdDateTime": "2026-11-05T00:00:00Z", "userId": "u2"}),
        ];
        let ov = HashMap::new();
        let s = Stream {
            file: &file,
            generator: Some(&g),
            overrides: &ov,
            tag_beta: false,
        };
        let (all, next) = s.page(None, (0, 0), 100);
        assert_eq!(all.len(), 52);
        assert_eq!(next, None);
        assert_eq!(all[0]["id"], "f1");
        let times: Vec<i64> = all.iter().map(ms_of).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]));
        let (p1, next) = s.page(None, (0, 0), 20);
        let (p2, _) = s.page(None, next.unwrap(), 20);
        assert_eq!(p1.len() + p2.len(), 40);
        assert_ne!(p1[19]["id"], p2[0]["id"]);
        let f = filter::parse("userId eq 'u2'").unwrap();
        let (only, _) = s.page(Some(&f), (0, 0), 100);
        assert_eq!(only.len(), 2);
        let f = filter::parse(&format!(
            "createdDateTime ge {}",
            all[10]["createdDateTime"].as_str().unwrap()
        ))
        .unwrap();
        let (recent, _) = s.page(Some(&f), (0, 0), 100);
        assert!(recent.len() >= 11 && recent.len() < 52);
        assert_eq!(s.find(&g.id(3)).unwrap()["id"], g.id(3));
    }
}
