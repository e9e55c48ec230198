//! Who may see what, sign-in and sessions, hostile input, headers.

use super::{VALID, hidden};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use redress_app::access::Principal;
use redress_domain::role::{Permission, Role};
use redress_testkit::web::{PASSWORD, on_each_backend};
use tower::ServiceExt;

#[tokio::test]
async fn health_openapi_and_security_headers() {
    on_each_backend(|t| async move {
        let health = t.get("/healthz", None).await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok")
        );
        let doc: serde_json::Value =
            serde_json::from_str(&t.get("/api/openapi.json", None).await.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/api/contacts"]["post"].is_object());
        let response = t
            .router
            .clone()
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let csp = response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'none'"));
        assert_eq!(
            t.get("/no/such/page", None).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn every_role_sees_only_what_it_may() {
    on_each_backend(|t| async move {
        let sent = t
            .post_form(
                &t.post_form("/contact/new", VALID, None).await.location,
                "",
                None,
            )
            .await;
        let page = t.get(&sent.location, None).await.body;
        let start = page.find("CMP-").unwrap();
        let reference = page[start..start + 15].to_string();
        let routes = [
            "/staff/cases".to_string(),
            format!("/staff/cases/{reference}"),
            "/staff/cases/new".to_string(),
            format!("/staff/cases/{reference}/act/acknowledge"),
            "/staff/actions".to_string(),
            "/staff/workload".to_string(),
            "/staff/letters".to_string(),
            "/staff/admin/letters/acknowledgement".to_string(),
            "/api/contacts".to_string(),
            "/staff/admin/privacy".to_string(),
            format!("/staff/cases/{reference}/case-study"),
            format!("/staff/cases/{reference}/act/erase-personal-data"),
            "/staff/reports".to_string(),
            "/staff/reports/tsm".to_string(),
        ];
        // What each role may open, in the order of `routes`.
        let staff = [
            true, true, true, true, true, true, true, false, true, false, true, false, true, true,
        ];
        let nothing = [false; 14];
        let mut governing_body = nothing;
        governing_body[12] = true;
        governing_body[13] = true;
        let table: [(Role, [bool; 14]); 10] = [
            (Role::Admin, [true; 14]),
            (Role::ComplaintsOfficer, staff),
            (Role::CaseWorker, staff),
            // The case is in no service area, so outside every service manager's scope.
            (
                Role::ServiceManager,
                [
                    true, false, true, false, true, true, true, false, true, false, false, false,
                    true, true,
                ],
            ),
            (
                Role::Auditor,
                [
                    true, true, false, false, true, true, true, false, true, false, true, false,
                    true, true,
                ],
            ),
            (Role::ScrutinyMember, nothing),
            (Role::AppealPanelMember, nothing),
            // Reports only.
            (Role::GoverningBody, governing_body),
            (Role::Executive, governing_body),
            // Its own pages only (tests/web/panel.rs).
            (Role::TenantsPanel, nothing),
        ];
        assert_eq!(table.len(), Role::ALL.len());
        for (role, allowed) in table {
            let email = format!("{}@roles.test", role.as_str());
            t.app
                .add_user(&Principal::System, &email, role.label(), role, PASSWORD)
                .await
                .unwrap();
            let cookie = t.sign_in(&email).await;
            for (route, allow) in routes.iter().zip(allowed) {
                let status = t.get(route, Some(&cookie)).await.status;
                if allow {
                    assert_eq!(status, StatusCode::OK, "{role:?} should open {route}");
                } else {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{role:?} must not open {route}"
                    );
                }
            }
        }
        // Every action form on a case: people who handle cases (erasure: administrators).
        for role in Role::ALL {
            let cookie = t.sign_in(&format!("{}@roles.test", role.as_str())).await;
            for slug in redress_web::action_slugs() {
                let route = format!("/staff/cases/{reference}/act/{slug}");
                let may = if slug == "erase-personal-data" {
                    role.can(Permission::Administer)
                } else {
                    // The case is in no service area, so outside a service manager's scope.
                    role.can(Permission::HandleCases) && *role != Role::ServiceManager
                };
                let status = t.get(&route, Some(&cookie)).await.status;
                let expected = if may {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "{role:?} {route}");
            }
        }
        // Without signing in, staff pages send people to sign in and the API says 401.
        for route in routes.iter().filter(|r| r.starts_with("/staff")) {
            assert_eq!(t.get(route, None).await.location, "/staff/login", "{route}");
        }
        assert_eq!(
            t.get("/api/contacts", None).await.status,
            StatusCode::UNAUTHORIZED
        );
        // Opening a case is logged, and the log is shown to administrators.
        let admin = t.sign_in("admin@roles.test").await;
        let case = t
            .get(&format!("/staff/cases/{reference}"), Some(&admin))
            .await
            .body;
        assert!(
            case.contains("Recent access") && case.contains("Auditor (read only)"),
            "the auditor's visit is logged"
        );
        let officer = t.sign_in("officer@test.org").await;
        assert!(
            !t.get(&format!("/staff/cases/{reference}"), Some(&officer))
                .await
                .body
                .contains("Recent access")
        );
    })
    .await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_while() {
    on_each_backend(|t| async move {
        for _ in 0..5 {
            let wrong = t
                .post_form(
                    "/staff/login",
                    "email=officer%40test.org&password=guess",
                    None,
                )
                .await;
            assert!(
                wrong
                    .body
                    .contains("Enter a correct email address and password")
            );
        }
        let locked = t
            .post_form(
                "/staff/login",
                format!("email=officer%40test.org&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(locked.status, StatusCode::OK);
        assert!(
            locked
                .body
                .contains("This account is locked after 5 wrong passwords"),
            "{}",
            locked.body
        );
        assert!(locked.cookie.is_none());
        // Another account is not affected.
        t.app
            .add_user(
                &Principal::System,
                "other@test.org",
                "Other",
                Role::CaseWorker,
                PASSWORD,
            )
            .await
            .unwrap();
        t.sign_in("other@test.org").await;
    })
    .await;
}

#[tokio::test]
async fn a_service_manager_sees_only_their_own_areas() {
    use redress_domain::organisation::ServiceArea;
    on_each_backend(|t| async move {
        let org = t.app.organisation.id.clone();
        for (id, name) in [("repairs", "Repairs"), ("asb", "Anti-social behaviour")] {
            let area = ServiceArea {
                id: id.into(),
                name: name.into(),
                scheme: "hos-2024".into(),
            };
            t.store.add_service_area(&org, &area).await.unwrap();
        }
        let mut refs = Vec::new();
        for area in ["repairs", "asb"] {
            let sent = t
                .post_form(
                    &t.post_form("/contact/new", format!("{VALID}&service_area={area}"), None)
                        .await
                        .location,
                    "",
                    None,
                )
                .await;
            let page = t.get(&sent.location, None).await.body;
            let start = page.find("CMP-").unwrap();
            refs.push(page[start..start + 15].to_string());
        }
        let (mine, theirs) = (&refs[0], &refs[1]);
        assert_eq!(
            t.app
                .case_for(&Principal::System, mine)
                .await
                .unwrap()
                .contact
                .detail
                .service_area
                .as_deref(),
            Some("repairs")
        );

        t.app
            .add_user(
                &Principal::System,
                "gm@test.org",
                "Gareth Manager",
                Role::ServiceManager,
                PASSWORD,
            )
            .await
            .unwrap();
        let manager = t.sign_in("gm@test.org").await;
        // Before any areas are given, a service manager sees no cases.
        assert!(
            !t.get("/staff/cases", Some(&manager))
                .await
                .body
                .contains(mine.as_str())
        );

        // An administrator gives them repairs.
        t.app
            .add_user(
                &Principal::System,
                "boss@test.org",
                "Bo Admin",
                Role::Admin,
                PASSWORD,
            )
            .await
            .unwrap();
        let admin = t.sign_in("boss@test.org").await;
        let users = t.get("/staff/admin/users", Some(&admin)).await.body;
        assert!(users.contains("Service areas Gareth Manager looks after"));
        let id = t
            .store
            .user_by_email("gm@test.org")
            .await
            .unwrap()
            .unwrap()
            .0
            .id;
        let csrf = hidden(&users, "csrf");
        let saved = t
            .post_form(
                &format!("/staff/admin/users/{id}"),
                format!("csrf={csrf}&role=service-manager&active=yes&area-repairs=yes"),
                Some(&admin),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            t.get("/staff/admin", Some(&admin))
                .await
                .body
                .contains("Gareth Manager now looks after: Repairs")
        );

        let list = t.get("/staff/cases", Some(&manager)).await.body;
        assert!(
            list.contains(&format!("href=\"/staff/cases/{mine}\"")),
            "{list}"
        );
        assert!(!list.contains(theirs.as_str()));
        assert_eq!(
            t.get(&format!("/staff/cases/{mine}"), Some(&manager))
                .await
                .status,
            StatusCode::OK
        );
        for route in [
            format!("/staff/cases/{theirs}"),
            format!("/staff/cases/{theirs}/act/add-note"),
            format!("/staff/cases/{theirs}/case-study"),
        ] {
            assert_eq!(
                t.get(&route, Some(&manager)).await.status,
                StatusCode::FORBIDDEN,
                "{route}"
            );
        }
        // Remedies due across cases: only their own areas'.
        use redress_domain::case::{Assignee, Command};
        for r in [mine, theirs] {
            let ack = Command::Acknowledge {
                on: t.app.today(),
                understanding: "Leak".into(),
                outcome_wanted: "Fix".into(),
            };
            t.app
                .apply_command(&Principal::System, r, ack, None)
                .await
                .unwrap();
            let remedy = Command::AddRemedy {
                kind: redress_domain::remedy::RemedyKind::Action,
                description: format!("Fix the leak for {r}"),
                owner: Assignee {
                    user_id: "u".into(),
                    name: "Olu Officer".into(),
                },
                due: t.app.today(),
                payment: None,
            };
            t.app
                .apply_command(&Principal::System, r, remedy, None)
                .await
                .unwrap();
        }
        let actions = t.get("/staff/actions", Some(&manager)).await.body;
        assert!(
            actions.contains(&format!("Fix the leak for {mine}"))
                && !actions.contains(theirs.as_str()),
            "{actions}"
        );
        let everyone = t.get("/staff/actions", Some(&admin)).await.body;
        assert!(everyone.contains(theirs.as_str()));
        let search = t
            .get(&format!("/staff/cases?q={theirs}"), Some(&manager))
            .await
            .body;
        assert!(
            !search.contains(&format!("href=\"/staff/cases/{theirs}\"")),
            "search does not reach past the scope"
        );
    })
    .await;
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_never_used() {
    on_each_backend(|t| async move {
        let planted = "redress_session=0123456789abcdef0123456789abcdef".to_string();
        let reply = t
            .post_form(
                "/staff/login",
                format!("email=officer@test.org&password={PASSWORD}"),
                Some(&planted),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let issued = reply.cookie.expect("a fresh session cookie");
        assert_ne!(issued, planted, "signing in issues a new session id");
        assert_eq!(
            t.get("/staff/cases", Some(&planted)).await.location,
            "/staff/login"
        );
        assert_eq!(
            t.get("/staff/cases", Some(&issued)).await.status,
            StatusCode::OK
        );
        // A staff form posted with another session's CSRF token is refused.
        let other = t.sign_in("officer@test.org").await;
        let page = t.get("/staff/cases/new", Some(&other)).await.body;
        let token = hidden(&page, "csrf");
        let mine = t.get("/staff/cases/new", Some(&issued)).await.body;
        assert_ne!(
            hidden(&mine, "csrf"),
            token,
            "each session has its own token"
        );
        let refused = t
            .post_form(
                "/staff/cases/new",
                format!("csrf={token}&{VALID}&channel=phone"),
                Some(&issued),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn nul_bytes_and_control_characters_are_answered_not_failed() {
    on_each_backend(|t| async move {
        let login = t
            .post_form("/staff/login", "email=a%00b%40test.org&password=x", None)
            .await;
        assert_eq!(
            login.status,
            StatusCode::OK,
            "a wrong address, not an error: {}",
            login.body
        );
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(
            t.get("/staff/cases?q=%00", Some(&officer)).await.status,
            StatusCode::OK
        );
        let track = t
            .post_form("/track", "reference=CMP-2026-000001%00&answer=%00", None)
            .await;
        assert_ne!(track.status, StatusCode::INTERNAL_SERVER_ERROR);
        let link = t
            .post_form(
                "/track/email-link",
                "link_reference=%00&link_email=a%00%40b.org",
                None,
            )
            .await;
        assert_ne!(link.status, StatusCode::INTERNAL_SERVER_ERROR);
        let form = t
            .post_form("/contact/new", format!("{VALID}&summary=a%00b"), None)
            .await;
        assert_ne!(form.status, StatusCode::INTERNAL_SERVER_ERROR);
    })
    .await;
}

#[tokio::test]
async fn an_address_the_service_cannot_read_is_answered_never_a_failure() {
    on_each_backend(|t| async move {
        let officer = t.sign_in("officer@test.org").await;
        for path in [
            "/staff/reports/annual?year=99999",
            "/staff/reports/benchmark.json?from=a&to=b",
            "/staff/reports?from=2026-13-01&to=x",
            "/staff/reports/tsm?year=abc",
            "/staff/cases?page=abc&kind=zzz",
            "/staff/cases/CMP-2026-000001/act/no-such-action",
            "/staff/cases/NOT-A-REFERENCE",
            "/staff/letters/zzz",
        ] {
            let reply = t.get(path, Some(&officer)).await;
            assert!(
                reply.status.is_success() || reply.status.is_client_error(),
                "{path}: {}",
                reply.status
            );
        }
        let reply = t
            .get("/staff/reports/annual?year=99999", Some(&officer))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(
            reply
                .body
                .contains("Enter the year the financial year starts in")
        );
        assert!(
            reply.body.contains("<h1"),
            "the site's own page: {}",
            reply.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_staff_form_from_elsewhere_or_without_its_token_saves_nothing() {
    on_each_backend(|t| async move {
        let admin = t.sign_in("officer@test.org").await;
        // Officers record contacts; a form without the session's token is refused.
        let reply = t
            .post_form(
                "/staff/admin/organisation/closures",
                "day=2026-12-24&reason=Office+move",
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let reply = t
            .post_form(
                "/staff/improvements/new",
                "title=Faster&description=More&csrf=wrong",
                Some(&admin),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(
            reply.body.contains("Your session has changed"),
            "{}",
            reply.body
        );
        assert!(
            t.app
                .improvements(&Principal::System)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn a_script_at_a_public_door_is_slowed_long_before_it_gets_anywhere() {
    use redress_web::throttle::Throttle;
    on_each_backend(|t| async move {
        // The real allowances, in front of the same service.
        let router = redress_web::router(redress_web::AppState {
            throttle: std::sync::Arc::new(Throttle::new(false)),
            app: t.app.clone(),
            secure_cookies: true,
            public_url: "https://complaints.test".into(),
            metrics_token: None,
        });
        let send = |path: &'static str, body: String| {
            let router = router.clone();
            async move {
                let request = axum::http::Request::builder()
                    .method("POST")
                    .uri(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", "https://complaints.test")
                    .body(axum::body::Body::from(body))
                    .unwrap();
                tower::ServiceExt::oneshot(router, request).await.unwrap()
            }
        };
        // Guessing references with a common postcode: stopped after ten tries a minute.
        let mut refused = None;
        for n in 1..=60 {
            let reply = send(
                "/track",
                format!("reference=CMP-2026-{n:06}&answer=CF10+1AA"),
            )
            .await;
            if reply.status() == StatusCode::TOO_MANY_REQUESTS {
                refused = Some((n, reply));
                break;
            }
        }
        let (n, reply) = refused.expect("a flood of guesses is refused");
        assert!(n <= 11, "refused at try {n}");
        let wait: u64 = reply.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(reply.headers().contains_key("strict-transport-security"));
        // Another door has its own allowance; the public form is throttled too.
        let mut forms = 0;
        for _ in 0..20 {
            if send("/contact/new", "kind=complaint".into()).await.status()
                == StatusCode::TOO_MANY_REQUESTS
            {
                break;
            }
            forms += 1;
        }
        assert_eq!(forms, 10, "ten forms a minute from one place, then a wait");
        // The refusal is a page that says what to do, in the resident's language.
        let welsh = axum::http::Request::builder()
            .method("POST")
            .uri("/contact/new")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "https://complaints.test")
            .header("cookie", "redress_lang=cy")
            .body(axum::body::Body::from("kind=complaint"))
            .unwrap();
        let refused = tower::ServiceExt::oneshot(router.clone(), welsh)
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.headers().contains_key("retry-after"));
        let page = axum::body::to_bytes(refused.into_body(), usize::MAX)
            .await
            .unwrap();
        let page = String::from_utf8_lossy(&page);
        assert!(page.contains("<html lang=\"cy\">"), "{page}");
        assert!(
            page.contains("Gormod o geisiadau o&#39;r fan hon"),
            "{page}"
        );
        // Staff sign-in from one place is throttled, however many accounts it tries.
        let mut tries = 0;
        let mut staff_refused = None;
        for n in 0..20 {
            let reply = send(
                "/staff/login",
                format!("email=user{n}%40test.org&password=wrong"),
            )
            .await;
            if reply.status() == StatusCode::TOO_MANY_REQUESTS {
                staff_refused = Some(reply);
                break;
            }
            tries += 1;
        }
        assert_eq!(tries, 10);
        // Staff are told in English, with no language link, and when to try again.
        let staff_refused = staff_refused.expect("sign-in is refused");
        assert!(staff_refused.headers().contains_key("retry-after"));
        let page = axum::body::to_bytes(staff_refused.into_body(), usize::MAX)
            .await
            .unwrap();
        let page = String::from_utf8_lossy(&page);
        assert!(
            page.contains("<html lang=\"en\">") && page.contains("Too many requests from here"),
            "{page}"
        );
        assert!(!page.contains("Cymraeg</a>"), "{page}");
        // Reading pages is never throttled.
        for _ in 0..30 {
            let request = axum::http::Request::builder()
                .uri("/")
                .body(axum::body::Body::empty())
                .unwrap();
            let reply = tower::ServiceExt::oneshot(router.clone(), request)
                .await
                .unwrap();
            assert_eq!(reply.status(), StatusCode::OK);
        }
    })
    .await;
}

#[tokio::test]
async fn the_api_allowance_is_the_operators_and_over_it_is_a_problem_document() {
    use redress_web::throttle::Throttle;
    on_each_backend(|t| async move {
        let router = redress_web::router(redress_web::AppState {
            throttle: std::sync::Arc::new(Throttle::with_api_allowance(false, 5)),
            app: t.app.clone(),
            secure_cookies: false,
            public_url: "http://complaints.test".into(),
            metrics_token: None,
        });
        let mut answered = 0;
        let last = loop {
            let request = axum::http::Request::builder()
                .uri("/api/contacts")
                .body(axum::body::Body::empty())
                .unwrap();
            let reply = tower::ServiceExt::oneshot(router.clone(), request)
                .await
                .unwrap();
            if reply.status() == StatusCode::TOO_MANY_REQUESTS || answered == 20 {
                break reply;
            }
            assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
            answered += 1;
        };
        assert_eq!(answered, 5, "five a minute, as set");
        assert_eq!(last.headers()["content-type"], "application/problem+json");
        assert!(last.headers().contains_key("retry-after"));
        // The public form keeps its own allowance whatever the API's.
        let form = axum::http::Request::builder()
            .method("POST")
            .uri("/contact/new")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "http://complaints.test")
            .body(axum::body::Body::from("kind=complaint"))
            .unwrap();
        let reply = tower::ServiceExt::oneshot(router.clone(), form)
            .await
            .unwrap();
        assert_ne!(reply.status(), StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

/// The staff links on a page: every `href` that stays on the staff side.
fn staff_links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/staff") && !href.contains("logout"))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn every_link_a_role_is_shown_opens_for_that_role() {
    on_each_backend(|t| async move {
        redress_app::demo::create(&t.app).await.unwrap();
        for role in Role::ALL {
            let email = format!("{}@links.test", role.as_str());
            t.app
                .add_user(&Principal::System, &email, role.label(), *role, PASSWORD)
                .await
                .unwrap();
            let cookie = t.sign_in(&email).await;
            // From the home page, two links deep: what the menus and pages offer.
            let mut seen = std::collections::BTreeSet::from(["/staff".to_string()]);
            let mut next = vec!["/staff".to_string()];
            for _ in 0..2 {
                let mut found = Vec::new();
                for path in next {
                    let reply = t.get(&path, Some(&cookie)).await;
                    assert_ne!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{role:?} is shown a link to {path}, which refuses them"
                    );
                    assert!(
                        reply.status.as_u16() < 500,
                        "{role:?} {path}: {}",
                        reply.status
                    );
                    for link in staff_links(&reply.body) {
                        if seen.len() < 150 && seen.insert(link.clone()) {
                            found.push(link);
                        }
                    }
                }
                next = found;
            }
            for path in next {
                let status = t.get(&path, Some(&cookie)).await.status;
                assert_ne!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role:?} is shown a link to {path}, which refuses them"
                );
            }
        }
    })
    .await;
}
