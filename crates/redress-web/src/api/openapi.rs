//! The OpenAPI document describing the API.

use axum::Json;
use axum::response::{IntoResponse, Response};
use redress_domain::contact::ContactInput;
use serde_json::{Value, json};

pub(crate) async fn openapi() -> Response {
    let fields: serde_json::Map<String, Value> = serde_json::to_value(ContactInput::default())
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
        .keys()
        .map(|k| (k.clone(), json!({"type": "string"})))
        .collect();
    let problem_ref = json!({"$ref": "#/components/schemas/Problem"});
    let problem_response = |d: &str| json!({"description": d, "content": {"application/problem+json": {"schema": problem_ref}}});
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Redress API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Complaints, comments and compliments case management."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "ContactInput": {"type": "object", "additionalProperties": false, "properties": fields,
                    "required": ["kind", "channel", "summary"],
                    "description": "The same fields as the staff form. Choices use the identifiers shown in the form (for example kind: complaint, service-request, comment, compliment, other-route). Dates are YYYY-MM-DD; yes/no fields accept true/false."},
                "Problem": {"type": "object", "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/contacts": {
                "post": {"summary": "Record a contact", "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false,
                        "description": "Repeat a request with the same key to get the same contact back, never a second one.", "schema": {"type": "string"}}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContactInput"}}}},
                    "responses": {"201": {"description": "Recorded; the case"}, "200": {"description": "Already recorded with this key; the case"},
                        "400": problem_response("Malformed JSON"), "401": problem_response("No valid token"),
                        "403": problem_response("Role may not record contacts"), "422": problem_response("Invalid fields")}},
                "get": {"summary": "List and search cases", "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "kind", "in": "query", "schema": {"type": "string"}},
                        {"name": "status", "in": "query", "schema": {"type": "string"}},
                        {"name": "stage", "in": "query", "schema": {"type": "integer"}},
                        {"name": "service_area", "in": "query", "schema": {"type": "string"}},
                        {"name": "assignee", "in": "query", "description": "A user id: cases where they are the complaints officer or case worker", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
                    "responses": {"200": {"description": "A page of cases"}, "401": problem_response("No valid token"), "422": problem_response("Invalid parameters")}}
            },
            "/api/contacts/{reference}": {
                "get": {"summary": "Get a case with its deadlines and history",
                    "parameters": [{"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The case"}, "401": problem_response("No valid token"), "404": problem_response("No such case")}}
            },
            "/api/reports/measures": {
                "get": {"summary": "Every performance measure for a period (see docs/reporting.md)",
                    "parameters": [
                        {"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}},
                        {"name": "to", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}},
                        {"name": "service_area", "in": "query", "description": "A service area's name or id", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The measures"}, "401": problem_response("No valid token"),
                        "403": problem_response("Role may not read reports"), "422": problem_response("Invalid period or service area")}}
            },
            "/api/reports/tsm": {
                "get": {"summary": "CH01 and CH02 (main and strict) for a financial year",
                    "parameters": [{"name": "year", "in": "query", "required": true, "description": "The year the financial year starts in", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "The measures"}, "401": problem_response("No valid token"),
                        "403": problem_response("Role may not read reports"), "422": problem_response("Invalid year")}}
            },
            "/api/import/cases": {
                "post": {"summary": "Import historic cases from CSV (see docs/importing.md); administrators only",
                    "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
                    "responses": {"200": {"description": "Imported: counts of cases imported and already there"},
                        "422": {"description": "Nothing imported: every rejected row with its column and message"},
                        "401": problem_response("No valid token"), "403": problem_response("Not an administrator")}}
            },
            "/api/token/rotate": {
                "post": {"summary": "Exchange this bearer token for a new one, working for a year; the old one stops at once",
                    "responses": {"200": {"description": "The new token and when it expires",
                            "content": {"application/json": {"schema": {"type": "object", "required": ["token", "expires_at"],
                                "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}}}}},
                        "401": problem_response("No valid token, or it has expired")}}
            },
            "/healthz": {"get": {"summary": "Health check", "security": [], "responses": {"200": {"description": "Serving"}, "503": {"description": "Database unavailable"}}}}
        }
    }))
    .into_response()
}
