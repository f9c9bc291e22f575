//! The HTML pages: login, search with facets, dossier, events, review queue,
//! reports, document view and upload.

use crate::auth::{self, Caller};
use crate::error::AppError;
use crate::render::{self, page, Viewer};
use crate::AppState;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chronicle_model::{EventType, Review};
use chronicle_store::{Access, EventCorrection, EventFilter, EventRecord, SqlStore, Store};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

/// A page's failure, shown as a page.
pub struct PageError(AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        (status, Html(render::error_page(status.as_u16(), &self.0.public_message(), None).into_string())).into_response()
    }
}

type PageResult = Result<Response, PageError>;

fn viewer_of(store: &SqlStore, caller: &Caller) -> Viewer {
    let role = match store.access() {
        Access::User { role, .. } => *role,
        _ => chronicle_store::Role::Viewer,
    };
    Viewer { user: caller.user.clone(), role, csrf: caller.csrf.clone().unwrap_or_default() }
}

/// Runs `f` on the store as the caller and renders what it returns.
async fn render_as<F>(state: &AppState, caller: Caller, f: F) -> PageResult
where
    F: FnOnce(&mut SqlStore, &Viewer) -> Result<Markup, AppError> + Send + 'static,
{
    let user = caller.user.clone();
    let markup = state
        .pool
        .run(Some(user), move |store| {
            let viewer = viewer_of(store, &caller);
            match f(store, &viewer) {
                Ok(m) => Ok(Ok(m)),
                // Errors keep the page frame of the account.
                Err(e) => Ok(Err((e.status(), render::error_page(e.status().as_u16(), &e.public_message(), Some(&viewer))))),
            }
        })
        .await?;
    Ok(match markup {
        Ok(m) => Html(m.into_string()).into_response(),
        Err((status, m)) => (status, Html(m.into_string())).into_response(),
    })
}

fn names_in(store: &SqlStore, events: &[EventRecord]) -> Result<HashMap<String, String>, AppError> {
    let mut ids: Vec<String> = events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators).cloned()).collect();
    ids.sort();
    ids.dedup();
    Ok(store.names_of(&ids)?)
}

/// Only a path on this site: never another host. Browsers drop tabs and
/// line breaks from a URL and read a backslash as a slash, so `/\t/host`
/// would take them to `//host`: no control or space character, no backslash.
pub fn local_path(back: &str) -> &str {
    let plain = !back.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if plain && back.starts_with('/') && !back.starts_with("//") {
        back
    } else {
        "/review"
    }
}

/// The offset of page `page` of `size` rows, as the databases take it (at most `i64::MAX`).
pub fn page_offset(page: usize, size: usize) -> Result<usize, AppError> {
    page.checked_mul(size).and_then(|o| checked_offset(o).ok()).ok_or_else(|| AppError::BadRequest(format!("page {page} is past any record's end")))
}

/// An offset the databases take: at most `i64::MAX`.
pub fn checked_offset(offset: usize) -> Result<usize, AppError> {
    if i64::try_from(offset).is_ok() {
        Ok(offset)
    } else {
        Err(AppError::BadRequest(format!("offset {offset} is past any record's end")))
    }
}

/// A search query as the store takes it, checked before any name or text is
/// searched: no control character (a NUL is not text), at most
/// [`chronicle_store::MAX_SEARCH_BYTES`] bytes.
pub fn search_query(q: &str) -> Result<String, AppError> {
    if let Some(c) = q.chars().find(|c| c.is_control() && !c.is_whitespace()) {
        return Err(AppError::BadRequest(format!("the search query holds the control character {c:?}; search for words")));
    }
    if q.len() > chronicle_store::MAX_SEARCH_BYTES {
        return Err(AppError::BadRequest(format!("the search query has {} bytes, more than the {} a search may have", q.len(), chronicle_store::MAX_SEARCH_BYTES)));
    }
    Ok(q.trim().to_string())
}

