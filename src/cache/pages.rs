//! Responses rendered once and served to everyone for a moment: during a surge most
//! requests are the same campaign page or count, reloaded over and over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};

use super::compressed::Precompressed;

/// A rendered body, compressed once for every client that takes it, at a fast level: it
/// is made again every second, and for every page that is not kept.
#[derive(Clone)]
pub struct Rendered {
    made: Instant,
    body: Precompressed,
}

impl Rendered {
    /// The response, in the coding the client prefers.
    pub fn respond(&self, req: &HttpRequest, builder: HttpResponseBuilder) -> HttpResponse {
        self.body.respond(req, builder)
    }
}

/// Rendered bodies by key, each reused for `ttl`. Keys hold only what changes a page (a
/// registered partner's source, never any `?source=` a link carries), and the number kept
/// is bounded all the same: past it, bodies are rendered per request until old ones expire.
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

    /// The body kept under `key` if still fresh, else a new one from `render`, kept. A new
    /// one is rendered and compressed on the blocking pool, so that the async workers keep
    /// answering meanwhile; outside the lock, so that it holds up no other page.
    pub async fn get_or_render(
        &self,
        key: &str,
        render: impl FnOnce() -> Result<String, askama::Error> + Send + 'static,
    ) -> Result<Rendered, askama::Error> {
        if let Some(fresh) = self.fresh(key) {
            return Ok(fresh);
        }
        let rendered = web::block(move || {
            render().map(|body| Rendered {
                made: Instant::now(),
                body: Precompressed::fast(body),
            })
        })
        .await
        .map_err(askama::Error::custom)??;
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
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Renders counted, for a cache whose bodies live `ttl`: how many renderings two
    /// requests for one page cost.
    async fn renders_for_two_requests(ttl: Duration) -> usize {
        let cache = RenderedCache::new(ttl, 8);
        let renders = Arc::new(AtomicUsize::new(0));
        for _ in 0..2 {
            let renders = Arc::clone(&renders);
            cache
                .get_or_render("k", move || {
                    let n = renders.fetch_add(1, Ordering::Relaxed) + 1;
                    Ok::<_, askama::Error>(format!("page {n}"))
                })
                .await
                .expect("rendered");
        }
        renders.load(Ordering::Relaxed)
    }

    #[tokio::test]
    async fn a_kept_body_is_reused_while_fresh_and_rendered_again_once_expired() {
        assert_eq!(renders_for_two_requests(Duration::from_secs(60)).await, 1);
        assert_eq!(renders_for_two_requests(Duration::ZERO).await, 2);
    }

    #[tokio::test]
    async fn past_the_bound_bodies_are_rendered_but_not_kept() {
        let cache = RenderedCache::new(Duration::from_secs(60), 2);
        for key in ["a", "b", "c"] {
            cache
                .get_or_render(key, || Ok::<_, askama::Error>(key.to_owned()))
                .await
                .expect("rendered");
        }
        assert!(cache.fresh("a").is_some());
        assert!(cache.fresh("c").is_none());
    }
}
