//! Sync wire types of protocol 1 (`/api/v1/sync/…`), shared by the app and the server.
//! See docs/sync-protocol.md.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::digest::Digest;
use crate::store::RecordKind;
use crate::{RecordId, UnixMillis};

/// The protocol this build speaks. A server answers another number with
/// `unsupported_protocol`, and the phone keeps its outbox until it is updated.
pub const PROTOCOL: u32 = 1;

/// Most mutations in one push (the phone sends the rest in the next request).
pub const PUSH_BATCH: usize = 100;
/// Most bytes of mutations a phone puts in one push: half the server's 1 MiB body limit, so a
/// proxy with a smaller one (and JSON's escaping) still lets a batch through. A push answered
/// 413 is sent again in smaller batches.
pub const PUSH_BYTES: usize = 512 * 1024;
/// Most records in one pull page.
pub const PULL_PAGE: usize = 500;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    /// The server answered `seq_gap`: it lost mutations it had acknowledged (a database
    /// restored from a backup). Accept the first one here as the next; the phone repairs
    /// what was lost (`sync::repair`). Only ever sent by one push right after that answer.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub resume: bool,
    /// In increasing `seq` order.
    pub mutations: Vec<PushMutation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushMutation {
    /// Per device, increasing by one from the device's first push.
    pub seq: u64,
    /// When the phone saved the change (its clock; used to pick the shown value of a conflict).
    pub at: UnixMillis,
    pub op: Op,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The record as stored on the phone; `fields` names what this change touched (absent:
    /// every field, as for a new record). `base` is the record's `rev` when it was edited.
    Put {
        kind: RecordKind,
        id: RecordId,
        base: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<String>>,
        record: Box<RawValue>,
        /// Sent again after the server lost it: apply only if the server has nothing as new
        /// (by `updated_at`), and in the name of the record's author.
        #[serde(default, skip_serializing_if = "crate::skip::is_false")]
        resend: bool,
    },
    Delete {
        kind: RecordKind,
        id: RecordId,
        base: u64,
    },
    Restore {
        kind: RecordKind,
        id: RecordId,
        base: u64,
    },
    /// Nothing to apply (the record is gone from the phone, or its entry was unreadable); the
    /// number still advances.
    Noop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// The record does not parse or breaks a rule.
    Invalid,
    /// The caller may not change this record (a volunteer, someone else's visit).
    Forbidden,
    /// The id belongs to a record of another kind.
    KindMismatch,
    /// Set by the phone itself, never sent by a server: the change alone is larger than any
    /// push the server takes, so it waits here instead of blocking the changes after it.
    TooLarge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub code: RejectCode,
    pub message: String,
}

/// What became of one mutation. Applied and already-applied look the same: done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    /// One per mutation sent, in order.
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    /// The cursor was unknown to the server: start again from 0 (the records follow).
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub reset: bool,
    /// Pass it to the next pull.
    pub cursor: u64,
    /// More pages follow at once.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub more: bool,
    pub records: Vec<PulledRecord>,
    /// On the last page (`more` false): the team's records up to `cursor`, for the phone to
    /// compare with its own — leaving out the ids the phone asked to leave out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    /// The ids left out of `digest`, as asked (the phone's changes the server refused: they
    /// differ by design).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<RecordId>,
    /// The window the server applied (the phone asked for one; the server may have made it
    /// shorter, never longer, than the team allows): `digest` covers the households and the
    /// records from its first day, and the phone prunes to it (`sync::window`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<super::window::Window>,
    /// Records with a revision up to this were sent only if the window keeps them: the phone
    /// started from nothing. Pass it back as `full` while the cursor is below it.
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub full: u64,
    /// The volunteer's scope the server applied (`sync::scope`; none: every household):
    /// `records` and `digest` hold only what is in it, and the phone prunes to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<super::scope::Scope>,
    /// Records changed up to `cursor` that are out of the scope (a household moved to
    /// another community, and its visits): the phone removes its copies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<RecordId>,
}

/// What a pull asks for besides its cursor (`…/pull?today=YYYY-MM-DD&full=N`): the phone's
/// day (the server makes the window of the team's length end there, within a day of its
/// own), and the `full` of an earlier page while the cursor is below it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PullScope {
    pub today: Option<crate::Day>,
    pub full: u64,
}

/// Most ids a pull may ask to leave out of the digest (a phone with more skips the check).
pub const DIGEST_EXCEPT: usize = 20;

/// Most ids in one page of `GET /api/v1/sync/ids`.
pub const IDS_PAGE: usize = 5_000;

/// A page of the team's record ids in id order, after the `after` id the phone gave:
/// what a repair compares with the phone's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdsResponse {
    pub protocol: u32,
    pub ids: Vec<IdEntry>,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdEntry {
    pub id: RecordId,
    pub updated_at: UnixMillis,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub deleted_set_at: UnixMillis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PulledRecord {
    pub kind: RecordKind,
    pub id: RecordId,
    pub rev: u64,
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub deleted: bool,
    /// When `deleted` was last set, either way (by the phone's clock that set it).
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub deleted_set_at: UnixMillis,
    /// The record with every field at its shown value.
    pub record: Box<RawValue>,
    /// Fields changed on two devices at once: name → every value, for a coordinator to pick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Box<RawValue>>,
}
