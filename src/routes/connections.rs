//! What one connection, and one client address, may hold. A body that never arrives kept
//! its connection, and a file descriptor, for ever; a client opening a thousand of them
//! exhausted the server's. Bodies now have a deadline, and each client (an IPv4 address, or
//! an IPv6 /64, as the rate limits count them) a share of the connections.

use std::any::Any;
use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Extensions, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use actix_web::http::{ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::rt::time::{Sleep, sleep};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::Stream;

use super::{message_page, negotiate_lang, render};
use crate::domain::{ClientNetwork, TrustedProxies};
use crate::i18n::Tr;

/// How long a request's body may take to arrive in full. The largest body we accept is
/// 16 KiB, which even a poor mobile connection sends in a second or two.
pub const BODY_DEADLINE: Duration = Duration::from_secs(10);

/// Answers `408` and closes the connection when a request's body has not arrived in full
/// within `BODY_DEADLINE`, whichever handler was reading it. A connection whose body was
/// left unread is closed after the response too, rather than drained at the client's pace.
pub async fn read_body_in_time(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !has_body(req.request()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let progress = Arc::new(BodyProgress::default());
    let (_, payload) = req.parts_mut();
    let body = WithDeadline {
        inner: payload.take(),
        deadline: Box::pin(sleep(BODY_DEADLINE)),
        progress: Arc::clone(&progress),
    };
    req.set_payload(Payload::from(
        Box::pin(body) as Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>
    ));
    let mut response = next.call(req).await?;
    if !progress.timed_out.load(Ordering::Relaxed) {
        if !progress.finished.load(Ordering::Relaxed) {
            response
                .response_mut()
                .head_mut()
                .set_connection_type(ConnectionType::Close);
        }
        return Ok(response.map_into_boxed_body());
    }
    let (req, _) = response.into_parts();
    let page = closing(refusal(
        &req,
        StatusCode::REQUEST_TIMEOUT,
        "request-timeout-title",
        "request-timeout-body",
    ));
    Ok(ServiceResponse::new(req, page))
}

fn has_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

/// A request body that fails once its deadline passes.
struct WithDeadline {
    inner: Payload,
    deadline: Pin<Box<Sleep>>,
    progress: Arc<BodyProgress>,
}

#[derive(Default)]
struct BodyProgress {
    finished: AtomicBool,
    timed_out: AtomicBool,
}

impl Stream for WithDeadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            if item.is_none() {
                self.progress.finished.store(true, Ordering::Relaxed);
            }
            return Poll::Ready(item);
        }
        if self.progress.timed_out.load(Ordering::Relaxed) {
            return Poll::Ready(None);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.progress.timed_out.store(true, Ordering::Relaxed);
                Poll::Ready(Some(Err(PayloadError::Io(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the request body did not arrive in time",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Open connections per client network, shared by every worker.
#[derive(Clone)]
pub struct ConnectionCap {
    open: Arc<Mutex<HashMap<ClientNetwork, usize>>>,
    max_per_client: usize,
    trusted_proxies: TrustedProxies,
}

/// A connection's place in its client's count, kept in the connection's data and given
/// back when the connection closes and its data is dropped.
struct ConnectionSlot {
    cap: ConnectionCap,
    client: ClientNetwork,
    over_cap: bool,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.cap.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.client) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

impl ConnectionCap {
    pub fn new(max_per_client: usize, trusted_proxies: TrustedProxies) -> Self {
        Self {
            open: Arc::default(),
            max_per_client,
            trusted_proxies,
        }
    }

    /// Counts a new connection (for `HttpServer::on_connect`). A trusted proxy carries
    /// many clients over its connections, so its own are not counted.
    pub fn on_connect(&self, connection: &dyn Any, data: &mut Extensions) {
        let Some(peer) = connection
            .downcast_ref::<actix_web::rt::net::TcpStream>()
            .and_then(|stream| stream.peer_addr().ok())
        else {
            return;
        };
        if let Some(slot) = self.admit(peer.ip()) {
            data.insert(slot);
        }
    }

    /// Counts a connection from `address` against its network's share: one machine may
    /// take any address of its IPv6 /64, so ten of them must not hold ten shares.
    fn admit(&self, address: IpAddr) -> Option<ConnectionSlot> {
        if self.trusted_proxies.trusts(address) {
            return None;
        }
        let client = ClientNetwork::of(address);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(client).or_default();
        *count += 1;
        let over_cap = *count > self.max_per_client;
        drop(open);
        Some(ConnectionSlot {
            cap: self.clone(),
            client,
            over_cap,
        })
    }
}

/// Answers `503` and closes the connection when it is one more than its address may hold.
pub async fn refuse_crowded_connections(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let crowded = req
        .conn_data::<ConnectionSlot>()
        .is_some_and(|slot| slot.over_cap);
    if !crowded {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let (req, _) = req.into_parts();
    let mut page = closing(refusal(
        &req,
        StatusCode::SERVICE_UNAVAILABLE,
        "too-many-connections-title",
        "too-many-connections-body",
    ));
    page.headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("5"));
    Ok(ServiceResponse::new(req, page))
}

fn refusal(req: &HttpRequest, status: StatusCode, title: &str, body: &str) -> HttpResponse {
    let tr = Tr(negotiate_lang(req, None));
    render(status, &message_page(tr, req, title, &[body], None))
}

/// The connection is closed once this response is sent.
fn closing(mut response: HttpResponse) -> HttpResponse {
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crowded(slots: &[Option<ConnectionSlot>]) -> usize {
        slots.iter().flatten().filter(|slot| slot.over_cap).count()
    }

    /// Loopback has one IPv6 address, so an integration test cannot open connections from
    /// several of one /64: the count is checked here, on the addresses a socket would give.
    #[test]
    fn connections_from_many_addresses_of_one_ipv6_64_share_one_cap() {
        let cap = ConnectionCap::new(64, TrustedProxies::default());
        let slots: Vec<_> = (0..300u16)
            .map(|i| {
                cap.admit(IpAddr::V6(std::net::Ipv6Addr::new(
                    0x2001,
                    0xdb8,
                    7,
                    1,
                    0,
                    0,
                    i % 10,
                    i,
                )))
            })
            .collect();
        assert_eq!(
            crowded(&slots),
            300 - 64,
            "ten addresses of one /64 hold 64 in all"
        );

        let elsewhere = cap.admit("2001:db8:7:2::1".parse().expect("an address"));
        assert!(
            elsewhere.is_some_and(|slot| !slot.over_cap),
            "another /64 has its own share"
        );
    }

    #[test]
    fn a_closed_connection_gives_its_networks_share_back() {
        let cap = ConnectionCap::new(1, TrustedProxies::default());
        let first = cap.admit("2001:db8::1".parse().expect("an address"));
        assert!(
            cap.admit("2001:db8::2".parse().expect("an address"))
                .is_some_and(|slot| slot.over_cap)
        );
        drop(first);
        assert!(
            cap.admit("2001:db8::3".parse().expect("an address"))
                .is_some_and(|slot| !slot.over_cap)
        );
    }
}
