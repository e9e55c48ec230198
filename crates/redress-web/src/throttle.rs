//! Throttling at every door a stranger can knock on: the public forms, following a case,
//! surveys, calls for scrutiny and petitions, staff sign-in and the API. Each client address
//! gets a burst and then a steady allowance per door, and each door has a ceiling for all
//! clients together, so a script is slowed long before it learns or fills anything. Over
//! the limit is `429 Too Many Requests` with `Retry-After`, never a failure.

use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;

/// The doors, each with its own allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Door {
    /// Sending a complaint, comment or compliment, or a call for scrutiny.
    PublicForm,
    /// Opening a case with a reference, a link or a code; asking for a link.
    Track,
    /// Answering a survey, signing a petition, a resident's requests on their case.
    Resident,
    StaffSignIn,
    Api,
}

impl Door {
    /// Which door a request knocks on, if any: only requests that do something count.
    pub fn of(method: &Method, path: &str) -> Option<Door> {
        if path.starts_with("/api/") {
            return Some(Door::Api);
        }
        // A survey's page names its case: looking one up is a guess like any other.
        if path.starts_with("/survey/") {
            return Some(Door::Resident);
        }
        if method != Method::POST {
            return None;
        }
        if path == "/staff/login" {
            Some(Door::StaffSignIn)
        } else if path == "/track"
            || path == "/c"
            || path == "/scrutiny/code"
            || path.starts_with("/track/link/")
            || path == "/track/email-link"
        {
            Some(Door::Track)
        } else if path.starts_with("/contact/") || path == "/scrutiny/new" {
            Some(Door::PublicForm)
        } else if path.starts_with("/survey/")
            || path.starts_with("/track/")
            || path.starts_with("/scrutiny/")
        {
            Some(Door::Resident)
        } else {
            None
        }
    }

    /// (per minute for one client, per minute for everyone). A client may use a minute's
    /// allowance at once, then waits for it to refill. The API's is set by the operator.
    fn allowance(self, api_per_minute: u32) -> (u32, u32) {
        match self {
            Door::PublicForm => (10, 600),
            Door::Track => (10, 600),
            Door::Resident => (30, 3_000),
            Door::StaffSignIn => (10, 600),
            Door::Api => (api_per_minute, api_per_minute.saturating_mul(50)),
        }
    }

    const ALL: [Door; 5] = [
        Door::PublicForm,
        Door::Track,
        Door::Resident,
        Door::StaffSignIn,
        Door::Api,
    ];
}

/// Requests a minute one client may make to the API unless the operator says otherwise
/// (`REDRESS_API_REQUESTS_PER_MINUTE`).
pub const API_PER_MINUTE: u32 = 120;

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// The limiters, shared by every request the service answers.
pub struct Throttle {
    per_client: DefaultKeyedRateLimiter<(Door, IpAddr)>,
    /// One ceiling per door, in `Door::ALL` order.
    everyone: Vec<(Door, DefaultDirectRateLimiter)>,
    /// Read the client's address from `X-Forwarded-For`, set by a proxy in front.
    trust_proxy: bool,
    /// One client's allowance a minute at the API.
    api_per_minute: u32,
    /// The loosest door's allowance a minute: the keyed limiter's rate.
    fastest: u32,
    /// Off only where a test drives the router far faster than any person could.
    pub(crate) enabled: bool,
    clock: DefaultClock,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("trust_proxy", &self.trust_proxy)
            .finish()
    }
}

impl Throttle {
    /// The standard allowances. `trust_proxy` when a reverse proxy in front sets
    /// `X-Forwarded-For`; otherwise that header is ignored, since anyone can send it.
    pub fn new(trust_proxy: bool) -> Throttle {
        Throttle::with_api_allowance(trust_proxy, API_PER_MINUTE)
    }

