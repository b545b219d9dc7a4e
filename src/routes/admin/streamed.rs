//! Downloads written on a blocking task and sent to the client as they are written: CSV
//! exports, delivery packs and manifests. Memory stays at a few chunks whatever the length.

use std::io::Write;

use actix_web::web::Bytes;
use futures_util::Stream;
use tokio::sync::mpsc;

/// Bytes handed to the network at a time.
const CHUNK: usize = 64 * 1024;

/// Sends what the blocking task writes, in chunks, to the response body. If the client
/// goes away the send fails and the writing stops.
pub(super) struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

/// The body `write` produces on a blocking task. When it fails part-way the body ends in
/// an error, so that the download fails visibly instead of looking complete; `what` names
/// the download in the log.
pub(super) fn blocking_body<E: std::fmt::Debug>(
    what: &'static str,
    write: impl FnOnce(&mut ChannelWriter) -> Result<(), E> + Send + 'static,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let (sender, mut receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        match write(&mut out) {
            // A flush that fails means the client left: nobody is there to tell.
            Ok(()) => drop(out.flush()),
            Err(error) => {
                tracing::error!(error = ?error, "{what} stopped part-way");
                let _ = sender.blocking_send(Err(std::io::Error::other(format!("{what} failed"))));
            }
        }
    });
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}
