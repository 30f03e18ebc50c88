//! The state of a pending activation, as stored.

use sea_orm::DbErr;

/// State of a pending activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivationStatus {
    /// Waiting for the verification link to be followed.
    Pending,
    /// The link was followed and the order registered.
    Completed,
    /// The link expired unused; nothing was activated.
    Expired,
    /// A restriction stopped the activation when the link was followed; nothing was activated.
    Failed,
}

impl ActivationStatus {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Completed => "completed",
            Self::Expired => "expired",
            Self::Failed => "failed",
        }
    }

    /// The status of its stored text.
    pub(crate) fn parse(text: &str) -> Result<Self, DbErr> {
        match text {
            "pending" => Ok(Self::Pending),
            "completed" => Ok(Self::Completed),
            "expired" => Ok(Self::Expired),
            "failed" => Ok(Self::Failed),
            other => Err(DbErr::Custom(format!(
                "unknown activation status {other:?}"
            ))),
        }
    }
}
