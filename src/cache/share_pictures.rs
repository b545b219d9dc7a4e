//! Campaigns' link-preview pictures, drawn once per version of the campaign, of the
//! organisation's settings and of the language, and kept: a shared link is opened by every
//! social network's crawler and every chat app at once.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Pictures kept; each is some tens of kilobytes.
const KEPT: usize = 256;

/// Pictures drawn, by campaign version, organisation version and language.
#[derive(Default)]
pub struct SharePictures {
    kept: RwLock<HashMap<String, Arc<Vec<u8>>>>,
}

impl SharePictures {
    pub fn get(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        self.kept.read().ok()?.get(key).cloned()
    }

    pub fn keep(&self, key: String, png: Arc<Vec<u8>>) {
        if let Ok(mut kept) = self.kept.write() {
            if kept.len() >= KEPT {
                kept.clear();
            }
            kept.insert(key, png);
        }
    }
}
