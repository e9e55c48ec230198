//! Group commit for new contacts. A storm brings many complaints at once, and each one is
//! answered only after it is on disk; one transaction per complaint would spend most of its
//! time waiting for the disk to flush. Instead, complaints that arrive while one batch is
//! being written are written together as the next batch: one transaction and one flush for
//! all of them, each in its own savepoint so one that fails does not take the others with it.
//! Nobody waits for a batch to fill: a quiet system writes batches of one.

use crate::StoreError;
use crate::model::Inserted;
use redress_domain::contact::{Contact, ContactError, ContactKind, Reference};
use redress_domain::event::Event;
use tokio::sync::{mpsc, oneshot};

/// How many complaints one transaction takes at most, so a long queue still gets answers
/// back in steady steps.
pub(crate) const MOST_AT_ONCE: usize = 64;

/// Builds the new contact once its reference is known.
/// Called again with another reference if a batch has to be written one by one after all.
pub(crate) type Build =
    Box<dyn Fn(Reference) -> Result<(Contact, Event), ContactError> + Send + Sync + 'static>;

/// One new contact waiting to be written.
pub(crate) struct Submission {
    pub(crate) org: String,
    pub(crate) key: Option<String>,
    pub(crate) prefix_year: (ContactKind, i16),
    pub(crate) build: Build,
}

/// A submission with where its answer goes.
pub(crate) struct Queued {
    pub(crate) submission: Submission,
    pub(crate) answer: oneshot::Sender<Result<Inserted, StoreError>>,
}

/// The way in to one store's writer task.
#[derive(Clone, Debug)]
pub(crate) struct Queue(mpsc::Sender<Queued>);

impl Queue {
    /// Starts the writer task: `write` is given each batch and returns one answer per
    /// submission, in order.
    pub(crate) fn start<W, Fut>(write: W) -> Queue
    where
        W: Fn(Vec<Submission>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<Result<Inserted, StoreError>>> + Send,
    {
        let (sender, mut receiver) = mpsc::channel::<Queued>(MOST_AT_ONCE * 4);
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < MOST_AT_ONCE {
                    match receiver.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                // How well submissions arriving together share a transaction.
                metrics::histogram!("redress_intake_batch_size").record(batch.len() as f64);
                let (submissions, answers): (Vec<_>, Vec<_>) =
                    batch.into_iter().map(|q| (q.submission, q.answer)).unzip();
                let results = write(submissions).await;
                for (answer, result) in answers.into_iter().zip(results) {
                    // The submitter may have gone (a closed connection); its contact is
                    // written all the same, and a retry with its key finds it.
                    let _ = answer.send(result);
                }
            }
        });
        Queue(sender)
    }

    /// Queues a submission and waits for it to be committed. If the writer task has gone
    /// (its runtime is shutting down), the submission comes back to be written directly.
    pub(crate) async fn submit(
        &self,
        submission: Submission,
    ) -> Result<Result<Inserted, StoreError>, Submission> {
        let (answer, answered) = oneshot::channel();
        if let Err(mpsc::error::SendError(queued)) =
            self.0.send(Queued { submission, answer }).await
        {
            return Err(queued.submission);
        }
        Ok(answered.await.unwrap_or_else(|_| {
            Err(StoreError::Config(
                "the intake writer stopped before answering".into(),
            ))
        }))
    }
}
