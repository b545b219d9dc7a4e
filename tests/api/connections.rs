//! What one connection, and one client address, may hold: a body that never arrives is cut
//! off, and one address cannot take every connection the server has.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::{DEMO, Options, TestApp, spawn_app, spawn_app_with};

/// A connection to the app from the loopback address `from` (any of 127.0.0.0/8 works on Linux).
async fn connect_from(app: &TestApp, from: &str) -> TcpStream {
    let server: SocketAddr = app
        .address
        .trim_start_matches("http://")
        .parse()
        .expect("the app's address");
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{from}:0").parse().expect("a loopback address"))
        .expect("bind to the client address");
    socket.connect(server).await.expect("connect")
}

/// Sends a GET on `stream` and returns the response's status, reading the whole response
/// so the connection can carry another request.
async fn get_status(stream: &mut TcpStream, path: &str) -> Option<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: mariposa.test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some(head_end) = text.find("\r\n\r\n") {
            let head = text[..head_end].to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if response.len() >= head_end + 4 + length {
                return head.get(9..12).and_then(|status| status.parse().ok());
            }
        }
    }
}

/// Reads until the server closes `stream`, or `limit` passes; returns what was read and
/// whether the server closed it.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut received = Vec::new();
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&received).into(), true),
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into(), false),
        }
    }
}

#[tokio::test]
async fn a_body_that_never_arrives_is_cut_off_while_others_are_served() {
    let app = spawn_app().await;
    let mut slow = connect_from(&app, "127.0.0.1").await;
    let head = format!(
        "POST /campaigns/{DEMO}/sign HTTP/1.1\r\nHost: mariposa.test\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 16000\r\n\r\nf"
    );
    slow.write_all(head.as_bytes())
        .await
        .expect("send the head");

    let (status, _) = app.get_text(&format!("/campaigns/{DEMO}")).await;
    assert_eq!(status, 200, "others are served meanwhile");

    // The deadline is a few seconds; anything under thirty shows it is there.
    let (response, closed) = read_until_closed(&mut slow, Duration::from_secs(30)).await;
    assert!(closed, "the connection is still open: {response:?}");
    assert!(response.starts_with("HTTP/1.1 408"), "{response:?}");
    assert_eq!(app.stored_signatures(), 0);
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_share_of_connections() {
    let app = spawn_app_with(Options {
        max_connections_per_client: Some(4),
        ..Options::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect_from(&app, "127.0.0.2").await;
        assert_eq!(get_status(&mut stream, "/healthz").await, Some(200));
        held.push(stream);
    }

    let mut fifth = connect_from(&app, "127.0.0.2").await;
    assert_eq!(get_status(&mut fifth, "/healthz").await, Some(503));
    let (_, closed) = read_until_closed(&mut fifth, Duration::from_secs(10)).await;
    assert!(closed, "a refused connection is closed");

    let mut neighbour = connect_from(&app, "127.0.0.3").await;
    assert_eq!(
        get_status(&mut neighbour, "/healthz").await,
        Some(200),
        "another address is served"
    );

    // Once its connections close, the address is welcome again.
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut again = connect_from(&app, "127.0.0.2").await;
        if get_status(&mut again, "/healthz").await == Some(200) {
            break;
        }
        assert!(Instant::now() < deadline, "the address stays refused");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
