#[test]
fn t() {
    let s = serde_json::json!({"type":"object"});
    assert!(jsonschema::is_valid(&s, &serde_json::json!({})));
}
