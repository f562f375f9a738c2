use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC. The caller reads the clock; core only compares.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(pub i64);