    /// As `new`, with `api_per_minute` requests a minute for one client at the API (at
    /// least 1), and fifty times that for every client together.
    pub fn with_api_allowance(trust_proxy: bool, api_per_minute: u32) -> Throttle {
        let api_per_minute = api_per_minute.max(1);
        let fastest = Door::ALL
            .into_iter()
            .map(|d| d.allowance(api_per_minute).0)
            .max()
            .unwrap_or(api_per_minute);
        // One limiter keyed by door and client, at the loosest door's rate: each request
        // costs as many cells as its door is slower than that (see `check`).
        let per_client = RateLimiter::keyed(Quota::per_minute(nonzero(fastest)));
        let everyone = Door::ALL
            .into_iter()
            .map(|door| {
                let (_, all) = door.allowance(api_per_minute);
                (door, RateLimiter::direct(Quota::per_minute(nonzero(all))))
            })
            .collect();
        Throttle {
            per_client,
            everyone,
            trust_proxy,
            api_per_minute,
            fastest,
            enabled: true,
            clock: DefaultClock::default(),
        }
    }

    /// No limits: for tests of other things that send hundreds of requests in a second.
    pub fn off() -> Throttle {
        Throttle {
            enabled: false,
            ..Throttle::new(false)
        }
    }

    /// Seconds to wait before knocking again, or `None` when the request may go on.
    pub fn check(&self, door: Door, client: IpAddr) -> Option<u64> {
        if !self.enabled {
            return None;
        }
        let (per_minute, _) = door.allowance(self.api_per_minute);
        // With the API at 120, a door allowing 10 a minute costs 12 of the 120 cells a
        // minute refills.
        let cost = (self.fastest / per_minute.max(1)).max(1);
        let now = self.clock.now();
        if let Err(until) = self
            .per_client
            .check_key_n(&(door, client), nonzero(cost))
            .unwrap_or(Ok(()))
        {
            return Some(until.wait_time_from(now).as_secs().max(1));
        }
        let everyone = self.everyone.iter().find(|(d, _)| *d == door)?;
        match everyone.1.check() {
            Ok(()) => None,
            Err(until) => Some(until.wait_time_from(now).as_secs().max(1)),
        }
    }

    /// Who is knocking: the connection's address, or with a trusted proxy the address it
    /// reports (the last one in `X-Forwarded-For`, which the proxy itself added).
    fn client(&self, request: &Request) -> IpAddr {
        if self.trust_proxy
            && let Some(ip) = request
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

/// Who sent a request, for the handlers that count by source (staff sign-in).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

/// The middleware: a request over its door's allowance is answered at once. The cheap
/// count in memory comes first, so a flood never reaches the database.
pub async fn throttle(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let client = state.throttle.client(&request);
    request.extensions_mut().insert(ClientAddress(client));
    let door = Door::of(request.method(), request.uri().path());
    if let Some(door) = door
        && let Some(wait) = state.throttle.check(door, client)
    {
        tracing::info!(?door, %client, wait, "throttled");
        return too_many(wait, door == Door::Api);
    }
    // Where a guess could open a case, the count all instances share, in the database.
    if door == Some(Door::Track) && state.throttle.enabled {
        let (per_client, everyone) = Door::Track.allowance(state.throttle.api_per_minute);
        match state
            .app
            .knock(
                "track",
                &client.to_string(),
                per_client as usize,
                everyone as usize,
            )
            .await
        {
            Ok(None) => {}
            Ok(Some(wait)) => return too_many(wait, false),
            Err(e) => return crate::error_page(e),
        }
    }
    next.run(request).await
}

/// `429 Too Many Requests`, saying when to try again; at the API, as a problem document.
fn too_many(wait: u64, api: bool) -> Response {
    const SAY: &str = "Too many requests from here. Wait a little and try again.";
    let mut response = if api {
        crate::api::problem(StatusCode::TOO_MANY_REQUESTS, SAY, None)
    } else {
        crate::error_pages::too_many_page()
    };
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
