//! Account administration, for admins: the Accounts page lists every account
//! with its role and state and every API token; its forms change a role,
//! disable or enable an account, set its password, remove it, and revoke a
//! token. Every form carries the session's CSRF token; every route refuses
//! anyone but an admin (403), and the store enforces the same rules (the last
//! enabled admin stays one) and audits each change as the admin who made it.

use crate::auth::Caller;
use crate::error::AppError;
use crate::pages::PageError;
use crate::render::{page, Viewer};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chronicle_store::{AccountState, Role, SqlStore, Store, TokenRecord, UserRecord};
use maud::{html, Markup};
use serde::Deserialize;
use std::sync::Arc;

const PAGE: &str = "/admin/accounts";

type PageResult = Result<Response, PageError>;

/// The routes of account administration.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(PAGE, get(accounts))
        .route("/admin/accounts/{name}/role", post(role))
        .route("/admin/accounts/{name}/state", post(set_state))
        .route("/admin/accounts/{name}/password", post(password))
        .route("/admin/accounts/{name}/remove", post(remove))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
}

/// Refuses a store that does not act for an admin.
fn admin_only(store: &SqlStore) -> Result<(), AppError> {
    if matches!(store.access(), chronicle_store::Access::User { role: Role::Admin, .. }) {
        Ok(())
    } else {
        Err(AppError::Forbidden("account administration is for admins".into()))
    }
}

/// Runs `change` on the store as the caller, an admin, after the CSRF check;
/// then ends the sessions of `ends` (if any) and goes back to the page.
async fn change_as<F>(state: &AppState, caller: Caller, csrf: Option<&str>, ends: Option<String>, change: F) -> PageResult
where
    F: FnOnce(&mut SqlStore) -> Result<(), AppError> + Send + 'static,
{
    caller.check_csrf(csrf)?;
    state
        .pool
        .run(Some(caller.user.clone()), move |s| {
            admin_only(s)?;
            change(s)
        })
        .await?;
    if let Some(user) = ends {
        state.sessions().close_user(&user);
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, PAGE)]).into_response())
}

pub async fn accounts(State(state): State<Arc<AppState>>, caller: Caller) -> PageResult {
    let csrf = caller.csrf.clone().unwrap_or_default();
    let listed = state
        .pool
        .run(Some(caller.user.clone()), move |s| {
            admin_only(s)?;
            Ok((s.users()?, s.tokens(None)?))
        })
        .await?;
    let viewer = Viewer { user: caller.user, role: Role::Admin, csrf };
    let (users, tokens) = listed;
    Ok(Html(page("Accounts", Some(&viewer), accounts_body(&users, &tokens, &viewer)).into_string()).into_response())
}

fn accounts_body(users: &[UserRecord], tokens: &[TokenRecord], viewer: &Viewer) -> Markup {
    html! {
        h1 { "Accounts" }
        table.accounts {
            thead { tr { th { "Account" } th { "Role" } th { "State" } th { "Password" } th { "Since" } th { "Grants" } th { "Change" } } }
            tbody { @for u in users { (account_row(u, viewer)) } }
        }
        h2 { "API tokens" }
        @if tokens.is_empty() { p { "No token has been made." } }
        table.tokens {
            thead { tr { th { "No." } th { "Account" } th { "Label" } th { "Made" } th { "Expires" } th { "State" } th {} } }
            tbody { @for t in tokens { (token_row(t, viewer)) } }
        }
    }
}

