//! The load generator: N keep-alive HTTP/1.1 connections, each sending one request after
//! another for a fixed time, recording every request's latency and outcome.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{ACCEPT_ENCODING, ACCEPT_LANGUAGE, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What every connection sends, one request after another.
#[derive(Debug, Clone)]
pub enum Workload {
    /// `GET path`, as a browser would send it (Brotli and gzip accepted, Spanish preferred).
    Get { path: String },
    /// Fetches the campaign page once for a form token, then signs with a new email each
    /// time. A form token is valid for hours and the same for everyone in a given second,
    /// so one per connection measures signing, not page rendering.
    Sign { slug: String, run: String },
    /// `POST` to each path once, the paths shared out among the connections: confirmation
    /// links, each confirmed once. A connection stops when its share is done.
    PostEach { paths: Arc<Vec<String>> },
    /// Signs on the kiosks' own form (`/kiosk/{secret}/sign`), one kiosk per connection,
    /// at most `per_kiosk` signatures each (a kiosk's ceiling allows a burst of 30).
    Kiosk {
        secrets: Arc<Vec<String>>,
        per_kiosk: u64,
        run: String,
    },
}

/// How long a person takes to fill in the form at the quickest. Mariposa answers forms sent
/// sooner after the page was served as it answers everyone, but stores nothing (a bot), so
/// signing starts only once the tokens are this old.
const FILL_TIME: Duration = Duration::from_millis(2100);

#[derive(Debug, Default)]
pub struct Outcome {
    /// Latency of every answered request, in microseconds.
    pub latencies_us: Vec<u32>,
    /// Answers with the expected status (200 for reads, 303 for signatures, any success
    /// or redirect for confirmations and kiosks).
    pub ok: u64,
    /// 503 answers: the server said "busy, retry later".
    pub busy: u64,
    /// Any other status, or a request that got no answer.
    pub errors: u64,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn per_second(&self, count: u64) -> f64 {
        count as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which `pct` percent of answers came, in milliseconds.
    pub fn percentile_ms(&self, pct: f64) -> f64 {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
        f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
    }

    fn merge(&mut self, other: Outcome) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        self.busy += other.busy;
        self.errors += other.errors;
    }
}

/// Runs `workload` over `connections` connections to the servers at `addrs` for `duration`,
/// on a runtime with `threads` threads. Requests in flight at the deadline are waited for
/// and counted.
pub fn run(
    addrs: &[SocketAddr],
    workload: &Workload,
    connections: usize,
    duration: Duration,
    threads: usize,
) -> anyhow::Result<Outcome> {
    anyhow::ensure!(!addrs.is_empty(), "no server to send the load to");
    let runtime = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        let mut prepared = Vec::with_capacity(connections);
        for n in 0..connections {
            // With several servers, the connections are spread over them in turn, as a
            // round-robin load balancer would.
            let addr = addrs[n % addrs.len()];
            prepared.push(tokio::spawn(prepare(addr, workload.clone(), n)));
        }
        let mut clients = Vec::with_capacity(connections);
        for task in prepared {
            clients.push(task.await.context("a load task panicked")?);
        }
        if matches!(workload, Workload::Sign { .. }) {
            tokio::time::sleep(FILL_TIME).await;
        }
        let started = Instant::now();
        let deadline = started + duration;
        let tasks: Vec<_> = clients
            .into_iter()
            .enumerate()
            .map(|(n, (client, token))| {
                tokio::spawn(connection(
                    client,
                    token,
                    workload.clone(),
                    (n, connections),
                    deadline,
                ))
            })
            .collect();
        let mut total = Outcome::default();
        for task in tasks {
            total.merge(task.await.context("a load task panicked")?);
        }
        total.elapsed = started.elapsed();
        Ok(total)
    })
}

struct Client {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Client {
    async fn sender(&mut self) -> anyhow::Result<&mut SendRequest<Full<Bytes>>> {
        if self.sender.as_ref().is_none_or(SendRequest::is_closed) {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().context("connected")?;
        sender.ready().await?;
        Ok(sender)
    }

    async fn send(&mut self, request: Request<Full<Bytes>>) -> anyhow::Result<(StatusCode, Bytes)> {
        let answer = async {
            let response = self.sender().await?.send_request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, body))
        }
        .await;
        if answer.is_err() {
            self.sender = None;
        }
        answer
    }

    fn request(&self, method: Method, path: &str) -> hyper::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, &self.host)
            .header(ACCEPT_LANGUAGE, "es-MX,es;q=0.9")
    }
}

/// A connection's client and, for signing, its form token (`Err` if the page gave none).
async fn prepare(
    addr: SocketAddr,
    workload: Workload,
    n: usize,
) -> (Client, anyhow::Result<Option<String>>) {
    let mut client = Client {
        addr,
        host: addr.to_string(),
        sender: None,
    };
    let token = match &workload {
        Workload::Get { .. } | Workload::PostEach { .. } | Workload::Kiosk { .. } => Ok(None),
        Workload::Sign { slug, .. } => form_token(&mut client, slug)
            .await
            .with_context(|| format!("connection {n} got no form token"))
            .map(Some),
    };
    (client, token)
}

