//! Staff sessions: a random token in an HttpOnly, SameSite=Strict cookie, looked up in the
//! database on each request so any instance can serve any request.

use crate::{AppState, error_page};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use redress_app::auth::{SESSION_HOURS, Signed};
use redress_domain::role::Permission;

pub const COOKIE: &str = "redress_session";

pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    cookie_named(headers, COOKIE)
}

pub use crate::cookies::cookie_named;

/// A session cookie scripts cannot read, never sent from another site; `max_age` 0 ends it.
pub fn cookie(name: &str, value: &str, path: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

pub fn set_cookie(token: &str, secure: bool) -> String {
    cookie(COOKIE, token, "/", SESSION_HOURS * 3600, secure)
}

pub fn clear_cookie(secure: bool) -> String {
    cookie(COOKIE, "", "/", 0, secure)
}

/// A signed-in member of staff who may view cases.
pub struct Staff(pub Signed);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_with(parts, state, Permission::ViewCases)
            .await
            .map(Staff)
    }
}

/// The signed-in member of staff, if their role has the permission: to sign in otherwise,
/// or told they may not.
async fn signed_with(
    parts: &Parts,
    state: &AppState,
    permission: Permission,
) -> Result<Signed, Response> {
    signed_if(parts, state, |role| role.can(permission)).await
}

async fn signed_if(
    parts: &Parts,
    state: &AppState,
    allowed: impl Fn(redress_domain::role::Role) -> bool,
) -> Result<Signed, Response> {
    let Some(token) = cookie_value(&parts.headers) else {
        return Err(Redirect::to("/staff/login").into_response());
    };
    match state.app.session(&token).await {
        Ok(Some(signed)) if allowed(signed.user.role) => Ok(signed),
        Ok(Some(_)) => Err(error_page(redress_app::AppError::Forbidden)),
        Ok(None) => Err(Redirect::to("/staff/login").into_response()),
        Err(e) => Err(error_page(e)),
    }
}

/// Requests that change something must come from this site: the browser's Origin (or
/// Referer) must name the host the request was sent to. SameSite=Strict cookies are the
/// second line; the form's CSRF token the third.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    match (host, source) {
        (_, None) => true,
        (Some(host), Some(source)) => {
            let rest = source.split_once("://").map(|(_, r)| r).unwrap_or(source);
            let authority = rest.split('/').next().unwrap_or("");
            authority.eq_ignore_ascii_case(host)
        }
        (None, Some(_)) => false,
    }
}

/// Any signed-in member of staff, whatever their role: for pages that send each role on to
/// where its work is.
pub struct AnyStaff(pub Signed);

impl FromRequestParts<AppState> for AnyStaff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_if(parts, state, |_| true).await.map(AnyStaff)
    }
}

/// A signed-in member of staff who may read the performance reports (which hold no
/// personal data): everyone who sees cases, and the governing body.
pub struct Reader(pub Signed);

impl FromRequestParts<AppState> for Reader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_with(parts, state, Permission::ViewReports)
            .await
            .map(Reader)
    }
}

/// The member of staff's role must allow `permission`, and a form that changes something
/// must come from this site with their session's token.
pub(crate) fn require(
    signed: &Signed,
    permission: Permission,
    form: Option<(&HeaderMap, &std::collections::BTreeMap<String, String>)>,
) -> Result<(), Response> {
    if !signed.user.role.can(permission) {
        return Err(error_page(redress_app::AppError::Forbidden));
    }
    if let Some((headers, values)) = form
        && (!same_origin(headers) || values.get("csrf") != Some(&signed.csrf_token))
    {
        return Err(error_page(redress_app::AppError::Forbidden));
    }
    Ok(())
}

/// A signed-in person who may read resident scrutiny: staff, the scrutiny team and the
/// appeal panel (not the governing body, which reads reports only).
pub struct Scrutineer(pub Signed);

impl FromRequestParts<AppState> for Scrutineer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_with(parts, state, Permission::ViewScrutiny)
            .await
            .map(Scrutineer)
    }
}

/// A signed-in person who may read the scrutiny programme and its final reports: those
/// who read scrutiny, and the Board and the Executive Management Team.
pub struct ScrutinyReader(pub Signed);

impl FromRequestParts<AppState> for ScrutinyReader {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_with(parts, state, Permission::ReadScrutinyReports)
            .await
            .map(ScrutinyReader)
    }
}

/// A permission a route asks for, named as a type so an extractor can carry it.
pub(crate) trait Needs {
    const PERMISSION: Permission;
}

/// The permissions routes ask for, one type each.
pub(crate) mod needs {
    use super::{Needs, Permission};

    macro_rules! needs {
        ($($name:ident),*) => {$(
            pub(crate) struct $name;
            impl Needs for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    needs!(
        HandleCases,
        RecordContacts,
        Administer,
        ViewReports,
        ViewScrutiny,
        SupportScrutiny,
        DecideScrutiny,
        AnswerScrutinyReport,
        ReviewForPanel
    );
}

/// A form a signed-in member of staff sent from this site's own page: their role allows
/// `P`, the request came from this site, and it carries their session's token. The values
/// come parsed, without the token. Anything else is refused before the handler runs.
pub(crate) struct StaffForm<P: Needs> {
    pub signed: Signed,
    pub form: crate::html::FormState,
    pub needs: std::marker::PhantomData<P>,
}

impl<P: Needs> axum::extract::FromRequest<AppState> for StaffForm<P> {
    type Rejection = Response;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let signed = signed_with(&parts, state, P::PERMISSION).await?;
        let from_here = same_origin(&parts.headers);
        let request = axum::extract::Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut values = crate::forms::parse_body(&bytes);
        if !from_here || values.remove("csrf").as_ref() != Some(&signed.csrf_token) {
            return Err(crate::message(
                state,
                axum::http::StatusCode::FORBIDDEN,
                "Your session has changed",
                "For your security nothing was saved. Go back, reload the page and try again.",
                "/staff",
                "Go to your staff pages",
            ));
        }
        Ok(StaffForm {
            signed,
            form: crate::html::FormState {
                values,
                ..Default::default()
            },
            needs: std::marker::PhantomData,
        })
    }
}
