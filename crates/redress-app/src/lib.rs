//! Redress use cases: each takes a command, loads what it needs, lets the domain decide and
//! saves the result with its events in one transaction.

pub mod access;
pub mod annual;
pub mod attachments;
pub mod auth;
pub mod branding;
pub mod case_page;
pub mod cases;
mod compliments;
mod conversions;
pub mod demo;
pub mod drafts;
pub mod equality;
mod error;
pub mod evidence;
pub mod hazards;
pub mod import;
pub mod inbox;
mod knocks;
pub mod learning;
pub mod letter_checks;
pub mod letter_settings;
pub mod letter_templates;
pub mod limits;
mod linking;
pub mod mail;
pub mod my_work;
pub mod organisation_admin;
pub mod postal;
pub mod privacy;
pub mod reminders;
pub mod repeats;
pub mod reports;
pub mod resident;
pub mod restrictions;
pub mod safeguarding;
pub mod schemes;
pub mod scope;
pub mod scrutiny;
pub mod settings;
pub mod setup;
pub mod sso;
pub mod survey;
pub mod tenants_panel;
pub mod trends;
pub mod webhooks;
mod wording;

pub use error::AppError;

use jiff::Timestamp;
use redress_domain::calendar::{HolidayTable, WorkingCalendar};
use redress_domain::organisation::Organisation;
use redress_domain::scheme::Scheme;
use redress_store::Store;
use std::sync::Arc;

/// The running application: the store, the organisation it serves and its calendar data.
#[derive(Clone)]
pub struct App {
    /// Private: pages, the API and the command line reach data only through use cases,
    /// which check who is asking.
    store: Store,
    pub organisation: Organisation,
    holidays: Arc<HolidayTable>,
    branding: Arc<std::sync::RwLock<redress_domain::branding::Branding>>,
    /// Where residents reach the service, for links in letters and emails.
    public_url: Arc<str>,
    /// Injected so tests and demo data can fix "now".
    clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    /// Staff single sign-on, when an identity provider is configured.
    sso: Option<Arc<sso::Sso>>,
    /// The address Redress sends from, so mail from it coming back in is never answered.
    mail_from: Option<Arc<str>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("organisation", &self.organisation.name)
            .finish()
    }
}

impl App {
    /// Loads the organisation and the bank holidays (the shipped list with any imported
    /// years laid over it).
    pub async fn load(store: Store) -> Result<App, AppError> {
        let organisation = store
            .organisation()
            .await?
            .ok_or_else(|| AppError::Setup("no organisation is set up yet".into()))?;
        let imported = store.imported_holidays().await?;
        let holidays = Arc::new(HolidayTable::built_in().with_imported(&imported));
        let branding = App::load_branding(&store, &organisation.id).await?;
        Ok(App {
            store,
            organisation,
            holidays,
            branding: Arc::new(std::sync::RwLock::new(branding)),
            public_url: Arc::from("http://127.0.0.1:8080"),
            clock: Arc::new(Timestamp::now),
            sso: None,
            mail_from: None,
        })
    }

    /// Sets the address residents use (`REDRESS_PUBLIC_URL`), without a trailing slash.
    pub fn with_public_url(mut self, url: &str) -> App {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    /// Sets the address emails are sent from (`REDRESS_MAIL_FROM`): the bare address, so
    /// mail from it that comes back into the mailbox is recognised.
    pub fn with_mail_from(mut self, from: &str) -> App {
        let address = from
            .rsplit_once('<')
            .map_or(from, |(_, a)| a.trim_end_matches('>'))
            .trim();
        self.mail_from = (!address.is_empty()).then(|| Arc::from(address));
        self
    }

    /// Whether the database answers: for the health check.
    pub async fn ping(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// Figures for monitoring (counts only, no personal data): open and overdue cases by
    /// stage, the outboxes, and the database pool.
    pub async fn operating_counts(&self) -> Result<redress_store::OperatingCounts, AppError> {
        Ok(self
            .store
            .operating_counts(&self.organisation.id, self.today())
            .await?)
    }

    /// Ready to serve: the database answers and every migration this build knows has run.
    pub async fn ready(&self) -> Result<(), AppError> {
        if self.store.schema_current().await? {
            Ok(())
        } else {
            Err(AppError::Internal(
                "the database schema is not the one this build expects: run `redress migrate`"
                    .into(),
            ))
        }
    }

    /// Which database this runs on, for the start-up log.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> App {
        self.clock = Arc::new(clock);
        self
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn today(&self) -> jiff::civil::Date {
        redress_domain::contact::uk_date(self.now())
    }

    /// The organisation's working days: its division's bank holidays and its closure days.
    pub async fn calendar(&self) -> Result<WorkingCalendar, AppError> {
        let closures = self
            .store
            .closure_days(&self.organisation.id)
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        Ok(WorkingCalendar::new(
            self.organisation.division,
            self.holidays.clone(),
            closures,
        ))
    }

    /// The working days of the law (Awaab's Law's timescales): weekends and bank holidays,
    /// never the organisation's own closure days.
    pub fn statutory_calendar(&self) -> WorkingCalendar {
        WorkingCalendar::new(
            self.organisation.division,
            self.holidays.clone(),
            Default::default(),
        )
    }

    /// The scheme a contact in `service_area` runs under: the area's, else the organisation's.
    pub async fn scheme_for(&self, service_area: Option<&str>) -> Result<Scheme, AppError> {
        let id = match service_area {
            Some(area) => self
                .store
                .service_areas(&self.organisation.id)
                .await?
                .into_iter()
                .find(|a| a.id == area)
                .map(|a| a.scheme)
                .unwrap_or_else(|| self.organisation.default_scheme.clone()),
            None => self.organisation.default_scheme.clone(),
        };
        self.find_scheme(&id).await
    }

    /// The organisation's service areas (its business areas), name by id.
    pub async fn service_area_names(
        &self,
    ) -> Result<std::collections::BTreeMap<String, String>, AppError> {
        Ok(self
            .store
            .service_areas(&self.organisation.id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect())
    }
}
