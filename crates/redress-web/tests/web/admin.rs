//! Administrators manage users, areas, closure days and the organisation's look.

use super::hidden;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use redress_app::access::Principal;
use redress_domain::role::Role;
use redress_testkit::web::{PASSWORD, on_each_backend};
use tower::ServiceExt;

#[tokio::test]
async fn administrators_manage_users_areas_and_closure_days() {
    on_each_backend(|t| async move {
        let admin = t.app.add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD).await.unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let officer = t.sign_in("officer@test.org").await;
        for path in ["/staff/admin", "/staff/admin/users", "/staff/admin/organisation"] {
            assert_eq!(t.get(path, Some(&officer)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let users = t.get("/staff/admin/users", Some(&cookie)).await.body;
        let csrf = hidden(&users, "csrf");

        let short = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Nia&email=nia%40test.org&role=case-worker&password=short"), Some(&cookie)).await;
        assert!(short.body.contains("at least 12 characters"));
        assert!(!short.body.contains("value=\"short\""), "a password is never shown back");
        let taken = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Olu&email=officer%40test.org&role=case-worker&password={PASSWORD}"), Some(&cookie)).await;
        assert!(taken.body.contains("There is already a user with this email address"));
        let added = t.post_form("/staff/admin/users", format!("csrf={csrf}&name=Nia+Roberts&email=nia%40test.org&role=case-worker&password={PASSWORD}"), Some(&cookie)).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let nia_cookie = t.sign_in("nia@test.org").await;

        let nia = t.store.user_by_email("nia@test.org").await.unwrap().unwrap().0;
        let off = t.post_form(&format!("/staff/admin/users/{}", nia.id), format!("csrf={csrf}&role=case-worker"), Some(&cookie)).await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        assert_eq!(t.get("/staff/cases", Some(&nia_cookie)).await.location, "/staff/login", "turning access off ends their session");
        let me = t.post_form(&format!("/staff/admin/users/{}", admin.id), format!("csrf={csrf}&role=case-worker&active=yes"), Some(&cookie)).await;
        assert!(me.body.contains("You cannot remove your own administrator access"));

        let org = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        assert!(org.contains("England and Wales"));
        let r = t.post_form("/staff/admin/organisation/areas", format!("csrf={csrf}&area_name=Repairs&scheme=hos-2024"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let again = t.post_form("/staff/admin/organisation/areas", format!("csrf={csrf}&area_name=Repairs&scheme=hos-2024"), Some(&cookie)).await;
        assert!(again.body.contains("There is already a service area with this name"));
        let bad = t.post_form("/staff/admin/organisation/closures", format!("csrf={csrf}&day=2026-02-30&reason=x"), Some(&cookie)).await;
        assert!(bad.body.contains("Enter a real date"));
        let ok = t.post_form("/staff/admin/organisation/closures", format!("csrf={csrf}&day=2026-12-24&reason=Office+move"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(t.store.closure_days(&t.app.organisation.id).await.unwrap().len(), 1);
        let cross_site = Request::post("/staff/admin/organisation/closures")
            .header(header::HOST, "redress.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}&day=2026-12-31&reason=x")))
            .unwrap();
        assert_eq!(t.send(cross_site).await.status, StatusCode::FORBIDDEN);

        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        for entry in ["Added Nia Roberts (nia@test.org) as Case worker", "Nia Roberts: role Case worker, cannot sign in", "Added the service area Repairs", "Closure day 24 December 2026: Office move"] {
            assert!(log.contains(entry), "{entry}");
        }

        // Homes by tenure and year, checked field by field.
        let page = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        let csrf = hidden(&page, "csrf");
        let bad = t.post_form("/staff/admin/organisation/homes", format!("csrf={csrf}&homes_year=26&tenure=&homes=lots"), Some(&cookie)).await;
        for message in ["Enter the year as four digits", "Select a tenure", "Enter the number of homes as a whole number"] {
            assert!(bad.body.contains(message), "{message}");
        }
        let ok = t.post_form("/staff/admin/organisation/homes", format!("csrf={csrf}&homes_year=2026&tenure=low-cost-rental&homes=8%2C420"), Some(&cookie)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let homes = t.store.homes(&t.app.organisation.id).await.unwrap();
        assert_eq!((homes[0].year, homes[0].homes), (2026, 8420));

        // The ombudsman's contact details, as letters will give them.
        let page = t.get("/staff/admin/organisation", Some(&cookie)).await.body;
        assert!(page.contains("Housing Ombudsman Service, PO Box 1484"));
        let form: Vec<(String, String)> = ["housing", "local-government-and-social-care", "scottish-public-services", "public-services-wales"]
            .iter()
            .map(|k| (k.to_string(), if *k == "housing" { "Call the Housing Ombudsman on 0300 111 3000".to_string() } else { "x".to_string() }))
            .collect();
        let mut body = format!("csrf={csrf}");
        for (k, v) in &form {
            body.push_str(&format!("&{k}={}", v.replace(' ', "+")));
        }
        let empty = t.post_form("/staff/admin/organisation/ombudsman", body.replace("&public-services-wales=x", "&public-services-wales="), Some(&cookie)).await;
        assert!(empty.body.contains("Enter how to contact the Public Services Ombudsman for Wales"));
        let saved = t.post_form("/staff/admin/organisation/ombudsman", body, Some(&cookie)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.app.ombudsman_contact(redress_domain::scheme::Ombudsman::Housing).await.unwrap(),
            "Call the Housing Ombudsman on 0300 111 3000"
        );
        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        assert!(log.contains("Homes in 2026, renting (social or affordable rent): 8420"));
        assert!(log.contains("Contact details for the Housing Ombudsman changed"));
    })
    .await;
}

#[tokio::test]
async fn an_administrator_sets_the_name_colour_and_logo() {
    on_each_backend(|t| async move {
        t.app.add_user(&Principal::System, "brand@test.org", "Bryn Admin", Role::Admin, PASSWORD).await.unwrap();
        let admin = t.sign_in("brand@test.org").await;
        let page = t.get("/staff/admin/branding", Some(&admin)).await.body;
        assert!(page.contains("value=\"Test Homes\""));
        let csrf = hidden(&page, "csrf");
        let pale = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=Cartref+Homes&colour=%23ffdd00"), Some(&admin)).await;
        assert!(pale.body.contains("choose a darker colour"), "{}", pale.body);
        let blank = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=+&colour="), Some(&admin)).await;
        assert!(blank.body.contains("Enter the organisation&#39;s name"), "{}", blank.body);
        let ok = t.post_form("/staff/admin/branding", format!("csrf={csrf}&brand_name=Cartref+Homes&colour=%23005a30"), Some(&admin)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let start = t.get("/", None).await.body;
        assert!(start.contains("Cartref Homes") && start.contains("/static/brand.css"));
        assert!(t.get("/static/brand.css", None).await.body.contains(".header { background: #005a30; }"));

        // A logo: images only.
        let send_logo = |name: &str, bytes: &[u8]| {
            let boundary = "LogoBoundary";
            let mut body = Vec::new();
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes());
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
            body.extend(bytes);
            body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            Request::post("/staff/admin/branding/logo")
                .header(header::HOST, "redress.test")
                .header(header::ORIGIN, "http://redress.test")
                .header(header::COOKIE, admin.clone())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let wrong = t.send(send_logo("logo.pdf", b"%PDF-1.4 not an image")).await;
        assert!(wrong.body.contains("The logo must be a PNG or JPEG image"), "{}", wrong.body);
        let png = b"\x89PNG\r\n\x1a\nlogo-bytes";
        assert_eq!(t.send(send_logo("logo.png", png)).await.status, StatusCode::SEE_OTHER);
        assert!(t.get("/", None).await.body.contains("<img class=\"header__logo\" src=\"/static/logo\" alt=\"\">"));
        let logo = t
            .router
            .clone()
            .oneshot(Request::get("/static/logo").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(logo.headers().get(header::CONTENT_TYPE).unwrap(), "image/png");
        assert_eq!(&logo.into_body().collect().await.unwrap().to_bytes()[..], png);
        let removed = t.post_form("/staff/admin/branding/logo/remove", format!("csrf={csrf}"), Some(&admin)).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(t.get("/static/logo", None).await.status, StatusCode::NOT_FOUND);

        let log = t.get("/staff/admin", Some(&admin)).await.body;
        for entry in ["Branding: name Cartref Homes, colour #005a30", "Branding: new logo", "Branding: logo removed"] {
            assert!(log.contains(entry), "{entry}");
        }
        // Only administrators.
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(t.get("/staff/admin/branding", Some(&officer)).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn administrators_set_the_limits_on_files_and_dates_with_errors_at_each_field() {
    on_each_backend(|t| async move {
        let admin = t.app.add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD).await.unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let officer = t.sign_in("officer@test.org").await;
        assert_eq!(t.get("/staff/admin/limits", Some(&officer)).await.status, StatusCode::FORBIDDEN);
        let page = t.get("/staff/admin/limits", Some(&cookie)).await.body;
        assert!(page.contains("value=\"30\"") && page.contains("value=\"24\""), "the defaults are shown");
        let csrf = hidden(&page, "csrf");
        let wrong = t
            .post_form("/staff/admin/limits", format!("csrf={csrf}&files_per_case=0&mb_per_case=lots&resident_files_per_day=5&received_within_months="), Some(&cookie))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("Enter the files one case may hold as a whole number from 1 to 500"));
        assert!(wrong.body.contains("href=\"#mb_per_case\""), "the summary links to the field");
        assert!(wrong.body.contains("Enter how many months back a contact may be dated"));
        assert!(wrong.body.contains("value=\"lots\""), "what was typed is kept");
        let saved = t
            .post_form("/staff/admin/limits", format!("csrf={csrf}&files_per_case=12&mb_per_case=100&resident_files_per_day=5&received_within_months=18"), Some(&cookie))
            .await;
        assert_eq!(saved.location, "/staff/admin/limits?saved=1");
        let page = t.get("/staff/admin/limits?saved=1", Some(&cookie)).await.body;
        assert!(page.contains("value=\"12\"") && page.contains("value=\"18\""));
        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        assert!(log.contains("Changed the limits on files"));
    })
    .await;
}

#[tokio::test]
async fn administrators_copy_a_scheme_make_it_their_own_and_give_it_to_a_service_area() {
    on_each_backend(|t| async move {
        let admin = t.app.add_user(&Principal::System, "admin@test.org", "Alex Admin", Role::Admin, PASSWORD).await.unwrap();
        let cookie = t.sign_in(&admin.email).await;
        let officer = t.sign_in("officer@test.org").await;
        for path in ["/staff/admin/schemes", "/staff/admin/schemes/new", "/staff/admin/schemes/hos-2024"] {
            assert_eq!(t.get(path, Some(&officer)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let area = t.app.add_service_area(&Principal::System, "Housing services", "hos-2024").await.unwrap();
        let list = t.get("/staff/admin/schemes", Some(&cookie)).await.body;
        assert!(list.contains("Housing Ombudsman Complaint Handling Code 2024") && list.contains("Built in"));
        // A built-in scheme is read, not edited; copying it fills the form.
        let built_in = t.get("/staff/admin/schemes/hos-2024", Some(&cookie)).await.body;
        assert!(built_in.contains("10 working days") && !built_in.contains("Save as a new version"));
        let copy = t.get("/staff/admin/schemes/new?copy=hos-2024", Some(&cookie)).await.body;
        assert!(copy.contains("value=\"Copy of Housing Ombudsman Complaint Handling Code 2024\""));
        assert!(copy.contains("name=\"stage2_respond\" type=\"text\" inputmode=\"numeric\" value=\"20\""));
        let csrf = hidden(&copy, "csrf");

        let form = |id: &str, days: &str| {
            format!(
                "csrf={csrf}&scheme_id={id}&scheme_name=Council+complaints+policy&time_limit_months=12&ombudsman=\
                 &stage1_name=Stage+1&stage1_ack=3&stage1_respond={days}&stage1_unit=calendar-days&stage1_from=receipt&stage1_cap=\
                 &stage2_name=&stage2_ack=&stage2_respond=&stage2_unit=working-days&stage2_from=receipt&stage2_cap="
            )
        };
        let wrong = t.post_form("/staff/admin/schemes/new", form("Council 30", "thirty"), Some(&cookie)).await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("href=\"#scheme_id\"") && wrong.body.contains("lower-case letters"));
        assert!(wrong.body.contains("href=\"#stage1_respond\"") && wrong.body.contains("value=\"thirty\""));
        let made = t.post_form("/staff/admin/schemes/new", form("council-30-day", "30"), Some(&cookie)).await;
        assert_eq!(made.location, "/staff/admin/schemes/council-30-day?saved=1");
        let ours = t.get(&made.location, Some(&cookie)).await.body;
        assert!(ours.contains("Ours, version 1") && ours.contains("30 calendar days"));
        // Editing saves a new version under the same short name.
        let edited = t.post_form("/staff/admin/schemes/council-30-day", form("ignored", "28"), Some(&cookie)).await;
        assert_eq!(edited.location, "/staff/admin/schemes/council-30-day?saved=1");
        assert!(t.get(&edited.location, Some(&cookie)).await.body.contains("Ours, version 2"));
        let built_in_post = t.post_form("/staff/admin/schemes/hos-2024", form("hos-2024", "28"), Some(&cookie)).await;
        assert_eq!(built_in_post.status, StatusCode::NOT_FOUND);

        // The service area now follows it, and the page says so.
        let field = format!("scheme-{}", area.id);
        let moved = t.post_form(&format!("/staff/admin/schemes/areas/{}", area.id), format!("csrf={csrf}&{field}=council-30-day"), Some(&cookie)).await;
        assert_eq!(moved.location, "/staff/admin/schemes?saved=1");
        let list = t.get("/staff/admin/schemes", Some(&cookie)).await.body;
        assert!(list.contains("<option value=\"council-30-day\" selected>"));
        let bad = t.post_form(&format!("/staff/admin/schemes/areas/{}", area.id), format!("csrf={csrf}&{field}=nope"), Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains(&format!("href=\"#{field}\"")));
        let log = t.get("/staff/admin", Some(&cookie)).await.body;
        assert!(log.contains("Housing services now follows Council complaints policy"));
    })
    .await;
}
