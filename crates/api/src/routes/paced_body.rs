//! A JSON response that keeps a semaphore permit until the client has taken the body.
//!
//! A handler that bounds how many large responses are built at once (e.g. `GET /me/products`:
//! 1,000 products are about 300 KB of JSON) would otherwise release its permit when the body is
//! built, and the bodies of every waiting request would pile up in memory while the clients
//! read them. Here the body is handed to the connection in small chunks, each only when the
//! connection has written the previous ones, and the permit is released with the last chunk:
//! at most as many bodies are in memory as there are permits. A client that reads slowly
//! keeps the permit for at most [`HOLD_LIMIT`]; its body is then sent without one.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use serde::Serialize;
use tokio::sync::{SemaphorePermit, oneshot};

use crate::error::ApiError;

/// How long a body may keep its permit: a 300 KB body takes a few milliseconds on a local
/// network and about a second at 2.5 Mbit/s.
pub const HOLD_LIMIT: Duration = Duration::from_secs(2);

/// Bytes handed to the connection at a time (the connection asks for more once it has
/// written out its buffer).
const CHUNK: usize = 16 * 1024;

/// A `200 OK` JSON response of `value` that holds `permit` until its body is sent, the
/// connection is gone, or [`HOLD_LIMIT`] has passed.
pub fn json_holding(
    value: &impl Serialize,
    permit: SemaphorePermit<'static>,
) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    let (sent, done) = oneshot::channel::<()>();
    actix_web::rt::spawn(async move {
        let _permit = permit;
        // `done` ends when the body drops its sender: sent or abandoned.
        let _ = actix_web::rt::time::timeout(HOLD_LIMIT, done).await;
    });
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(PacedBody {
            size: body.len() as u64,
            rest: Bytes::from(body),
            sent: Some(sent),
        }))
}

/// The body of [`json_holding`]: the rest of the bytes to send, and the sender whose drop
/// releases the permit.
struct PacedBody {
    size: u64,
    rest: Bytes,
    sent: Option<oneshot::Sender<()>>,
}

impl MessageBody for PacedBody {
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.size)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            this.sent = None;
            return Poll::Ready(None);
        }
        let chunk = this.rest.split_to(this.rest.len().min(CHUNK));
        Poll::Ready(Some(Ok(chunk)))
    }
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;
    use std::pin::Pin;

    use actix_web::body::{BodySize, MessageBody};
    use actix_web::web::Bytes;
    use tokio::sync::oneshot;

    use super::{CHUNK, PacedBody};

    #[tokio::test]
    async fn the_body_comes_in_chunks_and_releases_its_permit_after_the_last() {
        let bytes: Vec<u8> = (0..(CHUNK * 2 + 100)).map(|i| (i % 251) as u8).collect();
        let (sent, mut done) = oneshot::channel::<()>();
        let mut body = PacedBody {
            size: bytes.len() as u64,
            rest: Bytes::from(bytes.clone()),
            sent: Some(sent),
        };
        assert_eq!(body.size(), BodySize::Sized(bytes.len() as u64));
        let mut received = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
            let Ok(chunk) = chunk;
            assert!(chunk.len() <= CHUNK);
            assert!(
                matches!(done.try_recv(), Err(oneshot::error::TryRecvError::Empty)),
                "the permit is held while bytes remain"
            );
            received.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert_eq!(chunks, 3);
        assert_eq!(received, bytes);
        assert!(
            matches!(done.try_recv(), Err(oneshot::error::TryRecvError::Closed)),
            "the permit is released with the last chunk"
        );
    }
}
