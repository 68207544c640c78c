//! Evaluation of a parsed `$filter` ([`super::filter::Expr`]) against a `serde_json::Value`:
//! property paths (lambda variables in scope), case-insensitive strings, date-times compared
//! as instants, numbers, booleans, null.

use serde_json::Value;

use super::filter::{CmpOp, Expr, Literal, StrFn, parse_datetime};

fn resolve<'a>(path: &[String], root: &'a Value, scope: &[(&str, &'a Value)]) -> Option<&'a Value> {
    let (mut cur, rest) = match path.first() {
        Some(first) => match scope.iter().rev().find(|(v, _)| v == first) {
            Some((_, val)) => (*val, &path[1..]),
            None => (root, path),
        },
        None => return Some(root),
    };
    for seg in rest {
        cur = cur.get(seg.as_str())?;
    }
    Some(cur)
}

fn compare(v: Option<&Value>, op: CmpOp, lit: &Literal) -> bool {
    use std::cmp::Ordering;
    let v = v.unwrap_or(&Value::Null);
    let ord: Option<Ordering> = match (v, lit) {
        (Value::Null, Literal::Null) => Some(Ordering::Equal),
        (_, Literal::Null) | (Value::Null, _) => {
            return match op {
                CmpOp::Ne => !(v.is_null() && matches!(lit, Literal::Null)),
                _ => false,
            };
        }
        (Value::String(s), Literal::DateTime(d)) => parse_datetime(s).map(|x| x.cmp(d)),
        (Value::String(s), Literal::Str(l)) => match (parse_datetime(s), parse_datetime(l)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => Some(s.to_lowercase().cmp(&l.to_lowercase())),
        },
        (Value::Number(n), Literal::Num(l)) => n.as_f64().and_then(|x| x.partial_cmp(l)),
        (Value::Bool(b), Literal::Bool(l)) => Some(b.cmp(l)),
        _ => None,
    };
    match ord {
        None => op == CmpOp::Ne,
        Some(o) => match op {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
        },
    }
}

fn eval_in<'a>(e: &'a Expr, root: &'a Value, scope: &mut Vec<(&'a str, &'a Value)>) -> bool {
    match e {
        Expr::Or(a, b) => eval_in(a, root, scope) || eval_in(b, root, scope),
        Expr::And(a, b) => eval_in(a, root, scope) && eval_in(b, root, scope),
        Expr::Not(a) => !eval_in(a, root, scope),
        Expr::Cmp(p, op, lit) => compare(resolve(p, root, scope), *op, lit),
        Expr::In(p, list) => {
            let v = resolve(p, root, scope);
            list.iter().any(|l| compare(v, CmpOp::Eq, l))
        }
        Expr::Str(f, p, arg) => match resolve(p, root, scope) {
            Some(Value::String(s)) => {
                let (s, a) = (s.to_lowercase(), arg.to_lowercase());
                match f {
                    StrFn::StartsWith => s.starts_with(&a),
                    StrFn::EndsWith => s.ends_with(&a),
                    StrFn::Contains => s.contains(&a),
                }
            }
            _ => false,
        },
        Expr::Lambda {
            all,
            path,
            var,
            body,
        } => {
            let Some(Value::Array(items)) = resolve(path, root, scope) else {
                return false;
            };
            let Some(body) = body else {
                return !items.is_empty();
            };
            let mut test = |item: &'a Value| {
                scope.push((var.as_str(), item));
                let r = eval_in(body, root, scope);
                scope.pop();
                r
            };
            if *all {
                items.iter().all(&mut test)
            } else {
                items.iter().any(&mut test)
            }
        }
    }
}

/// True when `item` satisfies `expr`.
pub fn matches(expr: &Expr, item: &Value) -> bool {
    let mut scope = Vec::new();
    eval_in(expr, item, &mut scope)
}

/// The top-level conjuncts of `expr` (the whole expression when it is not an `and`).
pub fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::And(a, b) => {
            let mut v = conjuncts(a);
            v.extend(conjuncts(b));
            v
        }
        e => vec![e],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::filter::parse;
    use serde_json::json;

    fn m(f: &str, v: &Value) -> bool {
        matches(&parse(f).unwrap(), v)
    }

    #[test]
    fn basic_forms() {
        let s = json!({"userId": "AB-1", "ipAddress": "131.107.1.2", "status": {"errorCode": 50126},
            "createdDateTime": "2026-11-20T10:00:00Z", "location": {"countryOrRegion": "NL"},
            "signInEventTypes": ["nonInteractiveUser"],
            "targetResources": [{"id": "u1"}, {"id": "u2"}], "accountEnabled": true});
        assert!(m("userId eq 'ab-1'", &s));
        assert!(m("startsWith(ipAddress,'131.107.')", &s));
        assert!(m("status/errorCode eq 50126", &s));
        assert!(!m("status/errorCode eq 0", &s));
        assert!(m(
            "createdDateTime ge 2026-11-20T09:59:59Z and createdDateTime le 2026-11-20T10:00:00.000Z",
            &s
        ));
        assert!(!m("createdDateTime gt 2026-11-20T10:00:00Z", &s));
        assert!(m(
            "location/countryOrRegion eq 'nl' or ipAddress eq 'x'",
            &s
        ));
        assert!(m(
            "(ipAddress eq 'x' or userId eq 'ab-1') and not (status/errorCode eq 0)",
            &s
        ));
        assert!(m("signInEventTypes/any(t: t eq 'nonInteractiveUser')", &s));
        assert!(!m("signInEventTypes/any(t:t eq 'interactiveUser')", &s));
        assert!(m("targetResources/any(t: t/id eq 'u2')", &s));
        assert!(m("accountEnabled eq true and missing eq null", &s));
        assert!(m("userId in ('x', 'ab-1')", &s));
        assert!(m("createdDateTime ge 2026-11-20T11:00:00+02:00", &s));
    }

    #[test]
    fn quoting_and_guids() {
        let v = json!({"displayName": "O'Brien", "resourceId": "8e881353-1735-45af-af21-ee1344582a4d",
            "riskLevel": "high"});
        assert!(m("displayName eq 'o''brien'", &v));
        assert!(m("resourceId eq 8E881353-1735-45af-af21-ee1344582a4d", &v));
        assert!(m("riskLevel eq microsoft.graph.riskLevel'high'", &v));
        assert_eq!(
            parse("displayName eq 'it''s'").unwrap(),
            Expr::Cmp(
                vec!["displayName".into()],
                CmpOp::Eq,
                Literal::Str("it's".into())
            )
        );
    }
}
