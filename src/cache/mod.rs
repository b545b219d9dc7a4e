//! What every page shows, kept in memory so that a surge of readers does not reach the
//! database: each file is named for what it holds, and each is reloaded or expires, so that
//! instances sharing one database agree within seconds.

pub mod campaigns;
pub mod compressed;
pub mod counts;
pub mod history;
pub mod history_answers;
pub mod organisation;
pub mod pages;
pub mod review_baselines;
pub mod share_pictures;
pub mod sources;
