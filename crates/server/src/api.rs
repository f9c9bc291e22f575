//! The JSON API under `/api/v1`, described by `/api/v1/openapi.json`. The
//! shapes are the export contract's (`../shared/eval/SCHEMA.md`). Scripts
//! authenticate with `Authorization: Bearer TOKEN` (`chronicle user token`);
//! a browser session may call it too, sending `X-CSRF-Token` with changes.

use crate::auth::Caller;
use crate::error::AppError;
use crate::pages::{checked_offset, event_filter, review_as, search_query, CorrectionFields};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chronicle_store::{DocumentRecord, EventFilter, EventRecord, PersonRecord, Store};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/persons", get(persons))
        .route("/persons/{id}", get(person))
        .route("/events", get(events))
        .route("/events/{id}/review", post(review))
        .route("/documents", get(documents))
        .route("/documents/{id}", get(document))
        .route("/search", get(search))
        .fallback(|| async { ApiError(AppError::NotFound) })
}

pub struct ApiError(AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status(), Json(json!({ "error": self.0.public_message() }))).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

fn person_json(p: &PersonRecord) -> Value {
    json!({
        "id": p.id, "name": p.name, "names": p.names,
        "mentions": p.mentions.iter().map(|m| json!({ "document": m.document, "text": m.text, "start": m.start, "end": m.end })).collect::<Vec<_>>(),
        "age": p.age, "birth_year": p.birth_year, "nationality": p.nationality, "occupation": p.occupation,
        "status": p.status.map(|s| s.as_str()),
    })
}

fn event_json(e: &EventRecord) -> Value {
    json!({
        "id": e.id, "type": e.kind.as_str(), "date": e.date.map(|d| d.to_string()), "place": e.place, "country": e.country,
        "to_country": e.to_country, "victims": e.victims, "perpetrators": e.perpetrators, "term_years": e.term_years,
        "regime": e.regime, "charges": e.charges, "confidence": e.confidence.map(|c| (c * 100.0).round() / 100.0), "review": e.review.as_str(),
        "sources": e.sources.iter().map(|s| json!({ "document": s.document, "start": s.start, "end": s.end, "quote": s.quote })).collect::<Vec<_>>(),
    })
}

fn document_json(d: &DocumentRecord, with_text: bool) -> Value {
    let doc = &d.document;
    let mut v = json!({
        "id": doc.id, "source": doc.source, "sha256": doc.sha256, "title": doc.title,
        "published": doc.published.map(|p| p.to_string()), "language": doc.language, "publisher": doc.publisher,
        "reading": doc.reading.as_str(), "ocr_confidence": doc.reading.confidence(), "attached_to": doc.attached_to,
    });
    if with_text {
        v["text"] = json!(doc.text);
    }
    v
}

#[derive(Deserialize)]
pub struct PersonsQuery {
    q: Option<String>,
    #[serde(default = "default_limit")]
    limit: usize,
}

fn default_limit() -> usize {
    50
}

async fn persons(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<PersonsQuery>) -> ApiResult {
    let limit = q.limit.min(500);
    let name = search_query(q.q.as_deref().unwrap_or(""))?;
    let found = state.pool.run(Some(caller.user), move |s| Ok(s.persons_named(&name, limit)?)).await?;
    Ok(Json(json!({ "persons": found.iter().map(person_json).collect::<Vec<_>>() })))
}

async fn person(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>) -> ApiResult {
    let (p, events) = state
        .pool
        .run(Some(caller.user), move |s| {
            let p = s.person(&id)?.ok_or(AppError::NotFound)?;
            let events = s.events_where(&EventFilter { person: Some(p.id.clone()), ..Default::default() })?;
            Ok((p, events))
        })
        .await?;
    let mut v = person_json(&p);
    v["events"] = json!(events.iter().map(event_json).collect::<Vec<_>>());
    Ok(Json(v))
}

#[derive(Deserialize)]
pub struct EventsQuery {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    review: String,
    person: Option<String>,
    document: Option<String>,
    #[serde(default)]
    offset: usize,
    #[serde(default = "default_limit")]
    limit: usize,
}

async fn events(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<EventsQuery>) -> ApiResult {
    let mut filter = event_filter(&q.kind, &q.country, &q.year, &q.review)?;
    filter.person = q.person;
    filter.document = q.document;
    filter.offset = checked_offset(q.offset)?;
    filter.limit = Some(q.limit.min(500));
    let found = state.pool.run(Some(caller.user), move |s| Ok(s.events_where(&filter)?)).await?;
    Ok(Json(json!({ "events": found.iter().map(event_json).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
pub struct ReviewBody {
    /// confirmed, rejected, or correct (with `correction`).
    review: String,
    #[serde(default)]
    correction: CorrectionFields,
}

async fn review(State(state): State<Arc<AppState>>, caller: Caller, headers: HeaderMap, Path(id): Path<String>, body: Result<Json<ReviewBody>, axum::extract::rejection::JsonRejection>) -> Result<Response, ApiError> {
    caller.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))?;
    let Json(body) = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(format!("the request body is over the limit of {} bytes", crate::BODY_LIMIT)),
        _ => AppError::BadRequest(format!("the request body is not a review: {e}")),
    })?;
    let event = state
        .pool
        .run(Some(caller.user), move |s| review_as(s, &id, &body.review, &body.correction))
        .await?;
    Ok((StatusCode::OK, Json(event_json(&event))).into_response())
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    offset: usize,
    #[serde(default = "default_limit")]
    limit: usize,
}

async fn documents(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<PageQuery>) -> ApiResult {
    let limit = q.limit.min(500);
    let offset = checked_offset(q.offset)?;
    let docs = state.pool.run(Some(caller.user), move |s| Ok(s.documents_page(offset, limit)?)).await?;
    Ok(Json(json!({ "documents": docs.iter().map(|d| document_json(d, false)).collect::<Vec<_>>() })))
}

async fn document(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>) -> ApiResult {
    let d = state.pool.run(Some(caller.user), move |s| s.document(&id)?.ok_or(AppError::NotFound)).await?;
    Ok(Json(document_json(&d, true)))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: String,
    #[serde(default = "default_limit")]
    limit: usize,
}

async fn search(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<SearchQuery>) -> ApiResult {
    let limit = q.limit.min(500);
    let query = search_query(&q.q)?;
    let (hits, persons) = state.pool.run(Some(caller.user), move |s| Ok((s.search(&query, limit)?, s.persons_named(&query, limit)?))).await?;
    Ok(Json(json!({
        "documents": hits.iter().map(|h| json!({ "id": h.document, "source": h.source, "title": h.title, "snippet": h.snippet })).collect::<Vec<_>>(),
        "persons": persons.iter().map(person_json).collect::<Vec<_>>(),
    })))
}

async fn openapi(_caller: Caller) -> Json<Value> {
    Json(serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is valid JSON (checked by a test)"))
}