pub async fn home(_caller: Caller) -> Redirect {
    Redirect::to("/search")
}

// ---- login and logout ----

pub async fn login_form(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let logged_in = auth::cookie_in(&headers, auth::SESSION_COOKIE).is_some_and(|id| state.sessions().get(id).is_some());
    if logged_in {
        return Redirect::to("/search").into_response();
    }
    login_page(&state, StatusCode::OK, None)
}

fn login_page(state: &AppState, status: StatusCode, message: Option<&str>) -> Response {
    let csrf = auth::random_token();
    let body = page("Log in", None, html! {
        h1 { "Log in" }
        @if let Some(m) = message { p.error { (m) } }
        form.login method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Account " input name="username" id="username" autocomplete="username" required; }
            label { "Password " input name="password" id="password" type="password" autocomplete="current-password" required; }
            button type="submit" id="login" { "Log in" }
        }
    });
    (status, [(header::SET_COOKIE, auth::set_cookie(auth::LOGIN_COOKIE, &csrf, Some(3600), state.secure_cookies))], Html(body.into_string())).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

pub async fn login(State(state): State<Arc<AppState>>, ConnectInfo(addr): ConnectInfo<SocketAddr>, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    if !auth::cookie_in(&headers, auth::LOGIN_COOKIE).is_some_and(|c| auth::same_secret(c, &form.csrf)) {
        return login_page(&state, StatusCode::FORBIDDEN, Some("The login form expired or was not sent from this site; try again."));
    }
    if form.username.chars().count() > auth::MAX_ACCOUNT_NAME {
        return login_page(&state, StatusCode::BAD_REQUEST, Some("Account names are at most 64 characters."));
    }
    let address = auth::client_address(addr, &headers, state.options().client_ip_header.as_ref());
    // Counted before the password is checked, so that parallel guesses wait their turn with the rest.
    let Some(attempt) = state.limiter().reserve(&form.username, address) else {
        return login_page(&state, StatusCode::TOO_MANY_REQUESTS, Some("Too many failed attempts; wait a few minutes."));
    };
    let (name, password) = (form.username.clone(), form.password);
    let checked = state.pool.run(None, move |s| Ok(s.check_password(&name, &password)?)).await;
    match checked {
        Ok(Some(user)) => {
            state.limiter().succeeded(attempt);
            let id = state.sessions().open(&user.name, user.epoch);
            tracing::info!(user = %user.name, "logged in");
            (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, "/search".to_string()),
                    (header::SET_COOKIE, auth::set_cookie(auth::SESSION_COOKIE, &id, None, state.secure_cookies)),
                ],
            )
                .into_response()
        }
        Ok(None) => {
            // The attempt stays counted.
            login_page(&state, StatusCode::UNAUTHORIZED, Some("Wrong account name or password."))
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

pub async fn logout(State(state): State<Arc<AppState>>, caller: Caller, Form(form): Form<CsrfForm>) -> PageResult {
    caller.check_csrf(form.csrf.as_deref())?;
    if let Some(id) = &caller.session {
        state.sessions().close(id);
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/login".to_string()), (header::SET_COOKIE, auth::set_cookie(auth::SESSION_COOKIE, "", Some(0), state.secure_cookies))])
        .into_response())
}

// ---- search ----

#[derive(Deserialize, Default, Clone)]
pub struct Facets {
    #[serde(default)]
    q: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    year: String,
}

impl Facets {
    fn link(&self, key: &str, value: &str) -> String {
        let mut f = self.clone();
        match key {
            "type" => f.kind = value.to_string(),
            "country" => f.country = value.to_string(),
            _ => f.year = value.to_string(),
        }
        let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
        format!("/search?q={}&type={}&country={}&year={}", enc(&f.q), enc(&f.kind), enc(&f.country), enc(&f.year))
    }
    fn matches(&self, e: &EventRecord) -> bool {
        (self.kind.is_empty() || e.kind.as_str() == self.kind)
            && (self.country.is_empty() || e.country.as_deref() == Some(self.country.as_str()))
            && (self.year.is_empty() || e.date.is_some_and(|d| d.year.to_string() == self.year))
    }
    fn any(&self) -> bool {
        !(self.kind.is_empty() && self.country.is_empty() && self.year.is_empty())
    }
}

pub async fn search(State(state): State<Arc<AppState>>, caller: Caller, Query(f): Query<Facets>) -> PageResult {
    let q = search_query(&f.q)?;
    render_as(&state, caller, move |store, viewer| {
        let persons = if q.is_empty() { Vec::new() } else { store.persons_named(&q, 20)? };
        let hits = if q.is_empty() { Vec::new() } else { store.search(&q, 50)? };
        let mut counts: [BTreeMap<String, usize>; 3] = Default::default();
        let mut shown = Vec::new();
        // The hits' events in one query, without participants and sources: facets only count.
        let documents: Vec<String> = hits.iter().map(|h| h.document.clone()).collect();
        let all = if documents.is_empty() { Vec::new() } else { store.events_where(&EventFilter { documents, brief: true, ..Default::default() })? };
        let mut by_doc: HashMap<&str, Vec<&EventRecord>> = HashMap::new();
        for e in &all {
            let doc = e.id.rsplit_once("-e").map_or(e.id.as_str(), |(d, _)| d);
            by_doc.entry(doc).or_default().push(e);
        }
        for h in hits {
            let events = by_doc.get(h.document.as_str()).cloned().unwrap_or_default();
            for e in &events {
                *counts[0].entry(e.kind.as_str().to_string()).or_default() += 1;
                if let Some(c) = &e.country {
                    *counts[1].entry(c.clone()).or_default() += 1;
                }
                if let Some(d) = e.date {
                    *counts[2].entry(d.year.to_string()).or_default() += 1;
                }
            }
            if !f.any() || events.iter().any(|e| f.matches(e)) {
                shown.push(h);
            }
        }
        Ok(page("Search", Some(viewer), html! {
            h1 { "Search" }
            form.search method="get" action="/search" {
                input name="q" id="q" value=(q) placeholder="a name, a place, any words" autofocus;
                @if !f.kind.is_empty() { input type="hidden" name="type" value=(f.kind); }
                @if !f.country.is_empty() { input type="hidden" name="country" value=(f.country); }
                @if !f.year.is_empty() { input type="hidden" name="year" value=(f.year); }
                button type="submit" id="search" { "Search" }
            }
            @if !q.is_empty() {
                div.facets {
                    @for (key, title, map) in [("type", "Event type", &counts[0]), ("country", "Country", &counts[1]), ("year", "Year", &counts[2])] {
                        div.facet {
                            h3 { (title) }
                            @for (value, n) in map {
                                a href=(f.link(key, value)) { (value) " (" (n) ")" } " "
                            }
                            @if !map.is_empty() { a.clear href=(f.link(key, "")) { "any" } }
                        }
                    }
                }
                section id="persons" {
                    h2 { "Persons (" (persons.len()) ")" }
                    ul { @for p in &persons { li { a.person href={ "/persons/" (p.id) } { (p.name) } " " span.spellings { (p.names.join(" · ")) } } } }
                }
                section id="documents" {
                    h2 { "Reports (" (shown.len()) ")" }
                    ul { @for h in &shown {
                        li {
                            a href={ "/documents/" (h.document) } { (h.title.clone().unwrap_or_else(|| h.source.clone())) }
                            p.snippet { (render::snippet(&h.snippet)) }
                        }
                    } }
                }
            }
        }))
    })
    .await
}

// ---- dossier ----

pub async fn person(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>) -> PageResult {
    render_as(&state, caller, move |store, viewer| {
        let p = store.person(&id)?.ok_or(AppError::NotFound)?;
        let events = store.events_where(&EventFilter { person: Some(p.id.clone()), ..Default::default() })?;
        let names = names_in(store, &events)?;
        let back = format!("/persons/{}", p.id);
        let mut docs: Vec<&str> = p.mentions.iter().map(|m| m.document.as_str()).collect();
        docs.dedup();
        Ok(page(&p.name, Some(viewer), html! {
            h1.person-name { (p.name) }
            p.id { (p.id) }
            dl.facts {
                dt { "Spellings" } dd.spellings { (p.names.join(" · ")) }
                @if let Some(a) = p.age { dt { "Age" } dd { (a) } }
                @if let Some(y) = p.birth_year { dt { "Born" } dd { (y) } }
                @if !p.nationality.is_empty() { dt { "Nationality" } dd { (p.nationality.join(", ")) } }
                @if !p.occupation.is_empty() { dt { "Occupation" } dd { (p.occupation.join(", ")) } }
                @if !p.relations.is_empty() { dt { "Named as" } dd { "someone's " (p.relations.join(", ")) } }
                dt { "Latest status" } dd id="status" { (p.status.map_or("unknown", |s| s.as_str())) }
            }
            h2 { "Timeline" }
            @if events.is_empty() { p { "No events on record." } }
            ol.timeline { @for e in &events { (render::event_item(e, &names, viewer, &back)) } }
            h2 { "Reports" }
            ul.reports {
                @for d in &docs {
                    li {
                        a href={ "/documents/" (d) } { (d) }
                        @if let Some(l) = p.links.iter().find(|l| l.document == *d) { " — linked " (format!("{:.2}", l.score)) ": " (l.evidence) }
                        @if viewer.may_edit() && docs.len() > 1 {
                            form.split method="post" action={ "/persons/" (p.id) "/split" } {
                                input type="hidden" name="csrf" value=(viewer.csrf);
                                input type="hidden" name="document" value=(d);
                                button type="submit" { "Someone else in this report: split off" }
                            }
                        }
                    }
                }
            }
            @if viewer.may_edit() {
                form.merge method="post" action={ "/persons/" (p.id) "/merge" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    label { "Same person as " input name="other" placeholder="person-N"; }
                    button type="submit" { "Merge into this dossier" }
                }
            }
        }))
    })
    .await
}

#[derive(Deserialize)]
pub struct MergeForm {
    csrf: Option<String>,
    other: String,
}

pub async fn merge(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>, Form(form): Form<MergeForm>) -> PageResult {
    caller.check_csrf(form.csrf.as_deref())?;
    let keep = id.clone();
    state.pool.run(Some(caller.user.clone()), move |s| Ok(s.merge_persons(&keep, form.other.trim())?)).await?;
    Ok(Redirect::to(&format!("/persons/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct SplitForm {
    csrf: Option<String>,
    document: String,
}

pub async fn split(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>, Form(form): Form<SplitForm>) -> PageResult {
    caller.check_csrf(form.csrf.as_deref())?;
    let selector = chronicle_store::MentionSelector { document: form.document, span: None };
    let (_, new) = state.pool.run(Some(caller.user.clone()), move |s| Ok(s.split_person(&id, &[selector])?)).await?;
    Ok(Redirect::to(&format!("/persons/{new}")).into_response())
}

// ---- events and review ----

#[derive(Deserialize, Default)]
pub struct EventQuery {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    page: usize,
}

pub const PAGE: usize = 50;

pub fn event_filter(kind: &str, country: &str, year: &str, review: &str) -> Result<EventFilter, AppError> {
    let bad = |what: &str, v: &str| AppError::BadRequest(format!("{v:?} is not a {what}"));
    Ok(EventFilter {
        kind: if kind.is_empty() { None } else { Some(kind.parse().map_err(|_| bad("event type", kind))?) },
        country: if country.is_empty() { None } else { Some(country.to_ascii_uppercase()) },
        year: if year.is_empty() { None } else { Some(year.parse().map_err(|_| bad("year", year))?) },
        review: if review.is_empty() { None } else { Some(review.parse().map_err(|_| bad("review state", review))?) },
        ..Default::default()
    })
}

pub async fn events(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<EventQuery>) -> PageResult {
    render_as(&state, caller, move |store, viewer| {
        let mut filter = event_filter(&q.kind, &q.country, &q.year, &q.review)?;
        filter.offset = page_offset(q.page, PAGE)?;
        filter.limit = Some(PAGE);
        let events = store.events_where(&filter)?;
        let names = names_in(store, &events)?;
        Ok(page("Events", Some(viewer), html! {
            h1 { "Events" }
            form.filters method="get" action="/events" {
                label { "type " select name="type" {
                    option value="" { "any" }
                    @for t in EventType::ALL { option value=(t.as_str()) selected[q.kind == t.as_str()] { (t.as_str()) } }
                } }
                label { "country " input name="country" value=(q.country) size="2"; }
                label { "year " input name="year" value=(q.year) size="4"; }
                label { "review " select name="review" {
                    option value="" { "any" }
                    @for r in ["machine", "confirmed", "rejected"] { option value=(r) selected[q.review == r] { (r) } }
                } }
                button type="submit" { "Filter" }
            }
            ol.events { @for e in &events { (render::event_item(e, &names, viewer, "/events")) } }
            @if events.len() == PAGE {
                a.next href={ "/events?type=" (q.kind) "&country=" (q.country) "&year=" (q.year) "&review=" (q.review) "&page=" (q.page + 1) } { "more" }
            }
        }))
    })
    .await
}

pub async fn review_queue(State(state): State<Arc<AppState>>, caller: Caller) -> PageResult {
    render_as(&state, caller, move |store, viewer| {
        if !viewer.may_edit() {
            return Err(AppError::Forbidden("reviewing needs the editor role".into()));
        }
        let events = store.events_where(&EventFilter { review: Some(Review::Machine), least_confident_first: true, limit: Some(PAGE), ..Default::default() })?;
        let names = names_in(store, &events)?;
        Ok(page("Review", Some(viewer), html! {
            h1 { "Review queue" }
            p { "Facts the machine found and nobody has checked, least confident first." }
            ol.events { @for e in &events { (render::event_item(e, &names, viewer, "/review")) } }
        }))
    })
    .await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: Option<String>,
    action: String,
    #[serde(default)]
    back: String,
    #[serde(flatten)]
    fields: CorrectionFields,
}

/// An event's fields as an analyst corrects them, from a form or a JSON body.
#[derive(Deserialize, Default)]
pub struct CorrectionFields {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    to_country: String,
}

/// Reviews an event as a form or an API call asks: confirm, reject, or correct
/// the fields that differ from the event's (which confirms it).
pub fn review_as(s: &mut SqlStore, id: &str, action: &str, f: &CorrectionFields) -> Result<EventRecord, AppError> {
    let bad = |m: String| AppError::BadRequest(m);
    let (review, correction) = match action {
        "confirm" | "confirmed" => (Review::Confirmed, EventCorrection::default()),
        "reject" | "rejected" => (Review::Rejected, EventCorrection::default()),
        "correct" => {
            let doc = id.rsplit_once("-e").map(|(d, _)| d.to_string());
            let current = s.events_where(&EventFilter { document: doc, ..Default::default() })?.into_iter().find(|e| e.id == id).ok_or(AppError::NotFound)?;
            let differs = |new: &str, old: Option<String>| (!new.trim().is_empty() && Some(new.trim().to_string()) != old).then(|| new.trim().to_string());
            let c = EventCorrection {
                kind: differs(&f.kind, Some(current.kind.as_str().to_string()))
                    .map(|k| k.parse().map_err(|_| bad(format!("{k:?} is not an event type"))))
                    .transpose()?,
                date: differs(&f.date, current.date.map(|d| d.to_string()))
                    .map(|d| d.parse().map_err(|_| bad(format!("{d:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))))
                    .transpose()?,
                place: differs(&f.place, current.place.clone()),
                country: differs(&f.country, current.country.clone()).map(|c| c.to_ascii_uppercase()),
                to_country: differs(&f.to_country, current.to_country.clone()).map(|c| c.to_ascii_uppercase()),
            };
            for code in [&c.country, &c.to_country].into_iter().flatten() {
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(bad(format!("{code:?} is not a two-letter country code")));
                }
            }
            (Review::Confirmed, c)
        }
        other => return Err(bad(format!("{other:?} is not a review action (confirm, reject, correct)"))),
    };
    Ok(s.review_event(id, review, &correction)?)
}

pub async fn review(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>, Form(form): Form<ReviewForm>) -> PageResult {
    caller.check_csrf(form.csrf.as_deref())?;
    let back = local_path(&form.back).to_string();
    state
        .pool
        .run(Some(caller.user.clone()), move |s| review_as(s, &id, &form.action, &form.fields))
        .await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response())
}

// ---- reports ----

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: usize,
}

pub async fn documents(State(state): State<Arc<AppState>>, caller: Caller, Query(q): Query<PageQuery>) -> PageResult {
    let offset = page_offset(q.page, PAGE)?;
    render_as(&state, caller, move |store, viewer| {
        let docs = store.documents_page(offset, PAGE)?;
        Ok(page("Reports", Some(viewer), html! {
            h1 { "Reports" }
            ul.documents { @for d in &docs {
                li {
                    a href={ "/documents/" (d.document.id) } { (d.document.title.clone().unwrap_or_else(|| d.document.source.clone())) }
                    " " span.date { (d.document.published.map(|p| p.to_string()).unwrap_or_default()) }
                }
            } }
            @if docs.len() == PAGE { a.next href={ "/documents?page=" (q.page + 1) } { "more" } }
        }))
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct DocQuery {
    hl: Option<String>,
}

pub async fn document(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>, Query(q): Query<DocQuery>) -> PageResult {
    render_as(&state, caller, move |store, viewer| {
        let d = store.document(&id)?.ok_or(AppError::NotFound)?;
        let mentions = store.document_mentions(&id)?;
        let events = store.events_where(&EventFilter { document: Some(id.clone()), ..Default::default() })?;
        let names = names_in(store, &events)?;
        let hl = q.hl.as_deref().and_then(|h| h.split_once('-')).and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))).filter(|(a, b)| a < b);
        let doc = &d.document;
        Ok(page(doc.title.as_deref().unwrap_or(&doc.source), Some(viewer), html! {
            h1.doc-title { (doc.title.clone().unwrap_or_else(|| doc.source.clone())) }
            p.meta {
                (doc.source)
                @if let Some(p) = doc.published { " · published " (p.to_string()) }
                @if let Some(l) = &doc.language { " · " (l) }
                @match doc.reading {
                    chronicle_model::Reading::Ocr { confidence } => { " · " strong { "OCR text" } ", word confidence " (format!("{confidence:.2}")) }
                    chronicle_model::Reading::Unreadable => { " · " strong { "no text could be read" } }
                    chronicle_model::Reading::Native => {}
                }
                @if let Some(m) = &doc.attached_to { " · attached to " a href={ "/documents/" (m) } { (m) } }
                " · " a href={ "/documents/" (doc.id) "/original" } { "original" }
                " · sha256 " code { (doc.sha256) }
            }
            (render::document_text(&doc.text, &mentions, hl))
            h2 { "Events in this report" }
            ol.events { @for e in &events { (render::event_item(e, &names, viewer, &format!("/documents/{}", doc.id))) } }
        }))
    })
    .await
}

pub async fn original(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let found = state
        .pool
        .run(Some(caller.user), move |s| {
            let d = s.document(&id)?.ok_or(AppError::NotFound)?;
            let bytes = s.original(&id)?.ok_or(AppError::NotFound)?;
            Ok((d.document.source, bytes))
        })
        .await?;
    let (source, bytes) = found;
    let file: String = source.rsplit(['/', '\\']).next().unwrap_or("report").chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let file = if file.is_empty() { "report".to_string() } else { file };
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\""))],
        bytes,
    )
        .into_response())
}

