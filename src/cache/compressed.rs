//! Bodies compressed once and handed to every client that takes them: Brotli to browsers
//! that ask for it (all current ones), gzip to the rest. Assets, compressed at start-up,
//! take the best levels; pages, compressed again every second, a fast one.

use std::io::Write;

use actix_web::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, HeaderValue, VARY};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;

/// Brotli's densest setting; a body compressed once can afford it.
const BROTLI_QUALITY: i32 = 11;
/// For pages: Brotli 11 and gzip 9 took 36 ms of CPU for a campaign page, a level of 5 a
/// small part of that, for a body a few per cent larger.
const FAST_BROTLI_QUALITY: i32 = 5;
const FAST_GZIP_LEVEL: u32 = 6;
/// A 4 MiB window: far more than any page or stylesheet here.
const BROTLI_WINDOW_BITS: i32 = 22;

#[derive(Clone)]
pub struct Precompressed {
    body: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
}

impl Precompressed {
    pub fn new(body: impl Into<Bytes>) -> Self {
        let body = body.into();
        Self {
            gzip: gzip(&body, Compression::best()),
            brotli: brotli(&body, BROTLI_QUALITY),
            body,
        }
    }

    /// Compressed at fast levels, for bodies made again and again.
    pub fn fast(body: impl Into<Bytes>) -> Self {
        let body = body.into();
        Self {
            gzip: gzip(&body, Compression::new(FAST_GZIP_LEVEL)),
            brotli: brotli(&body, FAST_BROTLI_QUALITY),
            body,
        }
    }

    /// A body already compressed, such as a PNG, kept as it is.
    pub fn as_is(body: impl Into<Bytes>) -> Self {
        Self {
            body: body.into(),
            gzip: None,
            brotli: None,
        }
    }

    /// The response in the coding the client prefers among those it takes. A compressed
    /// body carries its `Content-Encoding`, which tells the compression middleware to leave
    /// it alone.
    pub fn respond(&self, req: &HttpRequest, mut builder: HttpResponseBuilder) -> HttpResponse {
        builder.insert_header((VARY, HeaderValue::from_static("accept-encoding")));
        let (brotli, gzip) = (weight(req, "br"), weight(req, "gzip"));
        match (&self.brotli, &self.gzip) {
            (Some(body), _) if brotli > 0.0 && brotli >= gzip => builder
                .insert_header((CONTENT_ENCODING, HeaderValue::from_static("br")))
                .body(body.clone()),
            (_, Some(body)) if gzip > 0.0 => builder
                .insert_header((CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .body(body.clone()),
            _ => builder.body(self.body.clone()),
        }
    }
}

fn gzip(body: &[u8], level: Compression) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), level);
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

fn brotli(body: &[u8], quality: i32) -> Option<Bytes> {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: BROTLI_WINDOW_BITS,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut compressed = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(&mut &body[..], &mut compressed, &params).ok()?;
    Some(Bytes::from(compressed))
}

/// The weight `Accept-Encoding` gives `coding` (by name, else through `*`): 0 when the
/// client does not take it.
fn weight(req: &HttpRequest, coding: &str) -> f32 {
    let mut named = None;
    let mut any = None;
    for entry in req
        .headers()
        .get_all(ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
    {
        let mut parts = entry.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let q = parts
            .find_map(|param| param.strip_prefix("q="))
            .map_or(Some(1.0), |q| q.parse::<f32>().ok())
            .unwrap_or(0.0);
        if name.eq_ignore_ascii_case(coding) {
            named = Some(q);
        } else if name == "*" {
            any = Some(q);
        }
    }
    named.or(any).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use actix_web::http::header::HeaderMap;
    use actix_web::test::TestRequest;

    use super::*;

    fn with_encoding(value: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((ACCEPT_ENCODING, value))
            .to_http_request()
    }

    fn coding_for(accept_encoding: Option<&str>) -> Option<String> {
        let req =
            accept_encoding.map_or_else(|| TestRequest::default().to_http_request(), with_encoding);
        let response =
            Precompressed::new("<p>Mariposas</p>".repeat(50)).respond(&req, HttpResponse::Ok());
        let headers: &HeaderMap = response.headers();
        headers
            .get(CONTENT_ENCODING)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }

    #[test]
    fn each_client_gets_the_best_coding_it_takes() {
        assert_eq!(
            coding_for(Some("gzip, deflate, br, zstd")).as_deref(),
            Some("br")
        );
        assert_eq!(
            coding_for(Some("br;q=1.0, GZIP;q=0.5")).as_deref(),
            Some("br")
        );
        assert_eq!(coding_for(Some("br;q=0.4, gzip")).as_deref(), Some("gzip"));
        assert_eq!(coding_for(Some("gzip, deflate")).as_deref(), Some("gzip"));
        assert_eq!(coding_for(Some("*")).as_deref(), Some("br"));
        assert_eq!(coding_for(Some("br;q=0, gzip;q=0, *")), None);
        assert_eq!(coding_for(Some("identity")), None);
        assert_eq!(coding_for(None), None);
    }

    #[test]
    fn bodies_are_compressed_once_and_decompress_to_the_original() {
        let page = "<p>Mariposas por México</p>\n".repeat(200);
        for compressed in [
            Precompressed::new(page.clone()),
            Precompressed::fast(page.clone()),
        ] {
            decompresses_to(compressed, &page);
        }
    }

    fn decompresses_to(compressed: Precompressed, page: &str) {
        let gzip = compressed.gzip.expect("gzip");
        let brotli = compressed.brotli.expect("brotli");
        assert!(gzip.len() < page.len() / 4);
        assert!(brotli.len() <= gzip.len(), "Brotli is the smaller");
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, page);
        decoded.clear();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .expect("valid Brotli");
        assert_eq!(decoded, page);
    }
}
