//! `@odata.nextLink` paging as a stream of [`Page`]s: links are followed verbatim (never
//! rebuilt) but only on the Graph host; items that fail to deserialize are skipped and
//! counted in the log, never failing the page. The stream ends after the first error.

use futures::StreamExt;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;
use url::Url;

use super::client::{ApiVersion, GraphClient, Page};
use super::error::GraphError;

/// What the stream does next.
enum Next {
    Fetch(Url),
    Fail(GraphError),
    Done,
}

impl GraphClient {
    /// Pages of a collection, following `@odata.nextLink` verbatim.
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        v: ApiVersion,
        path_and_query: String,
    ) -> BoxStream<'static, Result<Page<T>, GraphError>> {
        let first = match self.url_for(v, &path_and_query, "GET") {
            Ok(u) => Next::Fetch(u),
            Err(e) => Next::Fail(e),
        };
        let client = self.clone();
        futures::stream::unfold((client, first, 0usize), |(client, next, n)| async move {
            match next {
                Next::Done => None,
                Next::Fail(e) => Some((Err(e), (client, Next::Done, n))),
                Next::Fetch(url) => match client.get_url(url.clone()).await {
                    Err(e) => Some((Err(e), (client, Next::Done, n))),
                    Ok((raw, request_id)) => {
                        let number = n + 1;
                        let link = next_link(&raw);
                        let items = items_of::<T>(&raw, &url);
                        let next = match &link {
                            None => Next::Done,
                            Some(l) => match client.next_url(l, &url) {
                                Ok(u) => Next::Fetch(u),
                                Err(e) => Next::Fail(e),
                            },
                        };
                        let page = Page {
                            items,
                            raw,
                            request_id,
                            number,
                            has_more: link.is_some(),
                        };
                        Some((Ok(page), (client, next, number)))
                    }
                },
            }
        })
        .boxed()
    }

    /// Every item of every page, merged into one page (for small collections such as
    /// authentication methods). `raw` is the first page with `value` holding all raw items.
    pub async fn all_pages<T: DeserializeOwned + Send + 'static>(
        &self,
        v: ApiVersion,
        path_and_query: String,
    ) -> Result<Page<T>, GraphError> {
        let mut stream = self.pages::<T>(v, path_and_query);
        let mut merged: Option<Page<T>> = None;
        let mut raw_items = Vec::new();
        while let Some(page) = stream.next().await {
            let page = page?;
            if let Some(serde_json::Value::Array(vals)) = page.raw.get("value") {
                raw_items.extend(vals.iter().cloned());
            }
            match &mut merged {
                None => merged = Some(page),
                Some(m) => m.items.extend(page.items),
            }
        }
        let mut page = merged.unwrap_or(Page {
            items: Vec::new(),
            raw: serde_json::json!({"value": []}),
            request_id: None,
            number: 1,
            has_more: false,
        });
        if let serde_json::Value::Object(map) = &mut page.raw {
            map.remove("@odata.nextLink");
            map.insert("value".to_owned(), serde_json::Value::Array(raw_items));
        }
        page.has_more = false;
        Ok(page)
    }
}

fn next_link(raw: &serde_json::Value) -> Option<String> {
    raw.get("@odata.nextLink")
        .and_then(|l| l.as_str())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

/// Deserializes each `value` item on its own; failures are skipped and logged.
fn items_of<T: DeserializeOwned>(raw: &serde_json::Value, url: &Url) -> Vec<T> {
    let Some(serde_json::Value::Array(values)) = raw.get("value") else {
        tracing::warn!(path = url.path(), "graph page without a value array");
        return Vec::new();
    };
    let mut skipped = 0usize;
    let mut first_error = None;
    let items: Vec<T> = values
        .iter()
        .filter_map(|v| match T::deserialize(v) {
            Ok(t) => Some(t),
            Err(e) => {
                skipped += 1;
                first_error.get_or_insert_with(|| e.to_string());
                None
            }
        })
        .collect();
    if skipped > 0 {
        tracing::warn!(
            path = url.path(),
            skipped,
            error = first_error.as_deref().unwrap_or(""),
            "graph items skipped: could not deserialize"
        );
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        id: String,
    }

    #[test]
    fn bad_items_are_skipped_not_fatal() {
        let url = Url::parse("http://h/v1.0/x").unwrap();
        let raw = serde_json::json!({"value": [{"id": "a"}, {"id": 5}, "junk", {"id": "b"}]});
        let items: Vec<Item> = items_of(&raw, &url);
        assert_eq!(
            items,
            vec![Item { id: "a".into() }, Item { id: "b".into() }]
        );
        let none: Vec<Item> = items_of(&serde_json::json!({"id": "single"}), &url);
        assert!(none.is_empty());
        assert_eq!(
            next_link(&serde_json::json!({"@odata.nextLink": " "})),
            None
        );
        assert_eq!(
            next_link(&serde_json::json!({"@odata.nextLink": "http://h/x?$skiptoken=1"}))
                .as_deref(),
            Some("http://h/x?$skiptoken=1")
        );
    }
}