async fn connection(
    mut client: Client,
    token: anyhow::Result<Option<String>>,
    workload: Workload,
    (n, connections): (usize, usize),
    deadline: Instant,
) -> Outcome {
    let mut outcome = Outcome::default();
    let token = match token {
        Ok(token) => token.unwrap_or_default(),
        Err(_) => {
            outcome.errors += 1;
            return outcome;
        }
    };
    let (template, expected) = match &workload {
        Workload::Get { path } => {
            let request = move |client: &Client, _seq: u64| {
                Some(
                    client
                        .request(Method::GET, path)
                        .header(ACCEPT_ENCODING, "gzip, deflate, br")
                        .body(Full::new(Bytes::new())),
                )
            };
            (
                Box::new(request) as Box<RequestFn<'_>>,
                Expect::Exactly(StatusCode::OK),
            )
        }
        Workload::PostEach { paths } => {
            let request = move |client: &Client, seq: u64| {
                let index = n + (seq as usize - 1) * connections;
                let path = paths.get(index)?;
                Some(
                    client
                        .request(Method::POST, path)
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Full::new(Bytes::new())),
                )
            };
            (Box::new(request) as Box<RequestFn<'_>>, Expect::Success)
        }
        Workload::Kiosk {
            secrets,
            per_kiosk,
            run,
        } => {
            let secret = secrets
                .get(n % secrets.len().max(1))
                .cloned()
                .unwrap_or_default();
            let action = format!("/kiosk/{secret}/sign");
            let request = move |client: &Client, seq: u64| {
                if seq > *per_kiosk {
                    return None;
                }
                let body = form_urlencoded::Serializer::new(String::new())
                    .append_pair("first_name", "Beatriz")
                    .append_pair("last_name", &format!("Kiosko {run} {n} {seq}"))
                    .append_pair("email", &format!("k{run}c{n}n{seq}@bench.example.org"))
                    .append_pair("country", "MX")
                    .append_pair("postal_code", "39090")
                    .append_pair("lang", "es")
                    .finish();
                Some(
                    client
                        .request(Method::POST, &action)
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Full::new(Bytes::from(body))),
                )
            };
            (Box::new(request) as Box<RequestFn<'_>>, Expect::Success)
        }
        Workload::Sign { slug, run } => {
            let action = format!("/campaigns/{slug}/sign");
            let request = move |client: &Client, seq: u64| {
                let body = form_urlencoded::Serializer::new(String::new())
                    .append_pair("first_name", "Ana María")
                    .append_pair("last_name", "Bench")
                    .append_pair("email", &format!("s{run}c{n}n{seq}@bench.example.org"))
                    .append_pair("country", "MX")
                    .append_pair("postal_code", "39090")
                    .append_pair("comment", "")
                    .append_pair("csrf_token", &token)
                    .finish();
                Some(
                    client
                        .request(Method::POST, &action)
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Full::new(Bytes::from(body))),
                )
            };
            (
                Box::new(request) as Box<RequestFn<'_>>,
                Expect::Exactly(StatusCode::SEE_OTHER),
            )
        }
    };
    let mut seq = 0u64;
    while Instant::now() < deadline {
        seq += 1;
        let Some(request) = template(&client, seq) else {
            break;
        };
        let Ok(request) = request else {
            outcome.errors += 1;
            break;
        };
        let started = Instant::now();
        match client.send(request).await {
            Ok((status, _)) => {
                let micros = started.elapsed().as_micros();
                outcome
                    .latencies_us
                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
                if expected.is(status) {
                    outcome.ok += 1;
                } else if status == StatusCode::SERVICE_UNAVAILABLE {
                    outcome.busy += 1;
                } else {
                    outcome.errors += 1;
                }
            }
            Err(_) => {
                outcome.errors += 1;
                // A refused or reset connection must not turn into a busy loop.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    outcome
}

/// The next request of a connection, or `None` when it has no more to send.
type RequestFn<'a> =
    dyn Fn(&Client, u64) -> Option<hyper::http::Result<Request<Full<Bytes>>>> + Send + Sync + 'a;

/// The answer that counts as done.
enum Expect {
    Exactly(StatusCode),
    /// Any success or redirect: a confirmation page, a kiosk's "thank you".
    Success,
}

impl Expect {
    fn is(&self, status: StatusCode) -> bool {
        match self {
            Self::Exactly(expected) => status == *expected,
            Self::Success => status.is_success() || status.is_redirection(),
        }
    }
}

/// The campaign page's form token, found the way a browser's form would carry it.
async fn form_token(client: &mut Client, slug: &str) -> anyhow::Result<String> {
    let request = client
        .request(Method::GET, &format!("/campaigns/{slug}"))
        .body(Full::new(Bytes::new()))?;
    let (status, body) = client.send(request).await?;
    anyhow::ensure!(
        status == StatusCode::OK,
        "the campaign page answered {status}"
    );
    let html = std::str::from_utf8(&body)?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).context("the page has no form token")? + marker.len();
    let end = html[start..].find('"').context("the token ends")? + start;
    Ok(html[start..end].to_owned())
}