pub async fn upload_form(State(state): State<Arc<AppState>>, caller: Caller) -> PageResult {
    render_as(&state, caller, move |_store, viewer| {
        if !viewer.may_edit() {
            return Err(AppError::Forbidden("uploading needs the editor role".into()));
        }
        Ok(page("Upload", Some(viewer), html! {
            h1 { "Upload a report" }
            form.upload method="post" action="/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(viewer.csrf);
                input type="file" name="file" id="file" accept=".txt,.md,.html,.htm,.pdf" required;
                label for="language" { "Language" }
                input type="text" name="language" id="language" size="2" maxlength="2" pattern="[a-z]{2}" placeholder="auto"
                    title="two lower-case letters (en, ru, de …); empty: detected from the text";
                button type="submit" id="upload" { "Upload" }
                progress id="upload-progress" max="100" value="0" hidden {}
            }
            p { "Text, Markdown, HTML or PDF; the original is kept byte for byte. "
                "The language (detected, or given) chooses the extractor: English and Russian are extracted; "
                "a report in another language is stored and searchable, not extracted." }
        }))
    })
    .await
}

/// An upload: the role is checked before a byte of the file is read (a
/// viewer learns nothing, not even whether the store holds those bytes), then
/// the form's CSRF token, then whether the bytes are known; the report is read
/// and extracted on a thread of its own, holding no store connection, within
/// a time limit; only then is a connection taken to store it.
pub async fn upload(State(state): State<Arc<AppState>>, caller: Caller, multipart: Multipart) -> PageResult {
    state.pool.run(Some(caller.user.clone()), |s| may_ingest(s)).await?;
    let form = read_upload(multipart).await?;
    caller.check_csrf(form.csrf.as_deref())?;
    let language = upload_language(form.language.as_deref())?;
    let (name, bytes) = form.file.ok_or_else(|| AppError::BadRequest("no file in the upload".into()))?;
    let sha = chronicle_pipeline::sha256_hex(&bytes);
    let known = state.pool.run(Some(caller.user.clone()), move |s| Ok(s.contains(&sha)?.then(|| chronicle_model::Document::id_for_sha256(&sha)))).await?;
    let id = match known {
        Some(id) => id,
        None => {
            let prepared = read_report(&state, name.clone(), bytes, language).await?;
            state
                .pool
                .run(Some(caller.user), move |s| {
                    chronicle_pipeline::store_prepared(s, &prepared).map(said_not_extracted).map_err(|e| match e {
                        chronicle_pipeline::PipelineError::Store(s) => AppError::Store(s),
                        other => AppError::BadRequest(format!("{name}: {other}")),
                    })
                })
                .await?
        }
    };
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/documents/{id}"))]).into_response())
}

