//! Reports people read: the performance measures for a period and the Tenant Satisfaction
//! Measures for a year, as tables, one accessible chart with its data, and CSV.

use crate::AppState;
use axum::Router;
use axum::routing::get;

mod benchmark;
mod measures;
mod open;
mod sections;
mod trends;
mod tsm;
mod words;

use benchmark::{benchmark_json, compare, compare_form};
use measures::{index, measures_csv};
use open::{open_csv, open_page};
pub(crate) use sections::{Profile, Section, sections};
pub(crate) use trends::{TrendTable, table as trend_table};
use trends::{trends_csv, trends_page};
use tsm::tsm_page;
pub(crate) use tsm::{TsmRows, tsm_rows};
pub(crate) use words::Words;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reports", get(index))
        .route("/staff/reports/measures.csv", get(measures_csv))
        .route("/staff/reports/tsm", get(tsm_page))
        .route("/staff/reports/trends", get(trends_page))
        .route("/staff/reports/trends.csv", get(trends_csv))
        .route("/staff/reports/open", get(open_page))
        .route("/staff/reports/open.csv", get(open_csv))
        .route("/staff/reports/benchmark.json", get(benchmark_json))
        .route("/staff/reports/compare", get(compare_form).post(compare))
}
