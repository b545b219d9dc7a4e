//! Responses rendered once and served to everyone for a moment: during a surge most
//! requests are the same campaign page or count, reloaded over and over.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, HeaderValue, VARY};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;

/// A rendered body, and the same body gzip-compressed once for every client that takes it.
/// Compressing once at the best level costs less than compressing each response quickly.
#[derive(Clone)]
pub struct Rendered {
    made: Instant,
    body: Bytes,
    gzip: Option<Bytes>,
}

impl Rendered {
    pub fn new(body: impl Into<Bytes>) -> Self {
        let body = body.into();
        let gzip = gzip(&body);
        Self {
            made: Instant::now(),
            body,
            gzip,
        }
    }

    /// The response, compressed if the client accepts gzip. A compressed body carries its
    /// `Content-Encoding`, which tells the compression middleware to leave it alone.
    pub fn respond(&self, req: &HttpRequest, mut builder: HttpResponseBuilder) -> HttpResponse {
        builder.insert_header((VARY, HeaderValue::from_static("accept-encoding")));
        match &self.gzip {
            Some(gzip) if accepts_gzip(req) => builder
                .insert_header((CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .body(gzip.clone()),
            _ => builder.body(self.body.clone()),
        }
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::best());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Whether `Accept-Encoding` allows gzip (by name or `*`), without a zero weight.
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
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

    use actix_web::test::TestRequest;

    use super::*;

    fn with_encoding(value: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((ACCEPT_ENCODING, value))
            .to_http_request()
    }

    #[test]
    fn gzip_is_chosen_only_when_the_client_takes_it() {
        assert!(accepts_gzip(&with_encoding("gzip, deflate, br")));
        assert!(accepts_gzip(&with_encoding("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&with_encoding("*")));
        assert!(!accepts_gzip(&with_encoding("gzip;q=0, br")));
        assert!(!accepts_gzip(&with_encoding("identity")));
        assert!(!accepts_gzip(&TestRequest::default().to_http_request()));
    }

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
        assert_eq!(first.body, second.body);
        std::thread::sleep(Duration::from_millis(60));
        let third = cache.get_or_render("k", &mut render).expect("rendered");
        assert_eq!(&third.body[..], b"page 2");
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

    #[test]
    fn bodies_are_compressed_once_and_decompress_to_the_original() {
        let page = "<p>Mariposas por México</p>\n".repeat(200);
        let rendered = Rendered::new(page.clone());
        let gzip = rendered.gzip.expect("compressed");
        assert!(gzip.len() < page.len() / 4);
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, page);
    }
}