fn account_row(u: &UserRecord, viewer: &Viewer) -> Markup {
    let base = format!("/admin/accounts/{}", u.name);
    html! {
        tr.account id={ "account-" (u.name) } data-state=(u.state.as_str()) {
            td { (u.name) }
            td.role { (u.role.as_str()) }
            td.state { (u.state.as_str()) }
            td { @if u.has_password { "set" } @else { "none" } }
            td { (u.created_at) }
            td { (if u.grants.is_empty() { "-".to_string() } else { u.grants.join(", ") }) }
            td.change { @if u.state != AccountState::Removed {
                form.role method="post" action={ (base) "/role" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    select name="role" { @for r in [Role::Viewer, Role::Editor, Role::Admin] { option value=(r.as_str()) selected[r == u.role] { (r.as_str()) } } }
                    button type="submit" { "Change role" }
                }
                form.state method="post" action={ (base) "/state" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    @if u.state == AccountState::Enabled {
                        input type="hidden" name="action" value="disable";
                        button type="submit" { "Disable" }
                    } @else {
                        input type="hidden" name="action" value="enable";
                        button type="submit" { "Enable" }
                    }
                }
                form.password method="post" action={ (base) "/password" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    input type="password" name="password" autocomplete="new-password" required placeholder="new password";
                    button type="submit" { "Set password" }
                }
                form.remove method="post" action={ (base) "/remove" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    label { input type="checkbox" name="confirm" value="yes" required; " for good" }
                    button type="submit" { "Remove" }
                }
            } }
        }
    }
}

fn token_row(t: &TokenRecord, viewer: &Viewer) -> Markup {
    let state = t.state();
    html! {
        tr.token id={ "token-" (t.id) } data-state=(state) {
            td { (t.id) } td { (t.user) } td { (t.label) } td { (t.created_at) } td { (t.expires_at) } td.state { (state) }
            td { @if state == "active" {
                form.revoke method="post" action={ "/admin/tokens/" (t.id) "/revoke" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    button type="submit" { "Revoke" }
                }
            } }
        }
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    csrf: Option<String>,
    role: String,
}

pub async fn role(State(state): State<Arc<AppState>>, caller: Caller, Path(name): Path<String>, Form(form): Form<RoleForm>) -> PageResult {
    change_as(&state, caller, form.csrf.as_deref(), None, move |s| {
        let role: Role = form.role.parse().map_err(AppError::BadRequest)?;
        Ok(s.set_role(&name, role)?)
    })
    .await
}

#[derive(Deserialize)]
pub struct StateForm {
    csrf: Option<String>,
    action: String,
}

pub async fn set_state(State(state): State<Arc<AppState>>, caller: Caller, Path(name): Path<String>, Form(form): Form<StateForm>) -> PageResult {
    // Disabling ends the account's sessions here at once (and in the store, by its epoch, for every server).
    let ends = (form.action != "enable").then(|| name.clone());
    change_as(&state, caller, form.csrf.as_deref(), ends, move |s| {
        let enabled = match form.action.as_str() {
            "enable" => true,
            "disable" => false,
            other => return Err(AppError::BadRequest(format!("{other:?} is not an account action (enable, disable)"))),
        };
        Ok(s.set_enabled(&name, enabled)?)
    })
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: Option<String>,
    password: String,
}

pub async fn password(State(state): State<Arc<AppState>>, caller: Caller, Path(name): Path<String>, Form(form): Form<PasswordForm>) -> PageResult {
    let ends = Some(name.clone());
    change_as(&state, caller, form.csrf.as_deref(), ends, move |s| Ok(s.set_password(&name, &form.password)?)).await
}

#[derive(Deserialize)]
pub struct RemoveForm {
    csrf: Option<String>,
    #[serde(default)]
    confirm: String,
}

pub async fn remove(State(state): State<Arc<AppState>>, caller: Caller, Path(name): Path<String>, Form(form): Form<RemoveForm>) -> PageResult {
    let ends = Some(name.clone());
    change_as(&state, caller, form.csrf.as_deref(), ends, move |s| {
        if form.confirm != "yes" {
            return Err(AppError::BadRequest("tick the box to confirm that the account is removed for good".into()));
        }
        Ok(s.remove_user(&name)?)
    })
    .await
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn revoke_token(State(state): State<Arc<AppState>>, caller: Caller, Path(id): Path<i64>, Form(form): Form<CsrfOnly>) -> PageResult {
    change_as(&state, caller, form.csrf.as_deref(), None, move |s| Ok(s.revoke_token(id).map(drop)?)).await
}
