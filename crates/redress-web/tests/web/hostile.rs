//! The API's JSON decoder fuzzed through the real router: bodies made from a seeded
//! generator (valid and broken JSON, known and unknown fields, every JSON type, control
//! characters, invalid UTF-8). Each is answered 201/200 or refused with a problem naming
//! a field, never a failure, and every contact made can be read back. `FUZZ_CASES` sets how
//! many bodies (CI runs many more) and `FUZZ_SEED` the seed, printed so a failure replays.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redress_app::access::Principal;
use redress_domain::contact::ContactInput;
use redress_testkit::web::{TestApp, on_each_backend};
use serde_json::{Map, Value};

/// A small linear congruential generator: enough variety, and replayable from its seed.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 17
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const PLAUSIBLE: &[&str] = &[
    "complaint",
    "comment",
    "compliment",
    "service-request",
    "email",
    "phone",
    "api",
    "letter",
    "myself",
    "someone-else",
    "anonymous",
    "yes",
    "no",
    "2026-02-29",
    "2025-13-01",
    "09:30",
    "25:61",
    "SW1A 1AA",
    "b@example.org",
    "not an email",
    "+44 7700 900123",
    "social-rent",
    "Damp in the bedroom",
    "",
];

fn text(r: &mut Seeded) -> String {
    const PIECES: &[&str] = &[
        "a", "Z", " ", "\"", "'", "\\", "\u{0}", "\u{7}", "\r\n", "\t", "é", "漢", "😀",
        "\u{feff}", "\u{202e}", "<script>", "=cmd|", "%00", "{", "]", "-", "0", "9",
    ];
    if r.below(3) == 0 {
        return r.pick(PLAUSIBLE).to_string();
    }
    let mut s = String::new();
    let long = if r.below(20) == 0 { 3_000 } else { 12 };
    for _ in 0..r.below(long) {
        s.push_str(r.pick(PIECES));
    }
    s
}

fn value(r: &mut Seeded, depth: u32) -> Value {
    match r.below(if depth > 2 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(r.below(2) == 0),
        2 => Value::from(r.next() as i64 - (1 << 45)),
        3 => serde_json::Number::from_f64(f64::from_bits(r.next() << 17))
            .map(Value::Number)
            .unwrap_or(Value::Null),
        4 | 5 => Value::String(text(r)),
        6 => Value::Array((0..r.below(5)).map(|_| value(r, depth + 1)).collect()),
        _ => Value::Object(
            (0..r.below(5))
                .map(|_| (text(r), value(r, depth + 1)))
                .collect(),
        ),
    }
}

fn body(r: &mut Seeded, fields: &[String]) -> Vec<u8> {
    match r.below(10) {
        // Bytes, often not UTF-8 and seldom JSON.
        0 => (0..r.below(200)).map(|_| r.next() as u8).collect(),
        // Any JSON at all.
        1 => value(r, 0).to_string().into_bytes(),
        // JSON cut short.
        2 => {
            let whole = value(r, 0).to_string();
            let cut = r.below(whole.len().max(1));
            whole.as_bytes()[..cut].to_vec()
        }
        // A good complaint with one or two answers changed, to reach past the checks.
        3 | 4 => {
            let mut map: Map<String, Value> = serde_json::from_str(
                r#"{"kind":"complaint","channel":"api","who":"myself","name":"Bethan Morgan","email":"b@example.org","summary":"Damp in the bedroom"}"#,
            )
            .unwrap();
            for _ in 0..r.below(3) {
                let name = fields[r.below(fields.len())].clone();
                let v = if r.below(3) == 0 {
                    value(r, 1)
                } else {
                    Value::String(text(r))
                };
                map.insert(name, v);
            }
            Value::Object(map).to_string().into_bytes()
        }
        // An object of mostly known fields, with values of every type.
        _ => {
            let mut map = Map::new();
            for _ in 0..r.below(14) {
                let name = if r.below(8) == 0 {
                    text(r)
                } else {
                    fields[r.below(fields.len())].clone()
                };
                let v = if r.below(2) == 0 {
                    Value::String(r.pick(PLAUSIBLE).to_string())
                } else {
                    value(r, 1)
                };
                map.insert(name, v);
            }
            Value::Object(map).to_string().into_bytes()
        }
    }
}

#[tokio::test]
async fn any_json_body_is_accepted_or_refused_with_a_field() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_201);
    eprintln!("FUZZ_SEED={seed} FUZZ_CASES={cases}");
    let fields: Vec<String> = match serde_json::to_value(ContactInput::default()) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        other => panic!("the input's fields: {other:?}"),
    };
    on_each_backend(|t: TestApp| {
        let fields = fields.clone();
        async move {
            let token = t
                .app
                .issue_api_token(&Principal::System, "officer@test.org", "fuzz")
                .await
                .unwrap();
            let mut r = Seeded(seed);
            let mut created = 0;
            for n in 0..cases {
                let bytes = body(&mut r, &fields);
                let shown = String::from_utf8_lossy(&bytes)
                    .chars()
                    .take(300)
                    .collect::<String>();
                let request = Request::post("/api/contacts")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::from(bytes))
                    .unwrap();
                let reply = t.send(request).await;
                match reply.status {
                    StatusCode::CREATED => {
                        created += 1;
                        let json: Value = serde_json::from_str(&reply.body).unwrap();
                        let reference = json["contact"]["reference"].as_str().unwrap();
                        let read = Request::get(format!("/api/contacts/{reference}"))
                            .header(header::AUTHORIZATION, format!("Bearer {token}"))
                            .body(Body::empty())
                            .unwrap();
                        assert_eq!(
                            t.send(read).await.status,
                            StatusCode::OK,
                            "case {n}: {shown}"
                        );
                    }
                    StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                        let json: Value = serde_json::from_str(&reply.body).unwrap_or_else(|e| {
                            panic!("case {n}: not a problem ({e}): {}", reply.body)
                        });
                        let named = json["errors"].as_array().is_some_and(|e| {
                            !e.is_empty() && e.iter().all(|f| f["field"].is_string())
                        });
                        assert!(
                            named,
                            "case {n}: refused without naming a field: {} for {shown}",
                            reply.body
                        );
                    }
                    other => panic!("case {n}: answered {other}: {} for {shown}", reply.body),
                }
            }
            // The generator must reach the decoder's far side too, or this proves little.
            assert!(created > 0 || cases < 50, "no body was accepted in {cases}");
        }
    })
    .await;
}
