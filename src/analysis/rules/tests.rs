//! Tests of the inbox-rule indicator.

use super::super::testkit::*;
use super::super::{Thresholds, analyse};
use super::*;
use crate::graph::models::{
    EmailAddress, MessageRuleActions, Organization, Recipient, TenantText, VerifiedDomain,
};

fn org() -> Organization {
    Organization {
        id: "t1".into(),
        verified_domains: ["contoso.com", "contoso.onmicrosoft.com"]
            .iter()
            .map(|d| VerifiedDomain {
                name: TenantText::new(*d),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn to(addr: &str) -> Recipient {
    Recipient {
        email_address: EmailAddress {
            name: TenantText::default(),
            address: TenantText::new(addr),
        },
    }
}

fn rule(id: &str, name: &str, actions: MessageRuleActions) -> MessageRule {
    MessageRule {
        id: id.into(),
        display_name: TenantText::new(name),
        is_enabled: Some(true),
        actions: Some(actions),
        ..Default::default()
    }
}

fn folder(id: &str, name: &str, items: i64) -> MailFolder {
    MailFolder {
        id: id.into(),
        display_name: TenantText::new(name),
        total_item_count: Some(items),
        ..Default::default()
    }
}

fn run(rules: Vec<MessageRule>) -> Vec<Finding> {
    let mut ev = evidence();
    ev.tenant = Some(org());
    ev.rules = rules;
    ev.mail_folders = vec![
        folder("f-rss", "RSS Feeds", 0),
        folder("f-news", "Newsletters", 812),
        folder("f-new", "x", 2),
    ];
    analyse(&ev, &Thresholds::default()).findings
}

#[test]
fn external_forwarding_is_high_internal_is_not_flagged() {
    let f = run(vec![
        rule(
            "ext",
            "Fwd",
            MessageRuleActions {
                forward_to: vec![to("boss@contoso.com"), to("drop@evil.example")],
                ..Default::default()
            },
        ),
        rule(
            "int",
            "To assistant",
            MessageRuleActions {
                redirect_to: vec![to("assistant@eu.contoso.com"), to("x@CONTOSO.COM.")],
                ..Default::default()
            },
        ),
    ]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        f[0].evidence,
        vec![EvidenceRef::flagged(ObjectType::MessageRule, "ext")]
    );
    assert_eq!(f[0].severity, Severity::High);
    assert!(f[0].summary.contains("drop@evil.example"));
    assert!(!f[0].summary.contains("boss@contoso.com"));
}

#[test]
fn classic_hiding_rule_combines_reasons() {
    let f = run(vec![rule(
        "bec",
        "..",
        MessageRuleActions {
            move_to_folder: Some("f-rss".into()),
            mark_as_read: Some(true),
            ..Default::default()
        },
    )]);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::High);
    assert!(f[0].summary.contains("\"RSS Feeds\""), "{}", f[0].summary);
    assert!(f[0].summary.contains("punctuation"));
    assert!(f[0].summary.contains("marks mail as read"));
}

#[test]
fn single_reasons_and_benign_rules() {
    let mark = rule(
        "mark",
        "Read receipts",
        MessageRuleActions {
            mark_as_read: Some(true),
            ..Default::default()
        },
    );
    let del = rule(
        "del",
        "Spam",
        MessageRuleActions {
            delete: Some(true),
            ..Default::default()
        },
    );
    let news = rule(
        "news",
        "Newsletters",
        MessageRuleActions {
            move_to_folder: Some("f-news".into()),
            ..Default::default()
        },
    );
    let rare = rule(
        "rare",
        "Invoices",
        MessageRuleActions {
            move_to_folder: Some("f-new".into()),
            ..Default::default()
        },
    );
    let f = run(vec![mark, del, news, rare]);
    let got: Vec<_> = f
        .iter()
        .map(|f| (f.evidence[0].id.as_str(), f.severity))
        .collect();
    assert!(got.contains(&("mark", Severity::Low)));
    assert!(got.contains(&("del", Severity::Medium)));
    assert!(got.contains(&("rare", Severity::Medium)));
    assert!(!got.iter().any(|(id, _)| *id == "news"), "{got:?}");
}

#[test]
fn read_only_rule_is_info() {
    let mut r = rule("ro", "Legacy", MessageRuleActions::default());
    r.is_read_only = Some(true);
    r.actions = None;
    let f = run(vec![r]);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].summary.contains("partly"));
}

#[test]
fn domain_helpers() {
    let d = vec!["contoso.com".to_owned()];
    assert_eq!(is_internal("a@contoso.com", &d), Some(true));
    assert_eq!(is_internal("a@sub.contoso.com", &d), Some(true));
    assert_eq!(is_internal("a@evilcontoso.com", &d), Some(false));
    assert_eq!(is_internal("a@contoso.com.evil.io", &d), Some(false));
    assert_eq!(is_internal("no-at-sign", &d), None);
    assert!(is_punctuation_name(" . "));
    assert!(is_punctuation_name(""));
    assert!(!is_punctuation_name("a."));
}
