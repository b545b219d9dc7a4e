//! Responses rendered once and served to everyone for a moment: during a surge most
//! requests are the same campaign page or count, reloaded over and over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};

use super::precompressed::Precompressed;

/// A rendered body, compressed once for every client that takes it. Compressing once at
/// the best level costs less than compressing each response quickly.
#[derive(Clone)]
pub struct Rendered {
    made: Instant,
    body: Precompressed,
}

impl Rendered {
    pub fn new(body: String) -> Self {
        Self {
            made: Instant::now(),
            body: Precompressed::new(body),
        }
    }

    /// The response, in the coding the client prefers.
    pub fn respond(&self, req: &HttpRequest, builder: HttpResponseBuilder) -> HttpResponse {
        self.body.respond(req, builder)
    }
}

/// Rendered bodies by key, each reused for `ttl`. Keys include request values such as a
/// partner's `?source=`, so the number kept is bounded: past it, bodies are rendered per
/// request until old ones expire.
pub struct RenderedCache {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<String, Rendered>>,
}

impl RenderedCache {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self {
            ttl,
            max_entries,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The body kept under `key` if still fresh, else a new one from `render`, kept.
    pub fn get_or_render<E>(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Rendered, E> {
        if let Some(fresh) = self.fresh(key) {
            return Ok(fresh);
        }
        // Rendered outside the lock: a slow rendering must not hold up other pages.
        let rendered = Rendered::new(render()?);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.max_entries {
                let ttl = self.ttl;
                entries.retain(|_, kept| kept.made.elapsed() < ttl);
            }
            if entries.len() < self.max_entries {
                entries.insert(key.to_owned(), rendered.clone());
            }
        }
        Ok(rendered)
    }

    fn fresh(&self, key: &str) -> Option<Rendered> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|kept| kept.made.elapsed() < self.ttl)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;

    #[test]
    fn a_kept_body_is_reused_until_it_expires() {
        let cache = RenderedCache::new(Duration::from_millis(50), 8);
        let mut renders = 0;
        let mut render = || {
            renders += 1;
            Ok::<_, Infallible>(format!("page {renders}"))
        };
        let first = cache.get_or_render("k", &mut render).expect("rendered");
        let second = cache.get_or_render("k", &mut render).expect("rendered");
        assert_eq!(first.made, second.made, "the first rendering is reused");
        std::thread::sleep(Duration::from_millis(60));
        let third = cache.get_or_render("k", &mut render).expect("rendered");
        assert!(third.made > first.made);
        assert_eq!(renders, 2, "rendered again once expired");
    }

    #[test]
    fn past_the_bound_bodies_are_rendered_but_not_kept() {
        let cache = RenderedCache::new(Duration::from_secs(60), 2);
        for key in ["a", "b", "c"] {
            cache
                .get_or_render(key, || Ok::<_, Infallible>(key.to_owned()))
                .expect("rendered");
        }
        assert!(cache.fresh("a").is_some());
        assert!(cache.fresh("c").is_none());
    }
}
