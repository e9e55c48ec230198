//! The OpenAPI document describing the API. It states exactly what each operation accepts
//! and answers; CI holds the API to it with a schema-driven tester (`.ci/api-contract.sh`).

use super::contacts::MAX_PAGE;
use super::contract::contact_schema;
use axum::Json;
use axum::response::{IntoResponse, Response};
use redress_domain::contact::{ContactKind, ContactStatus};
use serde_json::{Value, json};

fn problem(description: &str) -> Value {
    json!({"description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description,
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

/// The answers every operation may give besides its own: no token, and too many requests.
fn common(mut responses: Value) -> Value {
    responses["401"] = problem("No valid token, or it has expired");
    responses["429"] = json!({"description": "Too many requests from this client: wait the seconds given",
        "headers": {"Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 1}}},
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    responses
}

fn query(name: &str, required: bool, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema, "description": description})
}

fn schemas() -> Value {
    let statuses: Vec<&str> = ContactStatus::ALL.iter().map(|s| s.as_str()).collect();
    json!({
        "ContactInput": contact_schema(),
        "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}},
        "Case": {"type": "object",
            "required": ["reference", "status", "stage", "contact", "deadlines", "events", "scheme"],
            "properties": {
                "reference": {"type": "string"},
                "status": {"enum": statuses},
                "stage": {"type": "integer", "minimum": 0},
                "acknowledge_by": {"type": ["string", "null"], "format": "date"},
                "respond_by": {"type": ["string", "null"], "format": "date"},
                "contact": {"type": "object"},
                "deadlines": {"type": "array"},
                "events": {"type": "array", "description": "The case's history, oldest first"},
                "service_area": {"type": ["object", "null"]},
                "scheme": {"type": "string"},
                "letters": {"type": "array", "description": "Letters and emails about the case, oldest first; an email's private links are hidden",
                    "items": {"type": "object", "required": ["id", "kind", "delivery", "status", "subject", "body"],
                        "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "delivery": {"enum": ["email", "post"]},
                            "status": {"type": "string"}, "subject": {"type": "string"}, "body": {"type": "string"},
                            "created_at": {"type": "string"}, "sent_at": {"type": ["string", "null"]}}}}}},
        "ScrutinyRequest": {"type": "object", "required": ["id", "reference", "status"],
            "properties": {"id": {"type": "string"}, "reference": {"type": "string"}, "status": {"type": "string"},
                "form": {"type": ["object", "null"]}, "route": {"type": ["string", "null"]},
                "signatures": {"type": "integer"}, "threshold": {"type": ["integer", "null"]},
                "decision": {"type": ["object", "null"]}, "appeal": {"type": ["object", "null"]},
                "history": {"type": "array", "items": {"type": "object", "required": ["at", "by", "what"],
                    "properties": {"at": {"type": "string"}, "by": {"type": "string"}, "what": {"type": "string"}}}}}},
        "ActionFields": {"type": "object",
            "description": "The action's form fields by name, as on its page (dates like 2026-04-01, a ticked box as true); `version`, when given, must be the case's current version",
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
        "CaseList": {"type": "object",
            "required": ["items", "total", "total_is_at_least", "page", "per_page", "pages"],
            "properties": {
                "items": {"type": "array", "items": {"type": "object", "required": ["reference"],
                    "properties": {"reference": {"type": "string"}}}},
                "total": {"type": "integer", "minimum": 0},
                "total_is_at_least": {"type": "boolean", "description": "The count stopped early: there are at least `total`"},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 0}}},
        "Report": {"type": "object"},
        "ImportReport": {"type": "object", "required": ["imported", "already_there", "rejected"],
            "properties": {
                "imported": {"type": "integer", "minimum": 0},
                "already_there": {"type": "integer", "minimum": 0},
                "rejected": {"type": "array", "items": {"type": "object", "required": ["row", "field", "message"],
                    "properties": {"row": {"type": "integer"}, "field": {"type": "string"}, "message": {"type": "string"}}}}}},
        "PublishedAnnualReport": {"type": "object", "required": ["year", "version", "published_on", "versions", "report"],
            "properties": {
                "year": {"type": "integer"},
                "version": {"type": "integer", "minimum": 1},
                "published_on": {"type": "string", "format": "date"},
                "versions": {"type": "array", "items": {"type": "object", "required": ["version", "published_on"],
                    "properties": {"version": {"type": "integer"}, "published_on": {"type": "string", "format": "date"}}}},
                "report": {"type": "object", "description": "The figures, the self-assessment and the responses, as approved"}}},
        "NewToken": {"type": "object", "required": ["token", "expires_at"],
            "properties": {"token": {"type": "string"}, "expires_at": {"type": "string"}}}
    })
}

fn paths() -> Value {
    let kinds: Vec<&str> = ContactKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = ContactStatus::ALL.iter().map(|s| s.as_str()).collect();
    let date = json!({"type": "string", "format": "date"});
    json!({
        "/api/contacts": {
            "post": {"summary": "Record a contact", "operationId": "recordContact",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false,
                    "description": "Repeat a request with the same key to get the same contact back, never a second one.",
                    "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContactInput"}}}},
                "responses": common(json!({
                    "201": ok("Recorded; the case", "Case"),
                    "200": ok("Already recorded with this key; the case", "Case"),
                    "400": problem("The body is not JSON"),
                    "403": problem("This role may not record contacts"),
                    "409": problem("This Idempotency-Key was used for a different contact"),
                    "422": problem("Fields that do not fit, each named")}))},
            "get": {"summary": "List and search the cases the caller may see", "operationId": "listContacts",
                "parameters": [
                    query("q", false, json!({"type": "string"}), "Words to search for; the first 200 characters are used"),
                    query("kind", false, json!({"enum": kinds}), "Only this kind"),
                    query("status", false, json!({"enum": statuses}), "Only this status"),
                    query("stage", false, json!({"type": "integer", "minimum": 1, "maximum": 2}), "Only cases at this stage"),
                    query("service_area", false, json!({"type": "string"}), "Only this service area (its id)"),
                    query("assignee", false, json!({"type": "string"}), "A user id: cases where they are the complaints officer or case worker"),
                    query("page", false, json!({"type": "integer", "minimum": 1, "maximum": MAX_PAGE}), "Which page, from 1"),
                    query("per_page", false, json!({"type": "integer", "minimum": 1, "maximum": 200}), "Cases a page; 50 if left out")],
                "responses": common(json!({
                    "200": ok("A page of cases", "CaseList"),
                    "422": problem("Parameters that do not fit, each named")}))}
        },
        "/api/contacts/{reference}": {
            "get": {"summary": "A case with its deadlines and history", "operationId": "readContact",
                "parameters": [{"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": common(json!({
                    "200": ok("The case", "Case"),
                    "403": problem("A role that may not see cases, or a case outside the caller's service areas"),
                    "404": problem("No such case")}))}
        },
        "/api/contacts/{reference}/actions/{action}": {
            "post": {"summary": "Take a staff action on a case: the same fields, permissions and rules as its form on the case page", "operationId": "actOnContact",
                "parameters": [
                    {"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "action", "in": "path", "required": true, "schema": {"enum": crate::staff::actions::api_slugs()},
                        "description": "The action, as named in the address of its form (see docs/api.md)"}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionFields"}}}},
                "responses": common(json!({
                    "200": {"description": "Done; the case as it now is, or only its reference when the action took it out of what the caller may see",
                        "content": {"application/json": {"schema": {"oneOf": [
                            {"$ref": "#/components/schemas/Case"},
                            {"type": "object", "required": ["reference"], "properties": {"reference": {"type": "string"}}, "additionalProperties": false}]}}}},
                    "400": problem("The body is not JSON"),
                    "403": problem("This role may not take this action, or the case is outside the caller's service areas"),
                    "404": problem("No such case or action"),
                    "409": problem("The case changed since the version given"),
                    "422": problem("Fields that do not fit, or the case does not allow the action now, each named")}))}
        },
        "/api/contacts/{reference}/files": {
            "post": {"summary": "Add a file to a case: the same kinds, sizes, limits and permission as the case page", "operationId": "addContactFile",
                "parameters": [{"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                    "required": ["file", "description"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The file, in a part with its file name"},
                        // A multipart part is text whatever it holds: the document gives these no
                        // type, and the server reads the text (a version must be a whole number).
                        "description": {"description": "What the file is, as text"},
                        "version": {"description": "The case's version as read, a whole number (as text, like every part); refused with 409 if it has changed, 422 if it is not a whole number"}}}}}},
                "responses": common(json!({
                    "201": ok("Added; the case as it now is", "Case"),
                    "400": problem("The body is not multipart/form-data"),
                    "403": problem("This role may not add files, or the case is outside the caller's service areas"),
                    "404": problem("No such case"),
                    "409": problem("The case changed since the version given"),
                    "422": problem("A file of a kind not accepted, too large, over the case's limits, or without a description, each named")}))}
        },
        "/api/contacts/{reference}/files/{id}": {
            "get": {"summary": "A file on a case, as a download", "operationId": "readContactFile",
                "parameters": [
                    {"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": common(json!({
                    "200": {"description": "The file, with its own content type", "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                    "403": problem("A role that may not see cases, or a case outside the caller's service areas"),
                    "404": problem("No such case or file")}))}
        },
        "/api/scrutiny/requests": {
            "get": {"summary": "Community Calls for Scrutiny, newest first (contact details for staff who support requesters only)", "operationId": "listScrutinyRequests",
                "responses": common(json!({
                    "200": {"description": "The requests", "content": {"application/json": {"schema": {"type": "object", "required": ["items"],
                        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/ScrutinyRequest"}}}}}}},
                    "403": problem("This role may not read scrutiny requests")}))}
        },
        "/api/scrutiny/requests/{reference}": {
            "get": {"summary": "A Community Call for Scrutiny with its history", "operationId": "readScrutinyRequest",
                "parameters": [{"name": "reference", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": common(json!({
                    "200": ok("The request", "ScrutinyRequest"),
                    "403": problem("This role may not read scrutiny requests"),
                    "404": problem("No such request")}))}
        },
        "/api/reports/measures": {
            "get": {"summary": "Every performance measure for a period (see docs/reporting.md)", "operationId": "measures",
                "parameters": [
                    query("from", true, date.clone(), "The first day of the period, from 2000 to 2100"),
                    query("to", true, date, "The last day of the period: not before `from`, at most 10 years after it"),
                    query("service_area", false, json!({"type": "string"}), "A service area's name or id")],
                "responses": common(json!({
                    "200": ok("The measures", "Report"),
                    "403": problem("This role may not read reports"),
                    "422": problem("A date that is not real or not from 2000 to 2100, a period that ends before it starts or is longer than 10 years, or no such service area")}))}
        },
        "/api/reports/tsm": {
            "get": {"summary": "CH01 and CH02 (main and strict) for a financial year", "operationId": "tsm",
                "parameters": [query("year", true, json!({"type": "integer", "minimum": 2000, "maximum": 2100}),
                    "The year the financial year starts in")],
                "responses": common(json!({
                    "200": ok("The measures", "Report"),
                    "403": problem("This role may not read reports"),
                    "422": problem("Not a year from 2000 to 2100")}))}
        },
        "/api/import/cases": {
            "post": {"summary": "Import historic cases from CSV (see docs/importing.md); administrators only", "operationId": "importCases",
                "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
                "responses": common(json!({
                    "200": ok("Imported: counts of cases imported and already there", "ImportReport"),
                    "400": problem("The file is not UTF-8 text"),
                    "403": problem("Not an administrator"),
                    "422": ok("Nothing imported: every rejected row with its column and message", "ImportReport")}))}
        },
        "/api/token/rotate": {
            "post": {"summary": "Exchange this bearer token for a new one, working for a year; the old one stops at once", "operationId": "rotateToken",
                "responses": common(json!({"200": ok("The new token and when it expires", "NewToken")}))}
        },
        "/api/annual-report/{year}": {
            "get": {"summary": "A published annual report exactly as the governing body approved it; open to anyone", "operationId": "annualReport",
                "security": [],
                "parameters": [
                    {"name": "year", "in": "path", "required": true, "description": "The year the financial year starts in",
                        "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}},
                    query("version", false, json!({"type": "integer", "minimum": 1, "maximum": 9_999}), "An earlier version; the latest if left out")],
                "responses": {
                    "200": ok("The report as approved, with the date of every version", "PublishedAnnualReport"),
                    "404": problem("Not published, or no such version"),
                    "422": problem("Not a year from 2000 to 2100, or not a version number"),
                    "429": common(json!({}))["429"].clone()}}
        },
        "/readyz": {"get": {"summary": "Ready for traffic: the database answers and its schema is the one this build expects", "operationId": "ready", "security": [],
            "responses": {"200": {"description": "Ready", "content": {"text/plain": {"schema": {"type": "string"}}}},
                "503": {"description": "Not ready", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/healthz": {"get": {"summary": "Health check", "operationId": "health", "security": [],
            "responses": {"200": {"description": "Serving", "content": {"text/plain": {"schema": {"type": "string"}}}},
                "503": {"description": "Database unavailable", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    })
}

pub(crate) async fn openapi() -> Response {
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Redress API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Complaints, comments and compliments case management. Errors are RFC 9457 problem documents naming each wrong field."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas()
        },
        "security": [{"bearer": []}],
        "paths": paths()
    }))
    .into_response()
}
