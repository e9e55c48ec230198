//! `redress serve`: the web service with its jobs alongside (staff reminders, retention,
//! the email outbox, webhooks) on one runtime.

use crate::config::Config;
use crate::open_app;
use anyhow::{Context, Result};
use redress_app::demo;

pub async fn serve(config: &Config, addr: Option<String>, with_demo: bool) -> Result<()> {
    let app = open_app(config, with_demo).await?;
    let addr = addr.unwrap_or_else(|| config.addr.clone());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let mut app = app
        .with_public_url(&public_url)
        .with_mail_from(&config.mail_from);
    if let Some(settings) = &config.sso {
        app = app.with_sso(redress_app::sso::Sso::new(settings.clone())?);
        tracing::info!(issuer = %settings.issuer, "staff sign in with single sign-on");
    }
    if with_demo {
        let created = demo::create(&app).await?;
        println!();
        println!(
            "Redress demo {} at http://{local}/",
            if created { "created" } else { "ready" }
        );
        println!("  Public pages:  http://{local}/");
        println!("  Staff sign-in: http://{local}/staff/login");
        println!(
            "  Email:    officer@{}   (also admin@, caseworker@, manager@, auditor@ ...)",
            demo::DEMO_DOMAIN
        );
        println!("  Password: {}", demo::DEMO_PASSWORD);
        println!();
    } else {
        println!(
            "Redress serving {} at http://{local}/ (staff: http://{local}/staff/login)",
            app.organisation.name
        );
    }
    tracing::info!(%local, backend = app.backend(), "listening");
    let reminders = app.clone();
    let days = config.reminder_days;
    tokio::spawn(async move {
        loop {
            match reminders.send_reminders(days).await {
                Ok(0) => {}
                Ok(n) => {
                    redress_web::metrics::reminders_queued(n);
                    tracing::info!(cases = n, "staff reminders queued")
                }
                Err(e) => tracing::error!(error = %e, "the reminder job failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
    let retention = app.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = retention.run_retention().await {
                tracing::error!(error = %e, "the retention job failed");
            }
            if let Err(e) = retention.forget_old_attempts().await {
                tracing::error!(error = %e, "forgetting old sign-in attempts failed");
            }
            if let Err(e) = retention.forget_old_webhook_deliveries().await {
                tracing::error!(error = %e, "forgetting old webhook deliveries failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
    match &config.smtp_url {
        Some(url) => {
            let mailer = redress_app::mail::Mailer::new(url, &config.mail_from)?;
            let worker = app.clone();
            tokio::spawn(async move {
                loop {
                    // Having sent something, more may be waiting (a safeguarding alert behind
                    // a morning's letters): go again at once; otherwise look every few seconds.
                    let pause = match worker.deliver_outbox(&mailer).await {
                        Ok(sent) if sent > 0 => std::time::Duration::from_millis(100),
                        Ok(_) => std::time::Duration::from_secs(5),
                        Err(e) => {
                            redress_web::metrics::outbox_round_failed();
                            tracing::error!(error = %e, "sending the outbox failed");
                            std::time::Duration::from_secs(15)
                        }
                    };
                    tokio::time::sleep(pause).await;
                }
            });
        }
        None => {
            tracing::info!("REDRESS_SMTP_URL is not set: emails wait in the outbox until it is")
        }
    }
    match config.mailbox()? {
        Some(mailbox) => {
            let reader = app.clone();
            let every = std::time::Duration::from_secs(config.imap_poll_seconds);
            tracing::info!(?mailbox, "reading the mailbox");
            tokio::spawn(async move {
                loop {
                    match reader.read_mailbox(&mailbox).await {
                        Ok(round) => redress_web::metrics::mailbox_round(&round),
                        Err(e) => {
                            redress_web::metrics::mailbox_round_failed();
                            tracing::error!(error = %e, "reading the mailbox failed");
                        }
                    }
                    tokio::time::sleep(every).await;
                }
            });
        }
        None => tracing::info!("REDRESS_IMAP_URL is not set: no mailbox is read"),
    }
    let sender = redress_app::webhooks::WebhookSender::new(
        config.webhook_pause_after,
        config.webhook_private_networks,
    )?;
    let hooks = app.clone();
    tokio::spawn(async move {
        loop {
            // As for email: more may be waiting after a full round, so go again at once.
            let pause = match hooks.deliver_webhooks(&sender).await {
                Ok(round) => {
                    redress_web::metrics::webhook_round(&round);
                    if round.tried() > 0 {
                        std::time::Duration::from_millis(100)
                    } else {
                        std::time::Duration::from_secs(2)
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "sending webhooks failed");
                    std::time::Duration::from_secs(15)
                }
            };
            tokio::time::sleep(pause).await;
        }
    });
    let state = redress_web::AppState {
        throttle: std::sync::Arc::new(redress_web::throttle::Throttle::with_api_allowance(
            config.trusted_proxy,
            config.api_requests_per_minute,
        )),
        app,
        secure_cookies: config.secure_cookies,
        public_url,
        metrics_token: config.metrics_token.clone(),
    };
    // The client's address, for throttling each one at the public doors.
    let service =
        redress_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
