//! Inbox `messageRule` and `mailFolder` (graph-api.md §9).

use serde::{Deserialize, Serialize};

use super::TenantText;
use super::de::{lenient, null_default};

/// An Inbox rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageRule {
    pub id: String,
    pub display_name: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub sequence: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub is_enabled: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub has_error: Option<bool>,
    /// True for rules this API cannot fully represent: conditions/actions may be missing.
    #[serde(deserialize_with = "lenient")]
    pub is_read_only: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub conditions: Option<MessageRulePredicates>,
    #[serde(deserialize_with = "lenient")]
    pub exceptions: Option<MessageRulePredicates>,
    #[serde(deserialize_with = "lenient")]
    pub actions: Option<MessageRuleActions>,
}

/// `messageRulePredicates` (the string-list and common boolean conditions).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageRulePredicates {
    #[serde(deserialize_with = "null_default")]
    pub body_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub body_or_subject_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub subject_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub sender_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub recipient_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub header_contains: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub from_addresses: Vec<Recipient>,
    #[serde(deserialize_with = "null_default")]
    pub sent_to_addresses: Vec<Recipient>,
    #[serde(deserialize_with = "lenient")]
    pub has_attachments: Option<bool>,
}

/// `messageRuleActions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MessageRuleActions {
    #[serde(deserialize_with = "null_default")]
    pub forward_to: Vec<Recipient>,
    #[serde(deserialize_with = "null_default")]
    pub redirect_to: Vec<Recipient>,
    #[serde(deserialize_with = "null_default")]
    pub forward_as_attachment_to: Vec<Recipient>,
    #[serde(deserialize_with = "lenient")]
    pub delete: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub permanent_delete: Option<bool>,
    pub move_to_folder: Option<String>,
    pub copy_to_folder: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub mark_as_read: Option<bool>,
    pub mark_importance: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub assign_categories: Vec<TenantText>,
    #[serde(deserialize_with = "lenient")]
    pub stop_processing_rules: Option<bool>,
}

impl MessageRuleActions {
    /// Every address the rule sends mail to (forward, redirect, forward-as-attachment).
    pub fn outbound_addresses(&self) -> Vec<&str> {
        self.forward_to
            .iter()
            .chain(&self.redirect_to)
            .chain(&self.forward_as_attachment_to)
            .map(|r| r.email_address.address.raw())
            .filter(|a| !a.trim().is_empty())
            .collect()
    }
}

/// `recipient`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Recipient {
    #[serde(deserialize_with = "null_default")]
    pub email_address: EmailAddress,
}

/// `emailAddress`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EmailAddress {
    pub name: TenantText,
    pub address: TenantText,
}

/// A mail folder (to name a rule's `moveToFolder` and judge how used it is).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MailFolder {
    pub id: String,
    pub display_name: TenantText,
    pub parent_folder_id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub child_folder_count: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub total_item_count: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub unread_item_count: Option<i64>,
    #[serde(deserialize_with = "lenient")]
    pub is_hidden: Option<bool>,
}