/// The stored report's id; a report no extractor reads is logged once, when first stored.
fn said_not_extracted(stored: chronicle_pipeline::Stored) -> String {
    if let Some(n) = &stored.not_extracted {
        tracing::info!("{}: {n}", n.source);
    }
    stored.id
}

/// Refuses an account that may not ingest.
fn may_ingest(store: &SqlStore) -> Result<(), AppError> {
    match store.access() {
        Access::Owner => Ok(()),
        Access::User { role, .. } if *role >= chronicle_store::Role::Editor => Ok(()),
        _ => Err(AppError::Forbidden("uploading needs the editor role".into())),
    }
}

/// What an upload form carries.
#[derive(Default)]
struct UploadForm {
    csrf: Option<String>,
    /// The language field, as typed (empty: detect it).
    language: Option<String>,
    /// The file's name and bytes.
    file: Option<(String, Vec<u8>)>,
}

async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, AppError> {
    let mut form = UploadForm::default();
    let text = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(format!("the upload could not be read: {e}")))? {
        match field.name() {
            Some("csrf") => form.csrf = Some(field.text().await.map_err(text)?),
            Some("language") => form.language = Some(field.text().await.map_err(text)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.txt").to_string();
                let bytes = field.bytes().await.map_err(|e| AppError::BadRequest(format!("{name}: {e}")))?;
                form.file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// The upload form's language: none when left empty (it is detected), else
/// two lower-case letters.
fn upload_language(field: Option<&str>) -> Result<Option<chronicle_pipeline::Language>, AppError> {
    match field.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) => l.parse().map(Some).map_err(|e: chronicle_pipeline::BadLanguage| AppError::BadRequest(format!("language: {e}"))),
    }
}

/// Reads and extracts an uploaded report on a blocking thread, one of at
/// most [`crate::Options::max_reading`] at once, within
/// [`crate::Options::read_timeout`]. A report that takes longer is refused;
/// its thread finishes on its own and keeps its permit until then, so that
/// runaway reports cannot pile up on the cores.
async fn read_report(state: &AppState, name: String, bytes: Vec<u8>, language: Option<chronicle_pipeline::Language>) -> Result<chronicle_pipeline::Prepared, AppError> {
    let limit = state.options().read_timeout;
    let busy = || AppError::Busy(format!("{name}: the server is busy reading other reports; try again in a minute"));
    let permit = tokio::time::timeout(limit, Arc::clone(&state.reading).acquire_owned()).await.map_err(|_| busy())?.map_err(|_| busy())?;
    let limits = chronicle_pipeline::Limits { max_bytes: state.max_upload as u64, ..Default::default() };
    let options = chronicle_pipeline::Options { limits, language, ..Default::default() };
    let file = name.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        chronicle_pipeline::prepare(&file, bytes, &options).map_err(|e| AppError::BadRequest(format!("{file}: {e}")))
    });
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => Err(AppError::Internal(format!("reading {name} failed: {e}"))),
        Err(_) => Err(AppError::BadRequest(format!("{name}: reading it took longer than {} s; it was refused", limit.as_secs()))),
    }
}

