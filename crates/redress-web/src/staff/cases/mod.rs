//! Cases: the list, one case's page, and recording a contact.

mod correspondence;
mod list;
mod new;
mod page;
mod recognition;
mod sections;
mod summary;

pub(super) use list::{cases, cases_csv, describe_deadline, status_class};
pub(super) use new::{new_contact, new_contact_form};
pub(super) use page::case;