// ---- statistics ----

pub async fn stats(State(state): State<Arc<AppState>>, caller: Caller) -> PageResult {
    render_as(&state, caller, move |store, viewer| {
        let s = store.stats()?;
        let estimates = estimates(&store.events()?, &store.documents()?);
        let transfers: Vec<(String, usize)> = s.transfers.iter().map(|(from, to, n)| (format!("{from} → {to}"), *n)).collect();
        Ok(page("Statistics", Some(viewer), html! {
            h1 { "Statistics" }
            p id="totals" { (s.documents) " reports · " (s.persons) " persons · " (s.organizations) " organisations · " (s.events) " events (rejected ones not counted)" }
            (render::bar_chart("Events by year", &s.by_year))
            (render::estimates(&estimates))
            (render::bar_chart("Events by type", &s.by_type))
            (render::bar_chart("Deportations, extraditions and renditions: from the country where it happened → to the country the person was sent to", &transfers))
            (render::bar_chart("Events by country where they happened", &s.by_country))
        }))
    })
    .await
}

/// The estimate of all victims, then one a year, each from the publishers of the reports the viewer may see.
fn estimates(events: &[chronicle_store::EventRecord], documents: &[chronicle_store::DocumentRecord]) -> Vec<(String, chronicle_estimate::Estimate)> {
    use chronicle_estimate::record::{tables, By, Lists, Selection};
    let criterion = chronicle_estimate::Criterion::default();
    let all = tables(events, documents, &Selection::default(), &Lists::Publisher, By::All).into_iter().map(|(_, t)| ("all years".to_string(), t));
    let years = tables(events, documents, &Selection::default(), &Lists::Publisher, By::Year);
    all.chain(years).map(|(period, t)| (period, chronicle_estimate::estimate(&t, criterion))).collect()
}

// ---- static ----

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], include_str!("../static/style.css")).into_response()
}

pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], include_str!("../static/app.js")).into_response()
}
